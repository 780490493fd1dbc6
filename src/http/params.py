"""Query and path parameters shared by the list routes."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar.params import HeaderParameter, QueryParameter

from src.domain.errors import NotFoundError

PAGE_MAX, PAGE_SIZE_MAX, LIMIT_MAX = 10_000_000, 100, 50

Query = Annotated[str, QueryParameter(name="query", max_length=200, description="Search text")]
PageNumber = Annotated[
    int, QueryParameter(name="page", ge=1, le=PAGE_MAX, description="1-based page number")
]
PageSize = Annotated[
    int, QueryParameter(name="pageSize", ge=1, le=PAGE_SIZE_MAX, description="Rows per page")
]
Limit = Annotated[
    int, QueryParameter(name="limit", ge=1, le=LIMIT_MAX, description="Most options to return")
]
StatusFilter = Annotated[
    Literal["paid", "pending", "overdue"] | None,
    QueryParameter(name="status", description="Only paid, pending, or overdue invoices"),
]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]

# What a client is told when one of the numbers above is out of range or not a number.
MESSAGES = {
    "page": f"page must be a whole number from 1 to {PAGE_MAX}.",
    "pageSize": f"pageSize must be a whole number from 1 to {PAGE_SIZE_MAX}.",
    "limit": f"limit must be a whole number from 1 to {LIMIT_MAX}.",
    "status": "status must be one of paid, pending or overdue.",
}


def parse_id(raw: str, not_found: str) -> uuid.UUID:
    """A malformed id is just an id that does not exist: 404, never 400 or 500."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFoundError(not_found) from None
