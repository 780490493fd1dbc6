import PencilIcon from "@heroicons/react/24/outline/PencilIcon";
import TrashIcon from "@heroicons/react/24/outline/TrashIcon";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useSearchParams } from "../lib/routing";
import { api, call, type Invoice } from "../api/client";
import Avatar from "../components/Avatar";
import ListToolbar from "../components/ListToolbar";
import Pagination from "../components/Pagination";
import ResultCount from "../components/ResultCount";
import OverduePill from "../components/OverduePill";
import StatusBadge from "../components/StatusBadge";
import StatusTabs, { parseStatusFilter } from "../components/StatusTabs";
import { formatCurrency, formatDate } from "../lib/format";
import { useQuery, useWide } from "../lib/hooks";
import { INVOICES_PAGE_SIZE as PAGE_SIZE, invoicesQuery, listParams } from "../lib/queries";
import Title from "../components/Title";

export default function Invoices() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const { query, page } = listParams(searchParams);
  const status = parseStatusFilter(searchParams.get("status"));
  const { data, error, reload } = useQuery(invoicesQuery(query, page, status));
  const [toDelete, setToDelete] = useState<Invoice | null>(null);

  // A page past the end (for example after deleting its last row): show the last page instead.
  useEffect(() => {
    if (data && data.items.length === 0 && data.totalPages > 0 && page > data.totalPages) {
      const params = new URLSearchParams(searchParams);
      params.set("page", String(data.totalPages));
      navigate(`?${params.toString()}`, { replace: true });
    }
  }, [data, page, navigate, searchParams]);

  if (error) throw error;

  return (
    <main className="w-full">
      <Title>{query ? `Invoices matching “${query}” · Acme` : "Invoices · Acme"}</Title>
      <div className="flex w-full items-center justify-between">
        <h1 className="font-serif text-2xl">Invoices</h1>
      </div>
      <ListToolbar kind="invoices" query={query} status={status} className="mt-4 md:mt-8" />
      <StatusTabs />
      {data ? <InvoicesTable invoices={data.items} query={query} onDelete={setToDelete} /> : <InvoicesTableSkeleton />}
      <div className="mt-5 flex min-h-10 w-full justify-center">
        {data ? <Pagination currentPage={page} totalPages={data.totalPages} /> : null}
      </div>
      <ResultCount page={data ?? undefined} noun="invoice" />
      <DeleteDialog invoice={toDelete} onClose={() => setToDelete(null)} onDeleted={reload} />
    </main>
  );
}

