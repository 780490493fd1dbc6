import ClockIcon from "@heroicons/react/24/outline/ClockIcon";
import { useState } from "react";
import { api, call } from "../api/client";
import type { components } from "../api/schema";
import { actorLabel, formatDateTime } from "../lib/history";
import { useQuery } from "../lib/hooks";

type HistoryPage = components["schemas"]["HistoryPage"];
const PAGE_SIZE = 10;

function load(resource: "invoices" | "customers", id: string, page: number, signal: AbortSignal): Promise<HistoryPage> {
  const query = { page, pageSize: PAGE_SIZE };
  const request =
    resource === "invoices"
      ? api.GET("/api/invoices/{invoice_id}/history", { params: { path: { invoice_id: id }, query }, signal })
      : api.GET("/api/customers/{customer_id}/history", { params: { path: { customer_id: id }, query }, signal });
  return call(request).then((r) => r.data);
}

/** Who changed what and when, newest first, from the audit trail. */
export default function History({ resource, id }: { resource: "invoices" | "customers"; id: string }) {
  const [page, setPage] = useState(1);
  const { data, error } = useQuery({ key: `history:${resource}:${id}:${page}`, load: (signal) => load(resource, id, page, signal) });

  return (
    <section aria-labelledby="history-heading" className="mt-8 rounded-md bg-gray-50 p-4 md:p-6" data-testid="history">
      <h2 id="history-heading" className="mb-4 flex items-center gap-2 font-serif text-lg md:text-xl">
        <ClockIcon className="w-5 text-gray-500" aria-hidden="true" /> History
      </h2>
      {error ? (
        <p className="text-sm text-red-600" role="alert">
          The history could not be loaded.
        </p>
      ) : !data ? (
        <div aria-busy="true" aria-label="Loading history" className="space-y-2">
          {Array.from({ length: 3 }, (_, i) => (
            <div key={i} className="h-12 rounded-md bg-white" />
          ))}
        </div>
      ) : data.items.length === 0 ? (
        <p className="text-sm text-gray-500">No changes recorded yet.</p>
      ) : (
        <ol className="space-y-2">
          {data.items.map((entry) => (
            <li key={entry.id} className="rounded-md bg-white px-4 py-3 text-sm" data-testid="history-entry">
              <span className="font-medium">{actorLabel(entry.actor)}</span> {entry.summary} on{" "}
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
            </li>
          ))}
        </ol>
      )}
      {data && data.totalPages > 1 ? (
        <nav aria-label="History pages" className="mt-4 flex items-center justify-between text-sm">
          <button
            type="button"
            className="rounded-md border border-gray-200 bg-white px-3 py-1.5 disabled:text-gray-300"
            disabled={page <= 1}
            onClick={() => setPage(page - 1)}
          >
            Newer
          </button>
          <span className="text-gray-500">
            Page {page} of {data.totalPages}
          </span>
          <button
            type="button"
            className="rounded-md border border-gray-200 bg-white px-3 py-1.5 disabled:text-gray-300"
            disabled={page >= data.totalPages}
            onClick={() => setPage(page + 1)}
          >
            Older
          </button>
        </nav>
      ) : null}
    </section>
  );
}
