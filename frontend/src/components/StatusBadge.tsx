import CheckIcon from "@heroicons/react/24/outline/CheckIcon";
import ClockIcon from "@heroicons/react/24/outline/ClockIcon";

// The original's pills in the nearest shades that meet WCAG AA contrast (4.5:1) for their text:
// Paid white on green-700 (4.9:1, was green-500 at 2.2:1), Pending gray-600 on gray-100 (6.9:1).
export default function StatusBadge({ status }: { status: string }) {
  if (status === "paid") {
    return (
      <span className="inline-flex items-center whitespace-nowrap rounded-full bg-green-700 px-2 py-1 text-xs text-white">
        Paid
        <CheckIcon className="ml-1 w-4 text-white" aria-hidden="true" />
      </span>
    );
  }
  return (
    <span className="inline-flex items-center whitespace-nowrap rounded-full bg-gray-100 px-2 py-1 text-xs text-gray-600">
      Pending
      <ClockIcon className="ml-1 w-4 text-gray-600" aria-hidden="true" />
    </span>
  );
}
