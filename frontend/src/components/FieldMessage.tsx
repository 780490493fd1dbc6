/** A field's error message, announced when it appears; the field names it with aria-describedby. */
export default function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  return (
    <div id={id} aria-live="polite" aria-atomic="true">
      {message ? <p className="mt-2 text-sm text-red-600">{message}</p> : null}
    </div>
  );
}
