import ExclamationTriangleIcon from "@heroicons/react/24/outline/ExclamationTriangleIcon";

/**
 * The red "Overdue" pill beside an unpaid invoice past its due date. `gap`: its space from the
 * status pill before it (none where that pill is hidden, so the column's pills line up).
 */
export default function OverduePill({ overdue, gap = "ml-1" }: { overdue: boolean | undefined; gap?: string }) {
  if (!overdue) return null;
  return (
    <span
      className={`${gap} inline-flex items-center rounded-full bg-red-600 px-2 py-1 text-xs text-white`}
      data-testid="overdue-pill"
    >
      Overdue
      <ExclamationTriangleIcon className="ml-1 w-4 text-white" aria-hidden="true" />
    </span>
  );
}
