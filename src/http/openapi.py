"""The documented error answers, so clients (and schema checks) know every shape they may get."""

from __future__ import annotations

import msgspec
from litestar.openapi.datastructures import ResponseSpec


class ErrorOut(msgspec.Struct):
    detail: str


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class ValidationErrorOut(msgspec.Struct):
    detail: str
    errors: list[FieldErrorOut]


_DESCRIPTIONS = {
    400: "Invalid input: every failing field with a message",
    401: "Not authenticated",
    403: "Cookie-authenticated write without a valid X-CSRF-Token",
    404: "Not found (also for a malformed id)",
    409: "Conflict (e.g. the email is taken)",
    412: "If-Match names an older version",
    422: "Idempotency-Key already used with a different request",
    413: "Request body over 64 KB",
    415: "The body is not application/json",
    429: "Too many failed logins, or too many requests at once from this client; see Retry-After",
    503: "The database is unavailable; retry later",
}
COMMON = (400, 401, 403, 413, 429, 503)
# What every operation behind a session needs (login, /health and /ready need nothing).
API_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"cookie": []}, {"apiKey": []}]


def errors(
    *extra: int, common: tuple[int, ...] = COMMON, no_content: bool = False
) -> dict[int, ResponseSpec]:
    """The error answers an operation may give; `no_content` documents its 204 success as
    having no body (Litestar would give it a JSON media type)."""
    specs = {
        code: ResponseSpec(
            data_container=ValidationErrorOut if code == 400 else ErrorOut,
            description=_DESCRIPTIONS[code],
            # Litestar would invent random example values ("detail": "rqMFojie...") with
            # polyfactory and Faker (~90 ms of imports).
            generate_examples=False,
        )
        for code in sorted({*common, *extra})
    }
    if no_content:
        specs[204] = ResponseSpec(data_container=None, description="Done; no content")
    return specs
