import CheckIcon from "@heroicons/react/24/outline/CheckIcon";
import ClockIcon from "@heroicons/react/24/outline/ClockIcon";
import CurrencyDollarIcon from "@heroicons/react/24/outline/CurrencyDollarIcon";
import { useRef, useState, type FormEvent } from "react";
import { useNavigate, useParams } from "../lib/routing";
import { ApiError, api, call, type CustomerOption, type Invoice, type InvoiceInput, type InvoiceStatus } from "../api/client";
import Breadcrumbs from "../components/Breadcrumbs";
import FieldMessage from "../components/FieldMessage";
import FormFooter from "../components/FormFooter";
import CustomerPicker from "../components/CustomerPicker";
import History from "../components/History";
import { amountProblem, centsToDollarsInput, formatDate, parseDollarsToCents } from "../lib/format";
import { useQuery } from "../lib/hooks";
import { useIdempotencyKey } from "../lib/idempotency";
import { invoiceQuery } from "../lib/queries";
import Title from "../components/Title";
import { InvoiceNotFound } from "../components/NotFoundScreen";

type Field = "customerId" | "amount" | "status";
type Errors = Partial<Record<Field, string>>;

interface Values {
  customer: CustomerOption | null;
  amount: string;
  status: InvoiceStatus | "";
}

/** The message for each field that breaks its rule (the amount's says which rule). */
function validate({ customer, amount, status }: Values): Errors {
  const found: Errors = {};
  if (!customer) found.customerId = "Please select a customer.";
  const amountMessage = amountProblem(amount);
  if (amountMessage) found.amount = amountMessage;
  if (status !== "pending" && status !== "paid") found.status = "Please select an invoice status.";
  return found;
}

export function CreateInvoice() {
  return (
    <main>
      <Title>Create Invoice · Acme</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Invoices", href: "/dashboard/invoices" },
          { label: "Create Invoice", href: "/dashboard/invoices/create", active: true },
        ]}
      />
      <InvoiceForm mode="create" />
    </main>
  );
}

export function EditInvoice() {
  const { id = "" } = useParams();
  const { data, error } = useQuery(invoiceQuery(id));
  if (error?.status === 404) return <InvoiceNotFound />;
  if (error) throw error;
  return (
    <main>
      <Title>Edit Invoice · Acme</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Invoices", href: "/dashboard/invoices" },
          { label: "Edit Invoice", href: `/dashboard/invoices/${id}/edit`, active: true },
        ]}
      />
      {data ? <InvoiceForm key={data.invoice.id} mode="edit" invoice={data.invoice} etag={data.etag} /> : <FormSkeleton />}
      <History resource="invoices" id={id} />
    </main>
  );
}

