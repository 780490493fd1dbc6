import ArrowLeftIcon from "@heroicons/react/24/outline/ArrowLeftIcon";
import PrinterIcon from "@heroicons/react/24/outline/PrinterIcon";
import { Link, useParams } from "../lib/routing";
import { api, call } from "../api/client";
import { methodLabel } from "../api/lifecycle";
import type { components } from "../api/schema";
import AcmeLogo from "../components/AcmeLogo";
import { CustomerNotFound } from "../components/NotFoundScreen";
import { formatCurrency, formatDate } from "../lib/format";
import { useQuery } from "../lib/hooks";
import Title from "../components/Title";

/** What the customer owes by age, their open invoices, and the payments they made. */
export function StatementView({ id, stacked = false }: { id: string; stacked?: boolean }) {
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
            <th scope="col" className="hidden px-3 py-2 text-right font-medium sm:table-cell">Invoices</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Owed</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-200">
          {data.ages.map((age) => (
            <tr key={age.label}>
              <td className="px-3 py-2">
                {age.label}
                {/* On a phone the count sits under the age, so the money keeps its room. */}
                <span className="block text-xs text-gray-500 sm:hidden">
                  {age.count} {age.count === 1 ? "invoice" : "invoices"}
                </span>
              </td>
              <td className="hidden px-3 py-2 text-right sm:table-cell">{age.count}</td>
              <td className="whitespace-nowrap px-3 py-2 text-right" data-money>{formatCurrency(age.amount)}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <td className="px-3 py-2">Total owed</td>
            <td className="hidden px-3 py-2 sm:table-cell" />
            <td className="whitespace-nowrap px-3 py-2 text-right" data-testid="statement-owed" data-money>{formatCurrency(data.owed)}</td>
          </tr>
        </tbody>
      </table>
      <div className={`grid gap-6 ${stacked ? "" : "xl:grid-cols-2"}`}>
        <OpenInvoices lines={data.openInvoices} />
        <Payments paid={data.paid} payments={data.payments} />
      </div>
      {data.truncated ? <p className="mt-4 text-gray-500">Only the first 200 lines of each list are shown; the totals count every invoice and payment.</p> : null}
    </div>
  );
}

type Statement = components["schemas"]["Statement"];

function OpenInvoices({ lines }: { lines: Statement["openInvoices"] }) {
  return (
    <section aria-label="Open invoices">
      <h3 className="mb-2 font-medium">Open invoices</h3>
      {lines.length === 0 ? (
        <p className="text-gray-500">Nothing owed.</p>
      ) : (
        <table className="w-full bg-white">
          <StatementHead third="Age" last="Owed" />
          <tbody className="divide-y divide-gray-200">
            {lines.map((line) => (
              <tr key={line.invoiceId}>
                <td className="px-3 py-1.5 sm:whitespace-nowrap">
                  {formatDate(line.date)}
                  {/* On a phone the invoice and its age sit under the date (which may wrap: the money keeps its room). */}
                  <span className="block text-xs text-gray-500 sm:hidden">
                    {line.number} · {line.ageDays} days
                  </span>
                </td>
                <td className="hidden whitespace-nowrap px-3 py-1.5 sm:table-cell">{line.number}</td>
                <td className="hidden whitespace-nowrap px-3 py-1.5 text-gray-500 sm:table-cell">{line.ageDays} days</td>
                <td className="whitespace-nowrap px-3 py-1.5 text-right" data-money>
                  {formatCurrency(line.balance)}
                  {line.balance !== line.amount ? <span className="block text-xs text-gray-500">of {formatCurrency(line.amount)}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Every payment recorded for the customer, newest first; a voided one is struck through with its reason. */
function Payments({ paid, payments }: { paid: number; payments: Statement["payments"] }) {
  return (
    <section aria-label="Payments">
      <h3 className="mb-2 font-medium">Payments ({formatCurrency(paid)})</h3>
      {payments.length === 0 ? (
        <p className="text-gray-500">No payments yet.</p>
      ) : (
        <table className="w-full bg-white">
          <StatementHead third="Method" last="Amount" />
          <tbody className="divide-y divide-gray-200">
            {payments.map((payment) => (
              <tr key={payment.id} className={payment.voidedAt ? "text-gray-500" : ""} data-testid="statement-payment">
                <td className="px-3 py-1.5 sm:whitespace-nowrap">
                  {formatDate(payment.date)}
                  {/* On a phone the invoice, the method and a void's reason sit under the date. */}
                  <span className="block text-xs text-gray-500 sm:hidden">
                    {payment.invoiceNumber} · {methodLabel(payment.method)}
                  </span>
                  {payment.voidedAt ? (
                    <span className="block text-xs text-red-600 sm:hidden">Void: {payment.voidReason}</span>
                  ) : null}
                </td>
                <td className="hidden whitespace-nowrap px-3 py-1.5 sm:table-cell">{payment.invoiceNumber}</td>
                <td className="hidden px-3 py-1.5 sm:table-cell">
                  {methodLabel(payment.method)}
                  {payment.voidedAt ? <span className="block text-xs text-red-600">Void: {payment.voidReason}</span> : null}
                </td>
                <td className={`whitespace-nowrap px-3 py-1.5 text-right ${payment.voidedAt ? "line-through" : ""}`} data-money>{formatCurrency(payment.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The statement on its own page, laid out for paper: the print dialog leaves out the buttons. */
export default function PrintableStatement() {
  const { id = "" } = useParams();
  const customer = useQuery({ key: `statement-customer:${id}`, load: (signal) =>
    call(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } }, signal })).then((r) => r.data) });
  if (customer.error?.status === 404) return <CustomerNotFound />;
  if (customer.error) throw customer.error;
  const c = customer.data;
  return (
    <main className="mx-auto max-w-3xl p-6 md:p-10 print:p-0">
      <Title>{c ? `Statement for ${c.name} · Acme` : "Statement · Acme"}</Title>
      <div className="mb-6 flex items-center justify-between print:hidden">
        <Link to={`/dashboard/customers/${id}`} className="flex items-center gap-2 text-sm text-blue-600 hover:underline">
          <ArrowLeftIcon className="h-4" aria-hidden="true" /> Back to the customer
        </Link>
        <button type="button" onClick={() => window.print()} className="flex h-10 items-center gap-2 rounded-lg bg-blue-600 px-4 text-sm font-medium text-white hover:bg-[#1e6afc]">
          <PrinterIcon className="h-5" aria-hidden="true" /> Print
        </button>
      </div>
      {/* Below 640 px (not on paper) the customer's block stacks under the logo. */}
      <header className="mb-6 flex flex-col items-start gap-4 sm:flex-row sm:justify-between print:flex-row print:justify-between">
        <div className="shrink-0 rounded-md bg-blue-600 p-4 text-white">
          <div className="w-40">
            <AcmeLogo />
          </div>
        </div>
        <div className="min-w-0 [overflow-wrap:anywhere] sm:text-right print:text-right">
          <h1 className="font-serif text-2xl">Statement</h1>
          {c ? (
            <>
              <p className="font-medium" data-testid="statement-customer">{c.name}</p>
              <p className="text-sm text-gray-600">{c.email}</p>
            </>
          ) : null}
        </div>
      </header>
      <StatementView id={id} stacked />
    </main>
  );
}

/** Both tables' headings: date and invoice, then `third` (folded under the date on phones), then the money. */
function StatementHead({ third, last }: { third: string; last: string }) {
  return (
    <thead>
      <tr className="text-left text-gray-600">
        <th scope="col" className="px-3 py-1.5 font-medium">Date</th>
        <th scope="col" className="hidden px-3 py-1.5 font-medium sm:table-cell">Invoice</th>
        <th scope="col" className="hidden px-3 py-1.5 font-medium sm:table-cell">{third}</th>
        <th scope="col" className="px-3 py-1.5 text-right font-medium">{last}</th>
      </tr>
    </thead>
  );
}
