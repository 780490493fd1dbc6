import { CheckIcon, ClockIcon } from "@heroicons/react/24/outline";

export default function StatusBadge({ status }: { status: string }) {
  if (status === "paid") {
    return (
      <span className="inline-flex items-center rounded-full bg-green-500 px-2 py-1 text-xs text-white">
        Paid
        <CheckIcon className="ml-1 w-4 text-white" aria-hidden="true" />
      </span>
    );
  }
  return (
    <span className="inline-flex items-center rounded-full bg-gray-100 px-2 py-1 text-xs text-gray-500">
      Pending
      <ClockIcon className="ml-1 w-4 text-gray-500" aria-hidden="true" />
    </span>
  );
}
