import { Link, useSearchParams } from "../lib/routing";
import type { InvoiceStatusFilter } from "../api/lifecycle";

const TABS: { value: InvoiceStatusFilter | null; label: string }[] = [
  { value: null, label: "All" },
  { value: "pending", label: "Pending" },
  { value: "overdue", label: "Overdue" },
  { value: "paid", label: "Paid" },
];

export function parseStatusFilter(value: string | null): InvoiceStatusFilter | undefined {
  return value === "paid" || value === "pending" || value === "overdue" ? value : undefined;
}

/** The invoices list's status filter, kept in the URL as ?status=… (the search text stays). */
export default function StatusTabs() {
  const [searchParams] = useSearchParams();
  const current = parseStatusFilter(searchParams.get("status")) ?? null;
  return (
    <nav aria-label="Filter invoices by status" className="mt-4 flex flex-wrap gap-2">
      {TABS.map((tab) => {
        const params = new URLSearchParams(searchParams);
        if (tab.value) params.set("status", tab.value);
        else params.delete("status");
        params.set("page", "1");
        const active = tab.value === current;
        return (
          <Link
            key={tab.label}
            to={`?${params.toString()}`}
            aria-current={active ? "page" : undefined}
            className={`rounded-full px-3 py-1 text-sm font-medium ${
              active ? "bg-blue-600 text-white" : "bg-gray-100 text-gray-700 hover:bg-gray-200"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
