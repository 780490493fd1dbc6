import ExclamationTriangleIcon from "@heroicons/react/24/outline/ExclamationTriangleIcon";
import { Link } from "../lib/routing";
import type { Dashboard } from "../api/client";
import { formatCurrency, formatNumber } from "../lib/format";

const BUCKETS = [
  ["current", "Not yet due"],
  ["days1to30", "1–30 days"],
  ["days31to60", "31–60 days"],
  ["days61to90", "61–90 days"],
  ["over90", "Over 90 days"],
] as const;

/** The overview's overdue money and the aging of everything unpaid. */
export default function AgingPanel({ data }: { data: Dashboard | undefined }) {
  const total = data ? BUCKETS.reduce((sum, [key]) => sum + data.aging[key], 0) : 0;
  return (
    <section className="mt-6 rounded-xl bg-gray-50 p-4" aria-labelledby="aging-title" aria-busy={data === undefined}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="aging-title" className="font-serif text-xl md:text-2xl">
          Unpaid invoices
        </h2>
        {data ? (
          <Link
            to="/dashboard/invoices?status=overdue&page=1"
            className="inline-flex items-center gap-1 rounded-full bg-red-600 px-3 py-1 text-sm text-white hover:bg-[#ea0611]"
            data-testid="overdue-summary"
          >
            <ExclamationTriangleIcon className="w-4" aria-hidden="true" />
            {formatCurrency(data.overdue.total)} overdue in {formatNumber(data.overdue.count)}{" "}
            {data.overdue.count === 1 ? "invoice" : "invoices"}
          </Link>
        ) : null}
      </div>
      {/* Boxes share a row while their figures fit and wrap to fewer per row when they do not:
          a box is never narrower than its figure. */}
      <dl className="mt-4 flex flex-wrap gap-2" data-testid="aging">
        {BUCKETS.map(([key, label]) => {
          const value = data?.aging[key];
          const share = data && total > 0 ? Math.round((100 * (value ?? 0)) / total) : 0;
          return (
            <div key={key} className="flex-[1_1_7rem] rounded-lg bg-white p-3">
              <dt className="text-xs text-gray-600">{label}</dt>
              <dd className="mt-1 whitespace-nowrap font-serif text-lg" data-money>
                {value === undefined ? "…" : formatCurrency(value)}
              </dd>
              <div className="mt-2 h-1.5 rounded bg-gray-100" aria-hidden="true">
                <div
                  className={`h-1.5 rounded ${key === "current" ? "bg-blue-500" : "bg-red-500"}`}
                  style={{ width: `${share}%` }}
                />
              </div>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
