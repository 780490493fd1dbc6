import { ExclamationTriangleIcon } from "@heroicons/react/24/outline";

/** The red "Overdue" pill beside an unpaid invoice past its due date. */
export default function OverduePill({ overdue }: { overdue: boolean | undefined }) {
  if (!overdue) return null;
  return (
    <span
      className="ml-1 inline-flex items-center rounded-full bg-red-600 px-2 py-1 text-xs text-white"
      data-testid="overdue-pill"
    >
      Overdue
      <ExclamationTriangleIcon className="ml-1 w-4 text-white" aria-hidden="true" />
    </span>
  );
}
