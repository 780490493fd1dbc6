import { ArrowLeftIcon, PrinterIcon } from "@heroicons/react/24/outline";
import { Link, useParams } from "react-router";
import { api, call } from "../api/client";
import AcmeLogo from "../components/AcmeLogo";
import { formatCurrency, formatDate } from "../lib/format";
import { useQuery } from "../lib/hooks";

/** What the customer owes by age and what they paid (until payments exist: their paid invoices). */
export function StatementView({ id }: { id: string }) {
  const { data, error } = useQuery({ key: `statement:${id}`, load: (signal) =>
    call(api.GET("/api/customers/{customer_id}/statement", { params: { path: { customer_id: id } }, signal })).then((r) => r.data) });
  if (error && error.status !== 404) throw error;
  if (!data) return <div aria-busy="true" aria-label="Loading statement" className="h-48 rounded-md bg-gray-50" />;
  return (
    <div className="rounded-md bg-gray-50 p-4 text-sm md:p-6" data-testid="statement">
      <p className="mb-4 text-gray-600">As of {formatDate(data.asOf)}</p>
      <table className="mb-6 w-full max-w-xl bg-white" aria-label="Owed by age">
        <thead>
          <tr className="text-left">
            <th scope="col" className="px-3 py-2 font-medium">Age</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Invoices</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Owed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-200">
          {data.ages.map((age) => (
            <tr key={age.label}>
              <td className="px-3 py-2">{age.label}</td>
              <td className="px-3 py-2 text-right">{age.count}</td>
              <td className="px-3 py-2 text-right">{formatCurrency(age.amount)}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <td className="px-3 py-2">Total owed</td>
            <td className="px-3 py-2" />
            <td className="px-3 py-2 text-right" data-testid="statement-owed">{formatCurrency(data.owed)}</td>
          </tr>
        </tbody>
      </table>
      <div className="grid gap-6 md:grid-cols-2">
        <Lines title="Open invoices" empty="Nothing owed." lines={data.openInvoices} showAge />
        <Lines title={`Payments (${formatCurrency(data.paid)})`} empty="No payments yet." lines={data.payments} />
      </div>
      {data.truncated ? <p className="mt-4 text-gray-500">Only the first 200 lines of each list are shown; the totals count every invoice.</p> : null}
    </div>
  );
}

function Lines({ title, empty, lines, showAge = false }: { title: string; empty: string; lines: { invoiceId: string; date: string; amount: number; ageDays: number }[]; showAge?: boolean }) {
  return (
    <div>
      <h3 className="mb-2 font-medium">{title}</h3>
      {lines.length === 0 ? (
        <p className="text-gray-500">{empty}</p>
      ) : (
        <table className="w-full bg-white">
          <tbody className="divide-y divide-gray-200">
            {lines.map((line) => (
              <tr key={line.invoiceId}>
                <td className="px-3 py-1.5">{formatDate(line.date)}</td>
                {showAge ? <td className="px-3 py-1.5 text-gray-500">{line.ageDays} days</td> : null}
                <td className="px-3 py-1.5 text-right">{formatCurrency(line.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The statement on its own page, laid out for paper: the print dialog leaves out the buttons. */
export default function PrintableStatement() {
  const { id = "" } = useParams();
  const customer = useQuery({ key: `statement-customer:${id}`, load: (signal) =>
    call(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } }, signal })).then((r) => r.data) });
  if (customer.error) throw customer.error;
  const c = customer.data;
  return (
    <main className="mx-auto max-w-3xl p-6 md:p-10 print:p-0">
      <title>{c ? `Statement for ${c.name} · Acme` : "Statement · Acme"}</title>
      <div className="mb-6 flex items-center justify-between print:hidden">
        <Link to={`/dashboard/customers/${id}`} className="flex items-center gap-2 text-sm text-blue-600 hover:underline">
          <ArrowLeftIcon className="h-4" aria-hidden="true" /> Back to the customer
        </Link>
        <button type="button" onClick={() => window.print()} className="flex h-10 items-center gap-2 rounded-lg bg-blue-600 px-4 text-sm font-medium text-white hover:bg-[#1e6afc]">
          <PrinterIcon className="h-5" aria-hidden="true" /> Print
        </button>
      </div>
      <header className="mb-6 flex items-start justify-between">
        <div className="rounded-md bg-blue-600 p-4 text-white">
          <div className="w-40">
            <AcmeLogo />
          </div>
        </div>
        <div className="text-right">
          <h1 className="font-serif text-2xl">Statement</h1>
          {c ? (
            <>
              <p className="font-medium" data-testid="statement-customer">{c.name}</p>
              <p className="text-sm text-gray-600">{c.email}</p>
            </>
          ) : null}
        </div>
      </header>
      <StatementView id={id} />
    </main>
  );
}
