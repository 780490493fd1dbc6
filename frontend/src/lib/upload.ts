import { ApiError, readCookie, toApiError } from "../api/client";

/** Sends a file as the raw body of a request (CSV imports, avatar uploads) with the session's CSRF token. */
export async function sendFile<T>(method: "POST" | "PUT", url: string, file: Blob, contentType: string): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { "Content-Type": contentType, Accept: "application/json" };
  const csrf = readCookie("acme_csrf");
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let response: Response;
  try {
    response = await fetch(url, { method, body: file, headers, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "Something went wrong.");
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (response.status >= 500 || response.status === 401 || response.status === 403 || response.status === 404 || response.status === 409 || response.status === 413) {
    throw toApiError(response, body);
  }
  return { status: response.status, body: body as T };
}

/** The URL of a CSV export of the list's current search (and, for invoices, its status tab). */
export function exportUrl(kind: "invoices" | "customers", query: string, status?: string | null): string {
  const params = new URLSearchParams();
  if (query) params.set("query", query);
  if (status) params.set("status", status);
  const search = params.toString();
  return `/api/exports/${kind}.csv${search ? `?${search}` : ""}`;
}
