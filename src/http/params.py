"""Query and path parameters shared by the list routes."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Literal
from urllib.parse import parse_qsl

from litestar.openapi.spec import OpenAPIType
from litestar.params import HeaderParameter, QueryParameter
from litestar.types import ASGIApp, Receive, Scope, Send

from src.domain.errors import FieldError, NotFoundError, ValidationError
from src.domain.rules import CONTROL_CHARACTERS
from src.http.body import INVALID
from src.http.etag import IF_MATCH_PATTERN

PAGE_MAX, PAGE_SIZE_MAX, LIMIT_MAX = 10_000_000, 100, 50

Query = Annotated[
    str,
    QueryParameter(
        name="query",
        max_length=200,
        # No control characters (RejectUnclearParameters answers them by name).
        pattern=rf"^[^{CONTROL_CHARACTERS}]*$",
        description="Search text",
    ),
]
PageNumber = Annotated[
    int, QueryParameter(name="page", ge=1, le=PAGE_MAX, description="1-based page number")
]
PageSize = Annotated[
    int, QueryParameter(name="pageSize", ge=1, le=PAGE_SIZE_MAX, description="Rows per page")
]
Limit = Annotated[
    int, QueryParameter(name="limit", ge=1, le=LIMIT_MAX, description="Most options to return")
]
# Documented as a string (a header is never JSON null), absent is None.
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        pattern=IF_MATCH_PATTERN,
        description="The ETag of the version you read (from GET), or *; a newer version: 412",
        schema_extra={"type": OpenAPIType.STRING, "one_of": None},
    ),
]
StatusFilter = Annotated[
    Literal["paid", "pending", "overdue"] | None,
    QueryParameter(name="status", description="Only paid, pending, or overdue invoices"),
]

# What a client is told when a parameter above is refused, by the name the client sent.
MESSAGES = {
    "query": "query must be at most 200 characters.",
    "If-Match": 'If-Match must be the ETag from a GET of this item (such as "5f2a3c1d9e8b7"),'
    " or *.",
    "page": f"page must be a whole number from 1 to {PAGE_MAX}.",
    "pageSize": f"pageSize must be a whole number from 1 to {PAGE_SIZE_MAX}.",
    "limit": f"limit must be a whole number from 1 to {LIMIT_MAX}.",
    "status": "status must be one of paid, pending or overdue.",
    "dryRun": "dryRun must be true or false.",
}
ONCE = "{name} is given more than once: send it once."
CONTROL = "{name} must not contain control characters (such as NUL or a line break)."
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


class RejectUnclearParameters:
    """The API's query parameters each say one thing: a name given twice (`?dryRun=true&dryRun=
    false`, of which the framework would silently keep the last) or a value with a control
    character (a NUL the database would drop) is a 400 naming the parameter, on every route of
    the API (its router's middleware; the back office reads its own filters)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("query_string", b"")
        if raw:
            errors = unclear_parameters(raw.decode("utf-8", "replace"))
            if errors:
                raise ValidationError(errors, INVALID)
        await self.app(scope, receive, send)


def unclear_parameters(query: str) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    repeated: set[str] = set()  # each told once, however often it comes
    for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8"):
        if name in seen and name not in repeated:
            repeated.add(name)
            errors.append(FieldError(name, ONCE.format(name=name)))
        seen.add(name)
        if _CONTROL.search(value):
            errors.append(FieldError(name, CONTROL.format(name=name)))
    return errors


# An id as the API writes it: 8-4-4-4-12 ASCII hex digits, either case. uuid.UUID() alone also
# reads braces, "urn:uuid:", misplaced hyphens and any Unicode digit (a fullwidth two, U+FF12), so a
# look-alike address would reach, and could delete, the real row.
CANONICAL_ID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def parse_id(raw: str, not_found: str) -> uuid.UUID:
    """Any id but the canonical form is just an id that does not exist: 404, never 400 or 500."""
    if not CANONICAL_ID.fullmatch(raw):
        raise NotFoundError(not_found)
    return uuid.UUID(raw)
