import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";

type JsonOf<R> = R extends { content: { "application/json": infer T } } ? T : never;

export type User = JsonOf<paths["/api/auth/me"]["get"]["responses"][200]>;
export type Invoice = JsonOf<paths["/api/invoices/{invoice_id}"]["get"]["responses"][200]>;
export type InvoicePage = JsonOf<paths["/api/invoices"]["get"]["responses"][200]>;
export type InvoiceInput = NonNullable<paths["/api/invoices"]["post"]["requestBody"]>["content"]["application/json"];
export type InvoiceStatus = InvoiceInput["status"];
export type CustomerPage = JsonOf<paths["/api/customers"]["get"]["responses"][200]>;
export type CustomerRow = CustomerPage["items"][number];
export type CustomerOption = JsonOf<paths["/api/customers/options"]["get"]["responses"][200]>[number];
export type Dashboard = JsonOf<paths["/api/dashboard"]["get"]["responses"][200]>;

export interface FieldError {
  field: string;
  message: string;
}

/** A failed API call: the HTTP status (0 when the network failed) and the server's message. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];

  constructor(status: number, detail: string, errors: FieldError[] = []) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }
}

const CSRF_COOKIE = "acme_csrf";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

let onUnauthorized: (() => void) | null = null;

/** Called whenever an API call answers 401 (an expired or ended session). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const csrfAndSession: Middleware = {
  onRequest({ request }) {
    if (UNSAFE_METHODS.has(request.method)) {
      const token = readCookie(CSRF_COOKIE);
      if (token) request.headers.set("X-CSRF-Token", token);
    }
    return request;
  },
  onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    if (response.status === 401 && path !== "/api/auth/login" && path !== "/api/auth/me") {
      onUnauthorized?.();
    }
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  credentials: "same-origin",
  headers: { Accept: "application/json" },
});
api.use(csrfAndSession);

/** Turns an error body of the API into an ApiError (5xx bodies never reach the screen). */
export function toApiError(response: Response | undefined, body: unknown): ApiError {
  const status = response?.status ?? 0;
  if (status >= 500 || status === 0) return new ApiError(status, "Something went wrong.");
  const record = (typeof body === "object" && body !== null ? body : {}) as {
    detail?: unknown;
    errors?: unknown;
  };
  const detail = typeof record.detail === "string" ? record.detail : "Something went wrong.";
  const errors = Array.isArray(record.errors)
    ? record.errors.filter(
        (e): e is FieldError =>
          typeof e === "object" && e !== null && typeof (e as FieldError).field === "string",
      )
    : [];
  return new ApiError(status, detail, errors);
}

/** Runs an openapi-fetch call and returns its data, or throws an ApiError. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await request;
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "Something went wrong.");
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  return { data: result.data as T, response: result.response };
}

/**
 * Whether this browser holds a session (its readable CSRF cookie is set at login and cleared at
 * logout alongside the HttpOnly session cookie). Without one, asking /api/auth/me would only
 * earn an expected 401, which the browser logs as a red console error.
 */
export function hasSession(): boolean {
  return readCookie(CSRF_COOKIE) !== null && readCookie(CSRF_COOKIE) !== "";
}