function InvoicesTable({
  invoices,
  query,
  onDelete,
}: {
  invoices: Invoice[];
  query: string;
  onDelete: (invoice: Invoice) => void;
}) {
  const wide = useWide();
  return (
    <div className="mt-6 flow-root">
      <div className="block min-w-full align-middle">
        <div className="rounded-lg bg-gray-50 p-2 lg:pt-0">
          {invoices.length === 0 ? (
            <p className="break-words p-6 text-center text-sm text-gray-600 lg:pt-8">
              {query ? `No invoices match “${query}”.` : "No invoices yet."}
            </p>
          ) : null}
          {!wide ? (
            <div>
              {invoices.map((invoice) => (
                <div key={invoice.id} className="mb-2 w-full rounded-md bg-white p-4" data-testid="invoice-card">
                  {/* The pills wrap under the name and email when all three do not fit on one line. */}
                  <div className="flex flex-wrap items-center justify-between gap-2 border-b border-gray-200 pb-4">
                    <div className="min-w-0">
                      <div className="mb-2 flex items-center">
                        <Avatar name={invoice.customerName} imageUrl={invoice.customerImageUrl} className="mr-2" />
                        <InvoiceLink invoice={invoice} />
                      </div>
                      <p className="truncate text-sm text-gray-500" title={invoice.customerEmail}>{invoice.customerEmail}</p>
                    </div>
                    <div>
                      <StatusBadge status={invoice.status} />
                      <OverduePill overdue={invoice.overdue} />
                    </div>
                  </div>
                  <div className="flex w-full flex-wrap items-center justify-between gap-2 pt-4">
                    <div>
                      <p className="whitespace-nowrap text-xl font-medium" data-testid="money">{formatCurrency(invoice.amount)}</p>
                      <p>{formatDate(invoice.date)}</p>
                    </div>
                    <RowActions invoice={invoice} onDelete={onDelete} />
                  </div>
                </div>
              ))}
            </div>
          ) : invoices.length > 0 ? (
            <table className="w-full text-gray-900">
              <InvoicesTableHead />
              <tbody className="bg-white">
                {invoices.map((invoice) => (
                  <tr
                    key={invoice.id}
                    className="h-[57px] w-full border-b border-gray-100 text-sm last-of-type:border-none [&:first-child>td:first-child]:rounded-tl-lg [&:first-child>td:last-child]:rounded-tr-lg [&:last-child>td:first-child]:rounded-bl-lg [&:last-child>td:last-child]:rounded-br-lg"
                  >
                    <td className="w-full max-w-0 py-3 pl-4 pr-3 xl:w-1/2 xl:pl-6">
                      <div className="flex items-center gap-3">
                        <Avatar name={invoice.customerName} imageUrl={invoice.customerImageUrl} />
                        <div className="min-w-0">
                          <InvoiceLink invoice={invoice} />
                          <p className="truncate text-gray-500 xl:hidden" title={invoice.customerEmail}>{invoice.customerEmail}</p>
                        </div>
                      </div>
                    </td>
                    <td className="hidden max-w-0 px-3 py-3 xl:table-cell xl:w-1/2">
                      <p className="truncate" title={invoice.customerEmail}>{invoice.customerEmail}</p>
                    </td>
                    <td className="whitespace-nowrap px-3 py-3" data-testid="money">{formatCurrency(invoice.amount)}</td>
                    <td className="whitespace-nowrap px-3 py-3">{formatDate(invoice.date)}</td>
                    <td className="whitespace-nowrap px-3 py-3">
                      {/* Between 1024 and 1280 px "Overdue" alone says it (unpaid and late), so the name keeps its room. */}
                      <span className={invoice.overdue ? "hidden xl:inline" : undefined}>
                        <StatusBadge status={invoice.status} />
                      </span>
                      <OverduePill overdue={invoice.overdue} gap="xl:ml-1" />
                    </td>
                    <td className="whitespace-nowrap py-3 pl-3 pr-3">
                      <RowActions invoice={invoice} onDelete={onDelete} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** The customer's name (whole on hover), leading to the invoice page. */
function InvoiceLink({ invoice }: { invoice: Invoice }) {
  return (
    <Link
      to={`/dashboard/invoices/${invoice.id}`}
      title={invoice.customerName}
      aria-label={`${invoice.customerName}, ${invoice.number}`}
      className="block min-w-0 truncate hover:underline"
      data-testid="invoice-link"
      data-number={invoice.number}
    >
      {invoice.customerName}
    </Link>
  );
}

function RowActions({ invoice, onDelete }: { invoice: Invoice; onDelete: (invoice: Invoice) => void }) {
  const what = `the ${formatCurrency(invoice.amount)} invoice of ${invoice.customerName}`;
  return (
    <div className="flex justify-end gap-3">
      <Link to={`/dashboard/invoices/${invoice.id}/edit`} className="rounded-md border border-gray-200 p-2 hover:bg-gray-100" aria-label={`Edit ${what}`} title="Edit">
        <PencilIcon className="w-5" aria-hidden="true" />
      </Link>
      <button type="button" className="rounded-md border border-gray-200 p-2 hover:bg-gray-100" aria-label={`Delete ${what}`} title="Delete" data-row-delete={invoice.id} onClick={() => onDelete(invoice)}>
        <TrashIcon className="w-5" aria-hidden="true" />
      </button>
    </div>
  );
}

function DeleteDialog({
  invoice,
  onClose,
  onDeleted,
}: {
  invoice: Invoice | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (invoice && !element.open) {
      setMessage("");
      element.showModal();
      cancel.current?.focus();
    } else if (!invoice && element.open) {
      element.close();
    }
  }, [invoice]);

  async function confirm() {
    if (!invoice) return;
    setBusy(true);
    setMessage("");
    try {
      await call(api.DELETE("/api/invoices/{invoice_id}", { params: { path: { invoice_id: invoice.id } } }));
      focusAfterDelete(invoice.id);
      onDeleted();
      onClose();
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404) {
        focusAfterDelete(invoice.id);
        onDeleted();
        onClose();
      } else {
        setMessage("Database Error: Failed to Delete Invoice.");
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="delete-title"
      aria-describedby="delete-text"
      onClose={onClose}
      className="m-auto w-[calc(100%-2rem)] max-w-md rounded-xl p-6 shadow-xl backdrop:bg-gray-900/40"
    >
      <h2 id="delete-title" className="font-serif text-xl">
        Delete invoice
      </h2>
      <p id="delete-text" className="mt-3 break-words text-sm text-gray-700">
        {invoice ? `Delete the ${formatCurrency(invoice.amount)} invoice of ${invoice.customerName}?` : ""}
      </p>
      <p className="mt-1 text-sm text-gray-600">This cannot be undone.</p>
      <div aria-live="polite">{message ? <p className="mt-3 text-sm text-red-600">{message}</p> : null}</div>
      <div className="mt-6 flex justify-end gap-4">
        {/* Focused when the dialog opens (not autoFocus: that focuses, at the page's first render,
            a button in a closed dialog, which costs a style recalculation and does nothing). */}
        <button
          ref={cancel}
          type="button"
          className="flex h-10 items-center rounded-lg bg-gray-100 px-4 text-sm font-medium text-gray-600 transition-colors hover:bg-gray-200"
          onClick={onClose}
        >
          Cancel
        </button>
        <button
          type="button"
          disabled={busy}
          className="flex h-10 items-center rounded-lg bg-red-600 px-4 text-sm font-medium text-white transition-colors hover:bg-[#ea0611] disabled:opacity-50"
          onClick={confirm}
        >
          Delete
        </button>
      </div>
    </dialog>
  );
}

/** The rows' Delete buttons on the screen, in order (the table's or the cards'). */
function rowDeleteButtons(): HTMLButtonElement[] {
  return Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-row-delete]"));
}

/**
 * Once the deleted row has left the list, focus goes where a keyboard user carries on: the Delete
 * button of the row now in its place (the previous row's when it was the last), or the search box
 * when the list is empty. Closing the dialog gives focus back to the deleted row's button, and when
 * that row went, focus fell to <body> and the next Tab started again at the top of the page.
 */
function focusAfterDelete(invoiceId: string): void {
  const before = rowDeleteButtons();
  const deleted = before.find((button) => button.dataset.rowDelete === invoiceId);
  if (!deleted) return;
  const index = before.indexOf(deleted);
  const path = window.location.pathname;
  const pageNow = () => Number(new URLSearchParams(window.location.search).get("page") ?? "1");
  const page = pageNow();
  const started = performance.now();
  const observer = new MutationObserver(() => settle());
  const timer = setTimeout(() => settle(true), 10_000);

  function stop() {
    observer.disconnect();
    clearTimeout(timer);
  }

  function settle(late = false) {
    const active = document.activeElement;
    const waiting = !active || active === document.body || active === deleted || Boolean(active.closest("dialog"));
    // The user went elsewhere meanwhile (another field, another screen): focus stays theirs.
    if (!waiting || window.location.pathname !== path) return stop();
    if (deleted?.isConnected) return late ? stop() : undefined; // the list has not reloaded yet
    if (document.querySelector('[aria-label="Loading invoices"]') && !late) return;
    const rows = rowDeleteButtons();
    if (rows.length) {
      // On the page before (the deleted row was the only one of the last page): its last row.
      const at = pageNow() < page ? rows.length - 1 : Math.min(index, rows.length - 1);
      rows[at]?.focus();
      return stop();
    }
    // A page past the end moves to the last page with rows (Invoices' effect): wait for those.
    if (pageNow() > 1 && !late && performance.now() - started < 5_000) return;
    document.getElementById("search")?.focus();
    stop();
  }

  observer.observe(document.body, { childList: true, subtree: true });
}

function InvoicesTableSkeleton() {
  const wide = useWide();
  return (
    <div className="mt-6 flow-root" aria-busy="true" aria-label="Loading invoices">
      <div className="block min-w-full align-middle">
        <div className="rounded-lg bg-gray-50 p-2 lg:pt-0">
          {!wide ? (
            <div>
              {Array.from({ length: PAGE_SIZE }, (_, i) => (
                <div key={i} className="mb-2 h-[146px] w-full rounded-md bg-white p-4">
                  <div className="flex items-center justify-between border-b border-gray-100 pb-8">
                    <div className="flex items-center">
                      <div className="mr-2 h-8 w-8 rounded-full bg-gray-100" />
                      <div className="h-6 w-16 rounded bg-gray-100" />
                    </div>
                    <div className="h-6 w-16 rounded bg-gray-100" />
                  </div>
                  <div className="flex w-full items-center justify-between pt-4">
                    <div>
                      <div className="h-6 w-16 rounded bg-gray-100" />
                      <div className="mt-2 h-6 w-24 rounded bg-gray-100" />
                    </div>
                    <div className="flex justify-end gap-2">
                      <div className="h-10 w-10 rounded bg-gray-100" />
                      <div className="h-10 w-10 rounded bg-gray-100" />
                    </div>
                  </div>
                </div>
              ))}
            </div>
          ) : (
            <table className="w-full text-gray-900">
              <InvoicesTableHead />
              <tbody className="bg-white">
                {Array.from({ length: PAGE_SIZE }, (_, i) => (
                  <tr key={i} className="h-[57px] w-full border-b border-gray-100 last-of-type:border-none">
                    <td className="w-full max-w-0 py-3 pl-4 pr-3 xl:w-1/2 xl:pl-6">
                      <div className="flex items-center gap-3">
                        <div className="h-7 w-7 shrink-0 rounded-full bg-gray-100" />
                        <div className="h-5 w-28 rounded bg-gray-100" />
                      </div>
                    </td>
                    <td className="hidden max-w-0 px-3 py-3 xl:table-cell xl:w-1/2"><div className="h-5 w-36 max-w-full rounded bg-gray-100" /></td>
                    <td className="whitespace-nowrap px-3 py-3"><div className="h-5 w-16 rounded bg-gray-100" /></td>
                    <td className="whitespace-nowrap px-3 py-3"><div className="h-5 w-20 rounded bg-gray-100" /></td>
                    <td className="whitespace-nowrap px-3 py-3"><div className="h-5 w-16 rounded bg-gray-100" /></td>
                    <td className="whitespace-nowrap py-3 pl-3 pr-3">
                      <div className="flex justify-end gap-3">
                        <div className="h-[38px] w-[38px] rounded bg-gray-100" />
                        <div className="h-[38px] w-[38px] rounded bg-gray-100" />
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  );
}

/** The column headings, shared by the table and its loading skeleton. */
function InvoicesTableHead() {
  return (
    <thead className="rounded-lg text-left text-sm font-normal">
      <tr>
        <th scope="col" className="px-4 py-5 font-medium xl:pl-6">Customer</th>
        <th scope="col" className="hidden px-3 py-5 font-medium xl:table-cell">Email</th>
        <th scope="col" className="px-3 py-5 font-medium">Amount</th>
        <th scope="col" className="px-3 py-5 font-medium">Date</th>
        <th scope="col" className="px-3 py-5 font-medium">Status</th>
        <th scope="col" className="relative py-3 pl-3 pr-3">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
}
