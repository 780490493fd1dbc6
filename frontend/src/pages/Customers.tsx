import { Link, useSearchParams } from "react-router";
import { api, call, type CustomerRow } from "../api/client";
import Avatar from "../components/Avatar";
import Pagination from "../components/Pagination";
import ResultCount from "../components/ResultCount";
import Search from "../components/Search";
import { formatCurrency } from "../lib/format";
import { useQuery } from "../lib/hooks";
import { parsePage } from "../lib/pagination";

const PAGE_SIZE = 10;

export default function Customers() {
  const [searchParams] = useSearchParams();
  const query = searchParams.get("query") ?? "";
  const page = parsePage(searchParams.get("page"));
  const { data, error } = useQuery(`customers:${query}:${page}`, (signal) =>
    call(api.GET("/api/customers", { params: { query: { query, page, pageSize: PAGE_SIZE } }, signal })).then((r) => r.data),
  );
  if (error) throw error;

  return (
    <main className="w-full">
      <h1 className="mb-8 font-serif text-xl md:text-2xl">Customers</h1>
      <Search placeholder="Search customers..." />
      <div className="mt-6 flow-root">
        <div className="overflow-x-auto">
          <div className="inline-block min-w-full align-middle">
            <div className="overflow-hidden rounded-md bg-gray-50 p-2 md:pt-0">
              {data ? <CustomersTable customers={data.items} query={query} /> : <CustomersSkeleton />}
            </div>
          </div>
        </div>
      </div>
      <div className="mt-5 flex min-h-10 w-full justify-center">
        {data ? <Pagination currentPage={page} totalPages={data.totalPages} /> : null}
      </div>
      <ResultCount page={data ?? undefined} noun="customer" />
    </main>
  );
}

function CustomersTable({ customers, query }: { customers: CustomerRow[]; query: string }) {
  if (customers.length === 0) {
    return (
      <p className="p-6 text-center text-sm text-gray-500 md:pt-8">
        {query ? `No customers match “${query}”.` : "No customers yet."}
      </p>
    );
  }
  return (
    <>
      <div className="md:hidden">
        {customers.map((customer) => (
          <div key={customer.id} className="mb-2 w-full rounded-md bg-white p-4" data-testid="customer-card">
            <div className="flex items-center justify-between border-b border-gray-200 pb-4">
              <div className="min-w-0">
                <div className="mb-2 flex items-center gap-3">
                  <Avatar name={customer.name} imageUrl={customer.imageUrl} />
                  <Link to={`/dashboard/customers/${customer.id}`} className="truncate hover:underline">{customer.name}</Link>
                </div>
                <p className="truncate text-sm text-gray-500">{customer.email}</p>
              </div>
            </div>
            <div className="flex w-full items-center justify-between border-b border-gray-200 py-5">
              <div className="flex w-1/2 flex-col">
                <p className="text-xs">Pending</p>
                <p className="font-medium">{formatCurrency(customer.totalPending)}</p>
              </div>
              <div className="flex w-1/2 flex-col">
                <p className="text-xs">Paid</p>
                <p className="font-medium">{formatCurrency(customer.totalPaid)}</p>
              </div>
            </div>
            <div className="pt-4 text-sm">
              <p>{customer.invoiceCount} invoices</p>
            </div>
          </div>
        ))}
      </div>
      <table className="hidden min-w-full rounded-md text-gray-900 md:table">
        <CustomersTableHead />
        <tbody className="divide-y divide-gray-200 text-gray-900">
          {customers.map((customer) => (
            <tr key={customer.id} className="group h-[61px]">
              <td className="whitespace-nowrap bg-white py-5 pl-4 pr-3 text-sm text-black group-first-of-type:rounded-md group-last-of-type:rounded-md sm:pl-6">
                <div className="flex items-center gap-3">
                  <Avatar name={customer.name} imageUrl={customer.imageUrl} />
                  <Link to={`/dashboard/customers/${customer.id}`} className="hover:underline">{customer.name}</Link>
                </div>
              </td>
              <td className="whitespace-nowrap bg-white px-4 py-5 text-sm">{customer.email}</td>
              <td className="whitespace-nowrap bg-white px-4 py-5 text-sm">{customer.invoiceCount}</td>
              <td className="whitespace-nowrap bg-white px-4 py-5 text-sm">{formatCurrency(customer.totalPending)}</td>
              <td className="whitespace-nowrap bg-white px-4 py-5 text-sm group-first-of-type:rounded-md group-last-of-type:rounded-md">
                {formatCurrency(customer.totalPaid)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CustomersSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading customers">
      <div className="md:hidden">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="mb-2 h-[190px] w-full rounded-md bg-white" />
        ))}
      </div>
      <table className="hidden min-w-full rounded-md text-gray-900 md:table">
        <CustomersTableHead />
        <tbody className="divide-y divide-gray-200">
          {Array.from({ length: 6 }, (_, i) => (
            <tr key={i} className="h-[61px]">
              <td className="bg-white py-5 pl-4 pr-3 sm:pl-6">
                <div className="flex items-center gap-3">
                  <div className="h-7 w-7 rounded-full bg-gray-100" />
                  <div className="h-5 w-28 rounded bg-gray-100" />
                </div>
              </td>
              <td className="bg-white px-4 py-5"><div className="h-5 w-36 rounded bg-gray-100" /></td>
              <td className="bg-white px-4 py-5"><div className="h-5 w-8 rounded bg-gray-100" /></td>
              <td className="bg-white px-4 py-5"><div className="h-5 w-16 rounded bg-gray-100" /></td>
              <td className="bg-white px-4 py-5"><div className="h-5 w-16 rounded bg-gray-100" /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The column headings, shared by the table and its loading skeleton. */
function CustomersTableHead() {
  return (
    <thead className="rounded-md bg-gray-50 text-left text-sm font-normal">
      <tr>
        <th scope="col" className="px-4 py-5 font-medium sm:pl-6">Name</th>
        <th scope="col" className="px-4 py-5 font-medium">Email</th>
        <th scope="col" className="px-4 py-5 font-medium">Total Invoices</th>
        <th scope="col" className="px-4 py-5 font-medium">Total Pending</th>
        <th scope="col" className="px-4 py-5 font-medium">Total Paid</th>
      </tr>
    </thead>
  );
}
