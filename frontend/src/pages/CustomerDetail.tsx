import PencilIcon from "@heroicons/react/24/outline/PencilIcon";
import PrinterIcon from "@heroicons/react/24/outline/PrinterIcon";
import TrashIcon from "@heroicons/react/24/outline/TrashIcon";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "../lib/routing";
import { api, call, type CustomerRow } from "../api/client";
import Avatar from "../components/Avatar";
import Breadcrumbs from "../components/Breadcrumbs";
import History from "../components/History";
import Pagination from "../components/Pagination";
import StatusBadge from "../components/StatusBadge";
import { formatCurrency, formatDate } from "../lib/format";
import { useQuery } from "../lib/hooks";
import { parsePage } from "../lib/pagination";
import { CustomerNotFound } from "../components/NotFoundScreen";
import { StatementView } from "./Statement";
import Title from "../components/Title";

const PAGE_SIZE = 10;

export default function CustomerDetail() {
  const { id = "" } = useParams();
  const [searchParams] = useSearchParams();
  const page = parsePage(searchParams.get("page"));
  const [deleting, setDeleting] = useState(false);
  const customer = useQuery({ key: `customer:${id}`, load: (signal) =>
    call(api.GET("/api/customers/{customer_id}", { params: { path: { customer_id: id } }, signal })).then((r) => r.data) });
  const invoices = useQuery({ key: `customer-invoices:${id}:${page}`, load: (signal) =>
    call(
      api.GET("/api/customers/{customer_id}/invoices", {
        params: { path: { customer_id: id }, query: { page, pageSize: PAGE_SIZE } },
        signal,
      }),
    ).then((r) => r.data) });
  if (customer.error?.status === 404) return <CustomerNotFound />;
  if (customer.error) throw customer.error;
  if (invoices.error && invoices.error.status !== 404) throw invoices.error;
  const c = customer.data;

  return (
    <main className="w-full">
      <Title>{c ? `${c.name} · Acme` : "Customer · Acme"}</Title>
      <Breadcrumbs
        breadcrumbs={[
          { label: "Customers", href: "/dashboard/customers" },
          { label: c?.name ?? "Customer", href: `/dashboard/customers/${id}`, active: true },
        ]}
      />
      {c ? (
        <section aria-label="Contact details" className="flex flex-wrap items-center justify-between gap-4 rounded-md bg-gray-50 p-4 md:p-6">
          <div className="flex min-w-0 items-center gap-4">
            <Avatar name={c.name} imageUrl={c.imageUrl} size={32} className="!h-16 !w-16 text-base" />
            <div className="min-w-0">
              <p className="truncate text-lg font-semibold" title={c.name} data-testid="customer-name">
                {c.name}
              </p>
              <a href={`mailto:${c.email}`} title={c.email} className="block truncate text-sm text-blue-600 hover:underline">
                {c.email}
              </a>
            </div>
          </div>
          <div className="flex flex-wrap gap-2">
            <Link to={`/dashboard/customers/${c.id}/edit`} className="flex h-10 items-center gap-2 rounded-lg border border-gray-200 bg-white px-3 text-sm font-medium hover:bg-gray-100">
              <PencilIcon className="h-5" aria-hidden="true" /> Edit
            </Link>
            <Link
              to={`/dashboard/customers/${c.id}/statement`}
              className="flex h-10 items-center gap-2 rounded-lg border border-gray-200 bg-white px-3 text-sm font-medium hover:bg-gray-100"
            >
              <PrinterIcon className="h-5" aria-hidden="true" /> Statement
            </Link>
            <button
              type="button"
              onClick={() => setDeleting(true)}
              className="flex h-10 items-center gap-2 rounded-lg border border-red-200 bg-white px-3 text-sm font-medium text-red-600 hover:bg-red-50"
            >
              <TrashIcon className="h-5" aria-hidden="true" /> Delete
            </button>
          </div>
        </section>
      ) : (
        <div aria-busy="true" aria-label="Loading customer" className="h-[112px] rounded-md bg-gray-50" />
      )}

      <section aria-label="Totals" className="mt-6 grid gap-4 lg:grid-cols-3">
        <Card title="Invoices" value={c ? String(c.invoiceCount) : ""} />
        <Card title="Pending" value={c ? formatCurrency(c.totalPending) : ""} money />
        <Card title="Paid" value={c ? formatCurrency(c.totalPaid) : ""} money />
      </section>

      <h2 className="mb-4 mt-8 font-serif text-xl">Invoices</h2>
      <div className="rounded-lg bg-gray-50 p-2">
        {invoices.data && invoices.data.items.length === 0 ? <p className="p-6 text-center text-sm text-gray-500">No invoices yet.</p> : null}
        <table className="min-w-full text-gray-900" hidden={invoices.data?.items.length === 0}>
          <thead className="text-left text-sm">
            <tr>
              <th scope="col" className="px-3 py-3 font-medium sm:px-4">Invoice</th>
              <th scope="col" className="px-3 py-3 text-right font-medium sm:px-4 sm:text-left">Amount</th>
              <th scope="col" className="hidden px-4 py-3 font-medium sm:table-cell">Status</th>
              <th scope="col" className="hidden px-4 py-3 font-medium sm:table-cell"><span className="sr-only">Edit</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-200 bg-white text-sm">
            {(invoices.data?.items ?? []).map((invoice) => (
              <tr key={invoice.id}>
                <td className="px-3 py-3 sm:px-4">
                  {/* The row leads to the invoice page, which has its payments and an Edit link. */}
                  <Link to={`/dashboard/invoices/${invoice.id}`} className="font-medium text-blue-600 hover:underline">
                    {invoice.number}
                  </Link>
                  <span className="block whitespace-nowrap text-gray-600">{formatDate(invoice.date)}</span>
                </td>
                <td className="px-3 py-3 text-right sm:px-4 sm:text-left">
                  <span className="whitespace-nowrap" data-testid="money">{formatCurrency(invoice.amount)}</span>
                  <span className="mt-1 block sm:hidden"><StatusBadge status={invoice.status} /></span>
                </td>
                <td className="hidden px-4 py-3 sm:table-cell"><StatusBadge status={invoice.status} /></td>
                <td className="hidden px-4 py-3 text-right sm:table-cell">
                  <Link to={`/dashboard/invoices/${invoice.id}/edit`} aria-label={`Edit ${invoice.number}`} className="text-blue-600 hover:underline">Edit</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {invoices.data && invoices.data.totalPages > 1 ? (
        <div className="mt-5 flex w-full justify-center">
          <Pagination currentPage={page} totalPages={invoices.data.totalPages} />
        </div>
      ) : null}

      <h2 className="mb-4 mt-8 font-serif text-xl">Statement</h2>
      <StatementView id={id} />

      <History resource="customers" id={id} />

      {c ? <DeleteCustomerDialog customer={c} open={deleting} onClose={() => setDeleting(false)} /> : null}
    </main>
  );
}

/** A total: money is never cut, so long figures take a smaller size instead. */
function Card({ title, value, money = false }: { title: string; value: string; money?: boolean }) {
  return (
    <div className="rounded-xl bg-gray-50 p-2 shadow-sm">
      <h2 className="p-3 text-sm font-medium">{title}</h2>
      <p
        className={`whitespace-nowrap rounded-xl bg-white px-2 py-6 text-center font-serif ${value.length > 12 ? "text-xl" : "text-2xl"}`}
        data-testid={money ? "money" : undefined}
      >
        {value || "\u00a0"}
      </p>
    </div>
  );
}

function DeleteCustomerDialog({ customer, open, onClose }: { customer: CustomerRow; open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setMessage("");
      element.showModal();
    } else if (!open && element.open) element.close();
  }, [open]);

  async function confirm() {
    setBusy(true);
    try {
      await call(api.DELETE("/api/customers/{customer_id}", { params: { path: { customer_id: customer.id } } }));
      navigate("/dashboard/customers");
    } catch (err) {
      if ((err as { status?: number }).status === 404) navigate("/dashboard/customers");
      else setMessage("Database Error: Failed to Delete Customer.");
    } finally {
      setBusy(false);
    }
  }

  const count = customer.invoiceCount;
  return (
    <dialog
      ref={dialog}
      aria-labelledby="delete-title"
      aria-describedby="delete-text"
      onClose={onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-6 shadow-xl backdrop:bg-gray-900/40"
    >
      <h2 id="delete-title" className="font-serif text-xl">Delete customer</h2>
      <p id="delete-text" className="mt-3 text-sm text-gray-700">
        Delete {customer.name}?{" "}
        {count === 0 ? "They have no invoices." : `Their ${count} ${count === 1 ? "invoice" : "invoices"} (${formatCurrency(customer.totalPending + customer.totalPaid)}) will be deleted too.`}
      </p>
      <p className="mt-1 text-sm text-gray-500">This cannot be undone.</p>
      <div aria-live="polite">{message ? <p className="mt-3 text-sm text-red-600">{message}</p> : null}</div>
      <div className="mt-6 flex justify-end gap-4">
        <button type="button" autoFocus className="flex h-10 items-center rounded-lg bg-gray-100 px-4 text-sm font-medium text-gray-600 hover:bg-gray-200" onClick={onClose}>
          Cancel
        </button>
        <button type="button" disabled={busy} onClick={confirm} className="flex h-10 items-center rounded-lg bg-red-600 px-4 text-sm font-medium text-white hover:bg-[#ea0611] disabled:opacity-50">
          Delete customer{count ? ` and ${count} ${count === 1 ? "invoice" : "invoices"}` : ""}
        </button>
      </div>
    </dialog>
  );
}
