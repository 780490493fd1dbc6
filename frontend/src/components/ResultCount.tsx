import { formatCount } from "../lib/format";

/** How many rows match; "N+" when the server capped a broad count (totalIsCapped). */
export default function ResultCount({ page, noun }: { page?: { total: number; totalIsCapped: boolean }; noun: string }) {
  return (
    <p className="mt-2 h-5 text-center text-sm text-gray-500" aria-live="polite" data-testid="result-count">
      {page ? formatCount(page.total, page.totalIsCapped, noun) : null}
      {page?.totalIsCapped ? <span className="sr-only"> (at least; narrow the search for an exact count)</span> : null}
    </p>
  );
}
