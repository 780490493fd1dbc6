import { Link } from "../lib/routing";
import { Button } from "./Button";

/** The row under a form: Cancel (back to `cancelTo`) and the submit button, disabled while saving. */
export default function FormFooter({ cancelTo, submitLabel, saving }: { cancelTo: string; submitLabel: string; saving: boolean }) {
  return (
    <div className="mt-6 flex justify-end gap-4">
      <Link
        to={cancelTo}
        className="flex h-10 items-center rounded-lg bg-gray-100 px-4 text-sm font-medium text-gray-600 transition-colors hover:bg-gray-200"
      >
        Cancel
      </Link>
      <Button type="submit" aria-disabled={saving} disabled={saving}>
        {submitLabel}
      </Button>
    </div>
  );
}