function InvoiceForm({ mode, invoice, etag }: { mode: "create" | "edit"; invoice?: Invoice; etag?: string | null }) {
  const navigate = useNavigate();
  const verb = mode === "create" ? "Create" : "Update";
  const [customer, setCustomer] = useState<CustomerOption | null>(
    invoice
      ? { id: invoice.customerId, name: invoice.customerName, email: invoice.customerEmail, imageUrl: invoice.customerImageUrl }
      : null,
  );
  const [amount, setAmount] = useState(invoice ? centsToDollarsInput(invoice.amount) : "");
  const [status, setStatus] = useState<InvoiceStatus | "">(invoice?.status === "paid" || invoice?.status === "pending" ? invoice.status : "");
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState("");
  const [saving, setSaving] = useState(false);
  // Empty on a new invoice: the server's payment terms decide.
  const [dueDate, setDueDate] = useState(invoice?.dueDate ?? "");
  const [dueError, setDueError] = useState<string | undefined>(undefined);
  const idempotency = useIdempotencyKey();
  const refs = {
    customerId: useRef<HTMLInputElement>(null),
    amount: useRef<HTMLInputElement>(null),
    status: useRef<HTMLInputElement>(null),
  };

  function showErrors(found: Errors, formMessage: string) {
    setErrors(found);
    setMessage(formMessage);
    const first = (["customerId", "amount", "status"] as const).find((field) => found[field]);
    if (first) refs[first].current?.focus();
  }

  /**
   * A field that shows an error is checked again as soon as it changes: the message goes away
   * once the field is fixed (or says the rule it now breaks); the form's message goes with the last one.
   */
  function recheck(field: Field, values: Values) {
    if (!errors[field]) return;
    const now = validate(values)[field];
    const next: Errors = { ...errors, [field]: now };
    if (!now) delete next[field];
    setErrors(next);
    if (Object.keys(next).length === 0) setMessage("");
  }

  function changeCustomer(value: CustomerOption | null) {
    setCustomer(value);
    recheck("customerId", { customer: value, amount, status });
  }

  function changeAmount(value: string) {
    setAmount(value);
    recheck("amount", { customer, amount: value, status });
  }

  function changeStatus(value: InvoiceStatus) {
    setStatus(value);
    recheck("status", { customer, amount, status: value });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const cents = parseDollarsToCents(amount);
    const found = validate({ customer, amount, status });
    if (Object.keys(found).length || !customer || cents === null || !status) {
      showErrors(found, `Missing Fields. Failed to ${verb} Invoice.`);
      return;
    }
    setErrors({});
    setMessage("");
    setSaving(true);
    setDueError(undefined);
    const body: InvoiceInput = { customerId: customer.id, amount: cents, status, ...(dueDate ? { dueDate } : {}) };
    try {
      if (mode === "create") {
        await call(api.POST("/api/invoices", { body, headers: { "Idempotency-Key": idempotency.keyFor(body) } }));
        idempotency.done();
      } else if (invoice) {
        await call(
          api.PUT("/api/invoices/{invoice_id}", {
            params: { path: { invoice_id: invoice.id } },
            body,
            headers: etag ? { "If-Match": etag } : {},
          }),
        );
      }
      navigate("/dashboard/invoices");
    } catch (err) {
      setSaving(false);
      const apiError = err instanceof ApiError ? err : new ApiError(0, "");
      if (apiError.status === 400 || apiError.status === 422) {
        const fromServer: Errors = {};
        for (const e of apiError.errors) {
          if (e.field === "customerId" || e.field === "amount" || e.field === "status") fromServer[e.field] = e.message;
          if (e.field === "dueDate") setDueError(e.message);
        }
        // Without a field to point at (a reused Idempotency-Key is a 422), the server's sentence says it.
        if (apiError.errors.length) showErrors(fromServer, `Missing Fields. Failed to ${verb} Invoice.`);
        else setMessage(apiError.message);
      } else if (apiError.status === 409) {
        // The one conflict an invoice's write has: an amount below what is already paid. The
        // server's sentence says how much is paid and what to do, so it goes under the amount.
        showErrors({ amount: apiError.message }, `Failed to ${verb} Invoice.`);
      } else if (apiError.status === 412) {
        setMessage("This invoice was changed by someone else. Reload to see the latest version.");
      } else if (apiError.status === 404) {
        setMessage("This invoice no longer exists.");
      } else if (apiError.status === 401) {
        // The API client is already sending the user to the login page.
      } else if (apiError.status === 0 || apiError.status >= 500) {
        setMessage(`Database Error: Failed to ${verb} Invoice.`);
      } else {
        // Any other refusal (too many requests, a reused Idempotency-Key...): the server's words.
        setMessage(apiError.message);
      }
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={mode === "create" ? "Create invoice" : "Edit invoice"}>
      <div className="rounded-md bg-gray-50 p-4 md:p-6">
        {invoice ? (
          <p className="mb-4 text-sm text-gray-600" data-testid="invoice-date">
            Dated {formatDate(invoice.date)}
          </p>
        ) : null}
        <div className="mb-4">
          <label htmlFor="customer" className="mb-2 block text-sm font-medium">
            Choose customer
          </label>
          <CustomerPicker
            id="customer"
            value={customer}
            onChange={changeCustomer}
            invalid={Boolean(errors.customerId)}
            describedBy="customer-error"
            inputRef={refs.customerId}
          />
          <FieldMessage id="customer-error" message={errors.customerId} />
        </div>

        <div className="mb-4">
          <label htmlFor="amount" className="mb-2 block text-sm font-medium">
            Choose an amount
          </label>
          <div className="relative mt-2 rounded-md">
            <input
              ref={refs.amount}
              id="amount"
              name="amount"
              type="text"
              inputMode="decimal"
              placeholder="Enter USD amount"
              autoComplete="off"
              value={amount}
              onChange={(event) => changeAmount(event.target.value)}
              aria-invalid={errors.amount ? true : undefined}
              aria-describedby="amount-error"
              className={`peer block w-full rounded-md border py-2 pl-10 text-sm focus:outline-2 focus:-outline-offset-1 focus:outline-blue-500 placeholder:text-gray-500 ${
                errors.amount ? "border-red-500" : "border-gray-200"
              }`}
            />
            <CurrencyDollarIcon
              className="pointer-events-none absolute left-3 top-1/2 h-[18px] w-[18px] -translate-y-1/2 text-gray-500 peer-focus:text-gray-900"
              aria-hidden="true"
            />
          </div>
          <FieldMessage id="amount-error" message={errors.amount} />
        </div>

        <div className="mb-4">
          <label htmlFor="dueDate" className="mb-2 block text-sm font-medium">
            Due date {invoice ? "" : "(optional: the payment terms apply)"}
          </label>
          <input
            id="dueDate"
            name="dueDate"
            type="date"
            value={dueDate}
            onChange={(event) => setDueDate(event.target.value)}
            aria-invalid={dueError ? true : undefined}
            aria-describedby="dueDate-error"
            className={`block rounded-md border px-3 py-2 text-sm ${dueError ? "border-red-500" : "border-gray-200"}`}
          />
          <FieldMessage id="dueDate-error" message={dueError} />
        </div>

        <fieldset className="min-w-0" aria-describedby="status-error" aria-invalid={errors.status ? true : undefined}>
          <legend className="mb-2 block text-sm font-medium">Set the invoice status</legend>
          <div className={`rounded-md border bg-white px-[14px] py-3 ${errors.status ? "border-red-500" : "border-gray-200"}`}>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              <div className="flex items-center">
                <input
                  ref={refs.status}
                  id="pending"
                  name="status"
                  type="radio"
                  value="pending"
                  checked={status === "pending"}
                  onChange={() => changeStatus("pending")}
                  aria-describedby="status-error"
                  aria-invalid={errors.status ? true : undefined}
                  className="h-4 w-4 cursor-pointer border-gray-300 bg-gray-100 text-gray-600 focus:ring-2"
                />
                <label htmlFor="pending" className="ml-2 flex cursor-pointer items-center gap-1.5 rounded-full bg-gray-100 px-3 py-1.5 text-xs font-medium text-gray-600">
                  Pending <ClockIcon className="h-4 w-4" aria-hidden="true" />
                </label>
              </div>
              <div className="flex items-center">
                <input
                  id="paid"
                  name="status"
                  type="radio"
                  value="paid"
                  checked={status === "paid"}
                  onChange={() => changeStatus("paid")}
                  aria-describedby="status-error"
                  aria-invalid={errors.status ? true : undefined}
                  className="h-4 w-4 cursor-pointer border-gray-300 bg-gray-100 text-gray-600 focus:ring-2"
                />
                <label htmlFor="paid" className="ml-2 flex cursor-pointer items-center gap-1.5 rounded-full bg-green-700 px-3 py-1.5 text-xs font-medium text-white">
                  Paid <CheckIcon className="h-4 w-4" aria-hidden="true" />
                </label>
              </div>
            </div>
          </div>
          <FieldMessage id="status-error" message={errors.status} />
        </fieldset>

        <div aria-live="polite" aria-atomic="true">
          {message ? (
            <p className="mt-2 text-sm text-red-600" role="alert" data-testid="form-message">
              {message}
            </p>
          ) : null}
        </div>
      </div>
      <FormFooter cancelTo="/dashboard/invoices" submitLabel={mode === "create" ? "Create Invoice" : "Edit Invoice"} saving={saving} />
    </form>
  );
}


function FormSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading invoice">
      <div className="h-[286px] rounded-md bg-gray-50 p-4 md:p-6">
        <div className="shimmer h-full rounded-md bg-gray-100" />
      </div>
      <div className="mt-6 flex justify-end gap-4">
        <div className="h-10 w-20 rounded-lg bg-gray-100" />
        <div className="h-10 w-28 rounded-lg bg-gray-100" />
      </div>
    </div>
  );
}
