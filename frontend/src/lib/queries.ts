import { api, call, type CustomerPage, type Dashboard, type Invoice, type InvoicePage } from "../api/client";
import type { QuerySpec } from "./hooks";
import { parsePage } from "./pagination";
import { searchText } from "./url";

/*
 * Each screen's data request, in one place: the route loaders start them while the screen's code
 * loads, and the screens use the same keys to pick up the answers.
 */

export const INVOICES_PAGE_SIZE = 6;
export const CUSTOMERS_PAGE_SIZE = 10;

export function dashboardQuery(): QuerySpec<Dashboard> {
  return {
    key: "dashboard",
    load: (signal) => call(api.GET("/api/dashboard", { signal })).then((r) => r.data),
  };
}

/** The list screens read `query` and `page` from the URL. */
export function listParams(search: URLSearchParams): { query: string; page: number } {
  return { query: searchText(search.get("query")), page: parsePage(search.get("page")) };
}

export function invoicesQuery(
  query: string,
  page: number,
  status?: "paid" | "pending" | "overdue",
): QuerySpec<InvoicePage> {
  return {
    // Without a status filter, the key src/early.js uses for the same request.
    key: status ? `invoices:${query}:${page}:${status}` : `invoices:${query}:${page}`,
    load: (signal) =>
      call(api.GET("/api/invoices", { params: { query: { query, page, pageSize: INVOICES_PAGE_SIZE, status } }, signal })).then(
        (r) => r.data,
      ),
  };
}

export function customersQuery(query: string, page: number): QuerySpec<CustomerPage> {
  return {
    key: `customers:${query}:${page}`,
    load: (signal) =>
      call(api.GET("/api/customers", { params: { query: { query, page, pageSize: CUSTOMERS_PAGE_SIZE } }, signal })).then(
        (r) => r.data,
      ),
  };
}

export function invoiceQuery(id: string): QuerySpec<{ invoice: Invoice; etag: string | null }> {
  return {
    key: `invoice:${id}`,
    load: (signal) =>
      call(api.GET("/api/invoices/{invoice_id}", { params: { path: { invoice_id: id } }, signal })).then(
        ({ data, response }) => ({ invoice: data, etag: response.headers.get("ETag") }),
      ),
  };
}
