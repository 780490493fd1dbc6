/** A callbackUrl is followed only when it is a path on this site: "/x" but never "//host" or "/\host". */
export function safeCallbackUrl(value: string | null | undefined, fallback = "/dashboard"): string {
  if (!value) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f]/.test(value)) return fallback;
  return value;
}

/**
 * Search text as the API takes it: a control character (a tab or a line break pasted with the
 * text) becomes a space, since the API refuses it in `query`. src/early.js does the same.
 */
export function searchText(value: string | null): string {
  return (value ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}
