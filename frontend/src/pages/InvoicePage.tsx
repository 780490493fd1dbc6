import PencilIcon from "@heroicons/react/24/outline/PencilIcon";
import PrinterIcon from "@heroicons/react/24/outline/PrinterIcon";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useParams } from "../lib/routing";
import { ApiError, api, call, type Invoice } from "../api/client";
import { PAYMENT_METHODS, methodLabel, type Payment, type PaymentMethod } from "../api/lifecycle";
import Breadcrumbs from "../components/Breadcrumbs";
import History from "../components/History";
import { Button } from "../components/Button";
import OverduePill from "../components/OverduePill";
import StatusBadge from "../components/StatusBadge";
import { amountProblem, formatCurrency, formatDate, parseDollarsToCents, type AmountLimit } from "../lib/format";
import { useQuery } from "../lib/hooks";
import { useIdempotencyKey } from "../lib/idempotency";
import { InvoiceNotFound } from "../components/NotFoundScreen";
import "../styles/print.css";
import Title from "../components/Title";

/** The invoice page: the invoice as it prints, its payments, and recording or voiding one. */
export default function InvoicePage() {
  const { id = "" } = useParams();
  const { data, error, reload } = useQuery({
    key: `invoice-page:${id}`,
    load: async (signal) => {
      const path = { invoice_id: id };
      const [invoice, payments] = await Promise.all([
        call(api.GET("/api/invoices/{invoice_id}", { params: { path }, signal })),
        call(api.GET("/api/invoices/{invoice_id}/payments", { params: { path }, signal })),
      ]);
      return { invoice: invoice.data, payments: payments.data };
    },
  });
  const [toVoid, setToVoid] = useState<Payment | null>(null);

  if (error?.status === 404) return <InvoiceNotFound />;
  if (error) throw error;
  const invoice = data?.invoice;

  return (
    <main>
      <Title>{invoice ? `${invoice.number} · Acme` : "Invoice · Acme"}</Title>
      <div className="print-hide">
        <Breadcrumbs
          breadcrumbs={[
            { label: "Invoices", href: "/dashboard/invoices" },
            { label: invoice?.number ?? "Invoice", href: `/dashboard/invoices/${id}`, active: true },
          ]}
        />
      </div>
      {invoice && data ? (
        <>
          <div className="print-hide mb-4 flex flex-wrap items-center justify-end gap-3">
            <Link
              to={`/dashboard/invoices/${invoice.id}/edit`}
              className="flex h-10 items-center gap-2 rounded-lg border border-gray-200 px-4 text-sm font-medium hover:bg-gray-100"
            >
              <PencilIcon className="w-4" aria-hidden="true" /> Edit invoice
            </Link>
            <button
              type="button"
              onClick={() => window.print()}
              className="flex h-10 items-center gap-2 rounded-lg border border-gray-200 px-4 text-sm font-medium hover:bg-gray-100"
            >
              <PrinterIcon className="w-4" aria-hidden="true" /> Print
            </button>
          </div>
          <InvoiceSheet invoice={invoice} payments={data.payments} onVoid={setToVoid} />
          {invoice.balanceDue > 0 ? <RecordPayment invoice={invoice} onRecorded={reload} /> : null}
          <VoidDialog invoice={invoice} payment={toVoid} onClose={() => setToVoid(null)} onVoided={reload} />
          <div className="print-hide">
            <History key={data.payments.length + invoice.amountPaid} resource="invoices" id={invoice.id} />
          </div>
        </>
      ) : (
        <div className="h-[420px] rounded-md bg-gray-50 p-6" aria-busy="true" aria-label="Loading invoice">
          <div className="shimmer h-full rounded-md bg-gray-100" />
        </div>
      )}
    </main>
  );
}

