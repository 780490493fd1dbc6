import { Link, useSearchParams } from "../lib/routing";
import type { CustomerRow } from "../api/client";
import Avatar from "../components/Avatar";
import ListToolbar from "../components/ListToolbar";
import Pagination from "../components/Pagination";
import ResultCount from "../components/ResultCount";
import { formatCount, formatCurrency } from "../lib/format";
import { useQuery, useWide } from "../lib/hooks";
import { customersQuery, listParams } from "../lib/queries";
import Title from "../components/Title";

export default function Customers() {
  const [searchParams] = useSearchParams();
  const { query, page } = listParams(searchParams);
  const { data, error } = useQuery(customersQuery(query, page));
  if (error) throw error;

  return (
    <main className="w-full">
      <Title>{query ? `Customers matching “${query}” · Acme` : "Customers · Acme"}</Title>
      <h1 className="mb-8 font-serif text-xl md:text-2xl">Customers</h1>
      <ListToolbar kind="customers" query={query} />
      <div className="mt-6 flow-root">
        <div>
          <div className="block min-w-full align-middle">
            <div className="rounded-md bg-gray-50 p-2 lg:pt-0">
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
  const wide = useWide();
  if (customers.length === 0) {
    return (
      <p className="break-words p-6 text-center text-sm text-gray-600 lg:pt-8">
        {query ? `No customers match “${query}”.` : "No customers yet."}
      </p>
    );
  }
  return (
    <>
      {!wide ? (
        <div>
          {customers.map((customer) => (
            <div key={customer.id} className="mb-2 w-full rounded-md bg-white p-4" data-testid="customer-card">
              <div className="flex items-center justify-between border-b border-gray-200 pb-4">
                <div className="min-w-0">
                  <div className="mb-2 flex items-center gap-3">
                    <Avatar name={customer.name} imageUrl={customer.imageUrl} />
                    <Link to={`/dashboard/customers/${customer.id}`} className="block min-w-0 truncate hover:underline" title={customer.name}>{customer.name}</Link>
                  </div>
                  <p className="truncate text-sm text-gray-500" title={customer.email}>{customer.email}</p>
                </div>
              </div>
              <div className="flex w-full flex-wrap items-center justify-between gap-2 border-b border-gray-200 py-5">
                <div className="flex flex-1 flex-col">
                  <p className="text-xs">Pending</p>
                  <p className="whitespace-nowrap font-medium" data-testid="money">{formatCurrency(customer.totalPending)}</p>
                </div>
                <div className="flex flex-1 flex-col">
                  <p className="text-xs">Paid</p>
                  <p className="whitespace-nowrap font-medium" data-testid="money">{formatCurrency(customer.totalPaid)}</p>
                </div>
              </div>
              <div className="pt-4 text-sm">
                <p>{formatCount(customer.invoiceCount, false, "invoice")}</p>
              </div>
            </div>
          ))}
        </div>
      ) : (
        <table className="w-full rounded-md text-gray-900">
          <CustomersTableHead />
          <tbody className="divide-y divide-gray-200 text-gray-900">
            {customers.map((customer) => (
              <tr key={customer.id} className="group h-[61px]">
                <td className="w-full max-w-0 bg-white py-5 pl-4 pr-3 text-sm text-black group-first-of-type:rounded-md group-last-of-type:rounded-md xl:w-1/2 xl:pl-6">
                  <div className="flex items-center gap-3">
                    <Avatar name={customer.name} imageUrl={customer.imageUrl} />
                    <div className="min-w-0">
                      <Link to={`/dashboard/customers/${customer.id}`} className="block min-w-0 truncate hover:underline" title={customer.name}>{customer.name}</Link>
                      <p className="truncate text-gray-500 xl:hidden" title={customer.email}>{customer.email}</p>
                    </div>
                  </div>
                </td>
                <td className="hidden max-w-0 bg-white px-4 py-5 text-sm xl:table-cell xl:w-1/2">
                  <p className="truncate" title={customer.email}>{customer.email}</p>
                </td>
                <td className="whitespace-nowrap bg-white px-4 py-5 text-sm">{customer.invoiceCount}</td>
                <td className="whitespace-nowrap bg-white px-4 py-5 text-sm" data-testid="money">{formatCurrency(customer.totalPending)}</td>
                <td className="whitespace-nowrap bg-white px-4 py-5 text-sm group-first-of-type:rounded-md group-last-of-type:rounded-md" data-testid="money">
                  {formatCurrency(customer.totalPaid)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function CustomersSkeleton() {
  const wide = useWide();
  return (
    <div aria-busy="true" aria-label="Loading customers">
      {!wide ? (
        <div>
          {Array.from({ length: 6 }, (_, i) => (
            <div key={i} className="mb-2 h-[190px] w-full rounded-md bg-white" />
          ))}
        </div>
      ) : (
        <table className="w-full rounded-md text-gray-900">
          <CustomersTableHead />
          <tbody className="divide-y divide-gray-200">
            {Array.from({ length: 6 }, (_, i) => (
              <tr key={i} className="h-[61px]">
                <td className="w-full max-w-0 bg-white py-5 pl-4 pr-3 xl:w-1/2 xl:pl-6">
                  <div className="flex items-center gap-3">
                    <div className="h-7 w-7 rounded-full bg-gray-100" />
                    <div className="h-5 w-28 rounded bg-gray-100" />
                  </div>
                </td>
                <td className="hidden max-w-0 bg-white px-4 py-5 xl:table-cell xl:w-1/2"><div className="h-5 w-36 max-w-full rounded bg-gray-100" /></td>
                <td className="bg-white px-4 py-5"><div className="h-5 w-8 rounded bg-gray-100" /></td>
                <td className="bg-white px-4 py-5"><div className="h-5 w-16 rounded bg-gray-100" /></td>
                <td className="bg-white px-4 py-5"><div className="h-5 w-16 rounded bg-gray-100" /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The column headings, shared by the table and its loading skeleton. */
function CustomersTableHead() {
  return (
    <thead className="rounded-md bg-gray-50 text-left text-sm font-normal">
      <tr>
        <th scope="col" className="px-4 py-5 font-medium xl:pl-6">Name</th>
        <th scope="col" className="hidden px-4 py-5 font-medium xl:table-cell">Email</th>
        <th scope="col" className="whitespace-nowrap px-4 py-5 font-medium">Total Invoices</th>
        <th scope="col" className="whitespace-nowrap px-4 py-5 font-medium">Total Pending</th>
        <th scope="col" className="whitespace-nowrap px-4 py-5 font-medium">Total Paid</th>
      </tr>
    </thead>
  );
}
