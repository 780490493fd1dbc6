import ArrowDownTrayIcon from "@heroicons/react/24/outline/ArrowDownTrayIcon";
import ArrowUpTrayIcon from "@heroicons/react/24/outline/ArrowUpTrayIcon";
import PlusIcon from "@heroicons/react/24/outline/PlusIcon";
import { Link } from "../lib/routing";
import { exportUrl } from "../lib/upload";
import Search from "./Search";

type Kind = "invoices" | "customers";
const NOUN: Record<Kind, string> = { invoices: "Invoice", customers: "Customer" };

/**
 * A list's search box and its actions: export, import, create. The search box keeps room for its
 * whole placeholder; where the row is too narrow for both, the actions move to a row below it.
 * Buttons show their labels from 1024 px (icons with a screen-reader label below).
 */
export default function ListToolbar({ kind, query, status, className = "" }: { kind: Kind; query: string; status?: string | null; className?: string }) {
  const label = `Create ${NOUN[kind]}`;
  return (
    <div className={`flex flex-wrap items-center justify-end gap-2 ${className}`}>
      <Search placeholder={`Search ${kind}...`} />
      <div className="flex gap-2">
        <ExportButton kind={kind} query={query} status={status} />
        <ImportLink kind={kind} />
        <Link
          to={`/dashboard/${kind}/create`}
          className="flex h-10 shrink-0 items-center rounded-lg bg-blue-600 px-4 text-sm font-medium text-white transition-colors hover:bg-[#1e6afc] focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600"
        >
          <span className="hidden lg:block">{label}</span>
          <span className="sr-only lg:hidden">{label}</span>
          <PlusIcon className="h-5 lg:ml-4" aria-hidden="true" />
        </Link>
      </div>
    </div>
  );
}

const secondary =
  "flex h-10 shrink-0 items-center gap-2 rounded-lg border border-gray-200 bg-white px-3 text-sm font-medium text-gray-700 transition-colors hover:bg-gray-100 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600";

/** Downloads every row matching the current search as CSV (the browser streams it to a file). */
function ExportButton({ kind, query, status }: { kind: Kind; query: string; status?: string | null | undefined }) {
  return (
    <a href={exportUrl(kind, query, status)} download className={secondary} data-testid={`export-${kind}`}>
      <ArrowDownTrayIcon className="h-5" aria-hidden="true" />
      <span className="hidden lg:block">Export CSV</span>
      <span className="sr-only lg:hidden">Export CSV</span>
    </a>
  );
}

function ImportLink({ kind }: { kind: Kind }) {
  return (
    <Link to={`/dashboard/import?kind=${kind}`} className={secondary}>
      <ArrowUpTrayIcon className="h-5" aria-hidden="true" />
      <span className="hidden lg:block">Import CSV</span>
      <span className="sr-only lg:hidden">Import CSV</span>
    </Link>
  );
}
