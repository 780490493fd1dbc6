"""Query and path parameters shared by the list routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar.params import QueryParameter

from src.domain.errors import NotFoundError

Query = Annotated[str, QueryParameter(name="query", max_length=200, description="Search text")]
PageNumber = Annotated[
    int, QueryParameter(name="page", ge=1, le=10_000_000, description="1-based page number")
]
PageSize = Annotated[
    int, QueryParameter(name="pageSize", ge=1, le=100, description="Rows per page")
]


def parse_id(raw: str, not_found: str) -> uuid.UUID:
    """A malformed id is just an id that does not exist: 404, never 400 or 500."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFoundError(not_found) from None