function InvoiceSheet({
  invoice,
  payments,
  onVoid,
}: {
  invoice: Invoice;
  payments: Payment[];
  onVoid: (payment: Payment) => void;
}) {
  return (
    <article className="print-sheet rounded-lg border border-gray-200 bg-white p-4 sm:p-6 lg:p-10" aria-label={`Invoice ${invoice.number}`}>
      <header className="flex flex-wrap items-start justify-between gap-4 border-b border-gray-200 pb-6">
        <div>
          <p className="font-serif text-3xl font-bold text-blue-600">Acme</p>
          <p className="mt-1 text-sm text-gray-500">Invoice</p>
        </div>
        <div className="text-right">
          <h2 className="font-serif text-2xl" data-testid="invoice-number">
            {invoice.number}
          </h2>
          <p className="mt-2" data-testid="invoice-status">
            <StatusBadge status={invoice.status} />
            <OverduePill overdue={invoice.overdue} />
          </p>
        </div>
      </header>

      <div className="grid gap-6 border-b border-gray-200 py-6 sm:grid-cols-2">
        <div className="min-w-0 [overflow-wrap:anywhere]">
          <h3 className="text-xs font-medium uppercase tracking-wide text-gray-500">Billed to</h3>
          <p className="mt-1 font-medium">{invoice.customerName}</p>
          <p className="text-sm text-gray-600">{invoice.customerEmail}</p>
        </div>
        <dl className="grid grid-cols-2 gap-2 text-sm">
          <dt className="text-gray-500">Issued</dt>
          <dd data-testid="invoice-date">{formatDate(invoice.date)}</dd>
          <dt className="text-gray-500">Due</dt>
          <dd data-testid="invoice-due" className={invoice.overdue ? "font-medium text-red-600" : undefined}>
            {formatDate(invoice.dueDate)}
          </dd>
        </dl>
      </div>

      {/* Three figures side by side from 1024 px (and on paper); one per line, label left, before. */}
      <dl className="grid gap-2 py-6 lg:grid-cols-3 lg:gap-4 lg:text-center print:grid-cols-3 print:text-center">
        <Figure label="Amount" testId="invoice-amount" cents={invoice.amount} />
        <Figure label="Paid" testId="invoice-paid" cents={invoice.amountPaid} />
        <Figure label="Balance due" testId="invoice-balance" cents={invoice.balanceDue} />
      </dl>

      <section aria-labelledby="payments-title">
        <h3 id="payments-title" className="font-serif text-lg">
          Payments
        </h3>
        {payments.length === 0 ? (
          <p className="mt-2 text-sm text-gray-500">No payments yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="payments">
            <thead className="text-gray-500">
              <tr>
                <th scope="col" className="py-2 pr-3 font-medium">Date</th>
                <th scope="col" className="hidden py-2 pr-3 font-medium lg:table-cell print:table-cell">Method</th>
                <th scope="col" className="hidden py-2 pr-3 font-medium lg:table-cell print:table-cell">Note</th>
                <th scope="col" className="py-2 pr-3 text-right font-medium">Amount</th>
                <th scope="col" className="print-hide py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.map((payment) => (
                <tr
                  key={payment.id}
                  className={`border-t border-gray-100 ${payment.voidedAt ? "payment-void text-gray-500" : ""}`}
                  data-testid="payment-row"
                >
                  <td className="py-2 pr-3 align-top">
                    <span className="whitespace-nowrap">{formatDate(payment.date)}</span>
                    {/* Below 1024 px the method and note sit under the date, not in columns of their own. */}
                    <span className="block [overflow-wrap:anywhere] lg:hidden print:hidden">
                      {methodLabel(payment.method)}
                      {payment.note ? ` · ${payment.note}` : ""}
                    </span>
                    {payment.voidedAt ? <VoidReason reason={payment.voidReason} className="lg:hidden print:hidden" /> : null}
                  </td>
                  <td className="hidden py-2 pr-3 align-top lg:table-cell print:table-cell">{methodLabel(payment.method)}</td>
                  <td className="hidden py-2 pr-3 align-top [overflow-wrap:anywhere] lg:table-cell print:table-cell">
                    {payment.note}
                    {payment.voidedAt ? <VoidReason reason={payment.voidReason} /> : null}
                  </td>
                  <td className={`whitespace-nowrap py-2 pr-3 text-right align-top ${payment.voidedAt ? "line-through" : ""}`} data-money>
                    {formatCurrency(payment.amount)}
                  </td>
                  <td className="print-hide py-2 text-right align-top">
                    {payment.voidedAt ? null : (
                      <button
                        type="button"
                        className="rounded-md border border-gray-200 px-2 py-1 text-xs hover:bg-gray-100"
                        aria-label={`Void the ${formatCurrency(payment.amount)} payment of ${formatDate(payment.date)}`}
                        onClick={() => onVoid(payment)}
                      >
                        Void
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <p className="print-only mt-8 text-xs text-gray-500">
        Balance due {formatCurrency(invoice.balanceDue)} by {formatDate(invoice.dueDate)}. Thank you for your business.
      </p>
    </article>
  );
}

function Figure({ label, testId, cents }: { label: string; testId: string; cents: number }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-x-4 rounded-lg bg-gray-50 px-3 py-2 lg:block lg:p-3 print:block">
      <dt className="text-xs text-gray-500">{label}</dt>
      <dd className="whitespace-nowrap font-serif text-xl" data-testid={testId} data-money>
        {formatCurrency(cents)}
      </dd>
    </div>
  );
}

function VoidReason({ reason, className = "" }: { reason: string | null | undefined; className?: string }) {
  return <span className={`block text-xs text-red-600 [overflow-wrap:anywhere] ${className}`}>Void: {reason}</span>;
}

type PaymentField = "amount" | "date" | "method" | "note";

function localToday(): string {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, "0");
  const day = String(now.getDate()).padStart(2, "0");
  return `${now.getFullYear()}-${month}-${day}`;
}

function RecordPayment({ invoice, onRecorded }: { invoice: Invoice; onRecorded: () => void }) {
  const [amount, setAmount] = useState("");
  const [date, setDate] = useState(localToday);
  const [method, setMethod] = useState<PaymentMethod>("bank_transfer");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Partial<Record<PaymentField, string>>>({});
  const [message, setMessage] = useState("");
  const [saving, setSaving] = useState(false);
  const amountInput = useRef<HTMLInputElement>(null);
  const idempotency = useIdempotencyKey();
  // The invoice form's rules for an amount, with the balance due as the upper bound.
  const limit: AmountLimit = { cents: invoice.balanceDue, name: "the balance due" };

  /** A shown amount message follows the text as it is fixed (or names the rule it now breaks). */
  function changeAmount(value: string) {
    setAmount(value);
    if (!errors.amount) return;
    const now = amountProblem(value, limit);
    setErrors(({ amount: _, ...rest }) => (now ? { ...rest, amount: now } : rest));
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const cents = parseDollarsToCents(amount);
    const found: Partial<Record<PaymentField, string>> = {};
    const amountMessage = amountProblem(amount, limit);
    if (amountMessage) found.amount = amountMessage;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) found.date = "Please enter a date.";
    setErrors(found);
    setMessage("");
    if (Object.keys(found).length || cents === null) {
      if (found.amount) amountInput.current?.focus();
      return;
    }
    const body = { amount: cents, date, method, note: note.trim() };
    setSaving(true);
    try {
      await call(
        api.POST("/api/invoices/{invoice_id}/payments", {
          params: { path: { invoice_id: invoice.id } },
          body,
          headers: { "Idempotency-Key": idempotency.keyFor({ invoice: invoice.id, ...body }) },
        }),
      );
      idempotency.done();
      setAmount("");
      setNote("");
      onRecorded();
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Something went wrong.");
      const fromServer: Partial<Record<PaymentField, string>> = {};
      for (const e of apiError.errors) {
        if (e.field === "amount" || e.field === "date" || e.field === "method" || e.field === "note") fromServer[e.field] = e.message;
      }
      setErrors(fromServer);
      // The server's own words for what it refused; "Database Error" only when it failed (5xx, network).
      setMessage(
        apiError.status === 0 || apiError.status >= 500
          ? "Database Error: Failed to Record Payment."
          : apiError.status === 400 && Object.keys(fromServer).length
            ? "Please check the payment."
            : apiError.message,
      );
      if (apiError.status === 409) onRecorded();
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="record-title" className="print-hide mt-6 rounded-md bg-gray-50 p-4 md:p-6">
      <h2 id="record-title" className="font-serif text-xl">
        Record payment
      </h2>
      <div className="mt-4 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <div>
          <label htmlFor="payment-amount" className="mb-2 block text-sm font-medium">
            Amount (USD)
          </label>
          <input
            ref={amountInput}
            id="payment-amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder={formatCurrency(invoice.balanceDue).slice(1)}
            value={amount}
            onChange={(e) => changeAmount(e.target.value)}
            aria-invalid={errors.amount ? true : undefined}
            aria-describedby="payment-amount-error"
            className={`block w-full rounded-md border px-3 py-2 text-sm ${errors.amount ? "border-red-500" : "border-gray-200"}`}
          />
          <button type="button" className="mt-1 text-left text-xs text-blue-600 underline" onClick={() => changeAmount((invoice.balanceDue / 100).toFixed(2))}>
            Pay the balance ({formatCurrency(invoice.balanceDue)})
          </button>
          <FieldError id="payment-amount-error" message={errors.amount} />
        </div>
        <div>
          <label htmlFor="payment-date" className="mb-2 block text-sm font-medium">
            Date
          </label>
          <input
            id="payment-date"
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            aria-invalid={errors.date ? true : undefined}
            aria-describedby="payment-date-error"
            className={`block w-full rounded-md border px-3 py-2 text-sm ${errors.date ? "border-red-500" : "border-gray-200"}`}
          />
          <FieldError id="payment-date-error" message={errors.date} />
        </div>
        <div>
          <label htmlFor="payment-method" className="mb-2 block text-sm font-medium">
            Method
          </label>
          <select
            id="payment-method"
            value={method}
            onChange={(e) => setMethod(e.target.value as PaymentMethod)}
            aria-describedby="payment-method-error"
            className="block w-full rounded-md border border-gray-200 bg-white px-3 py-2 text-sm"
          >
            {PAYMENT_METHODS.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
          <FieldError id="payment-method-error" message={errors.method} />
        </div>
        <div>
          <label htmlFor="payment-note" className="mb-2 block text-sm font-medium">
            Note (optional)
          </label>
          <input
            id="payment-note"
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-describedby="payment-note-error"
            className="block w-full rounded-md border border-gray-200 px-3 py-2 text-sm"
          />
          <FieldError id="payment-note-error" message={errors.note} />
        </div>
      </div>
      <div aria-live="polite">
        {message ? (
          <p className="mt-3 text-sm text-red-600" role="alert" data-testid="payment-message">
            {message}
          </p>
        ) : null}
      </div>
      <div className="mt-4 flex justify-end">
        <Button type="submit" aria-disabled={saving} disabled={saving}>
          Record payment
        </Button>
      </div>
    </form>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return (
    <div id={id} aria-live="polite">
      {message ? <p className="mt-1 text-sm text-red-600">{message}</p> : null}
    </div>
  );
}

function VoidDialog({
  invoice,
  payment,
  onClose,
  onVoided,
}: {
  invoice: Invoice;
  payment: Payment | null;
  onClose: () => void;
  onVoided: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (payment && !element.open) {
      setReason("");
      setMessage("");
      element.showModal();
    } else if (!payment && element.open) {
      element.close();
    }
  }, [payment]);

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!payment) return;
    if (!reason.trim()) {
      setMessage("Please give a reason for voiding.");
      return;
    }
    setBusy(true);
    try {
      await call(
        api.POST("/api/invoices/{invoice_id}/payments/{payment_id}/void", {
          params: { path: { invoice_id: invoice.id, payment_id: payment.id } },
          body: { reason: reason.trim() },
        }),
      );
      onVoided();
      onClose();
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, "Something went wrong.");
      setMessage(apiError.status >= 400 && apiError.status < 500 ? apiError.message : "Database Error: Failed to Void Payment.");
      if (apiError.status === 409) onVoided();
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="void-title"
      onClose={onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-6 shadow-xl backdrop:bg-gray-900/40"
    >
      <form onSubmit={confirm} noValidate>
        <h2 id="void-title" className="font-serif text-xl">
          Void payment
        </h2>
        <p className="mt-3 text-sm text-gray-700">
          {payment ? `Void the ${formatCurrency(payment.amount)} payment of ${formatDate(payment.date)}? It stays listed as void and the balance goes back up.` : ""}
        </p>
        <label htmlFor="void-reason" className="mt-4 block text-sm font-medium">
          Reason
        </label>
        <input
          id="void-reason"
          autoFocus
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          className="mt-1 block w-full rounded-md border border-gray-200 px-3 py-2 text-sm"
        />
        <div aria-live="polite">{message ? <p className="mt-2 text-sm text-red-600">{message}</p> : null}</div>
        <div className="mt-6 flex justify-end gap-4">
          <button
            type="button"
            className="flex h-10 items-center rounded-lg bg-gray-100 px-4 text-sm font-medium text-gray-600 hover:bg-gray-200"
            onClick={onClose}
          >
            Cancel
          </button>
          <button
            type="submit"
            disabled={busy}
            className="flex h-10 items-center rounded-lg bg-red-600 px-4 text-sm font-medium text-white hover:bg-[#ea0611] disabled:opacity-50"
          >
            Void payment
          </button>
        </div>
      </form>
    </dialog>
  );
}
