import ArrowDownTrayIcon from "@heroicons/react/24/outline/ArrowDownTrayIcon";
import ArrowUpTrayIcon from "@heroicons/react/24/outline/ArrowUpTrayIcon";
import { Link } from "../lib/routing";
import { exportUrl } from "../lib/upload";

const secondary =
  "flex h-10 shrink-0 items-center gap-2 rounded-lg border border-gray-200 bg-white px-3 text-sm font-medium text-gray-700 transition-colors hover:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600";

/** Downloads every row matching the current search as CSV (the browser streams it to a file). */
export function ExportButton({ kind, query, status }: { kind: "invoices" | "customers"; query: string; status?: string | null }) {
  return (
    <a href={exportUrl(kind, query, status)} download className={secondary} data-testid={`export-${kind}`}>
      <ArrowDownTrayIcon className="h-5" aria-hidden="true" />
      <span className="hidden lg:block">Export CSV</span>
      <span className="sr-only lg:hidden">Export CSV</span>
    </a>
  );
}

export function ImportLink({ kind }: { kind: "invoices" | "customers" }) {
  return (
    <Link to={`/dashboard/import?kind=${kind}`} className={secondary}>
      <ArrowUpTrayIcon className="h-5" aria-hidden="true" />
      <span className="hidden lg:block">Import CSV</span>
      <span className="sr-only lg:hidden">Import CSV</span>
    </Link>
  );
}
