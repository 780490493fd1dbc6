import { useNavigation } from "../lib/routing";
import { useDataLoading } from "../lib/hooks";

/** A thin bar across the top while a screen's code or data is on its way (shown at once). */
export default function ProgressBar({ loading = false }: { loading?: boolean }) {
  const navigating = useNavigation().state !== "idle";
  const fetching = useDataLoading();
  if (!(loading || navigating || fetching)) return null;
  return (
    <div
      role="progressbar"
      aria-label="Loading"
      data-testid="progress"
      className="pointer-events-none fixed inset-x-0 top-0 z-50 h-1 overflow-hidden bg-blue-100"
    >
      <div className="progress-indeterminate h-full w-1/3 bg-blue-600" />
    </div>
  );
}
