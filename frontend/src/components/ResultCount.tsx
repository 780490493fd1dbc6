import { formatCount } from "../lib/format";

type Counted = { total: number; totalIsCapped: boolean; totalIsEstimate?: boolean };

/** How many rows match: "N+" when the server capped a broad count (totalIsCapped), "about N"
 * when it estimated one (totalIsEstimate). */
export default function ResultCount({ page, noun }: { page?: Counted; noun: string }) {
  return (
    <p className="mt-2 h-5 text-center text-sm text-gray-500" aria-live="polite" data-testid="result-count">
      {page ? formatCount(page.total, page.totalIsCapped, noun, page.totalIsEstimate ?? false) : null}
      {page?.totalIsCapped ? <span className="sr-only"> (at least; narrow the search for an exact count)</span> : null}
      {page?.totalIsEstimate ? <span className="sr-only"> (an estimate; narrow the search for an exact count)</span> : null}
    </p>
  );
}
