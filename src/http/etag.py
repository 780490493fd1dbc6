"""ETags from a row's updated_at, for If-Match on PUT/PATCH (no lost updates)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, TypeVar

from litestar import Response

from src.domain.errors import PreconditionFailedError

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICRO = dt.timedelta(microseconds=1)


def etag_for(updated_at: dt.datetime) -> str:
    return f'"{(updated_at - _EPOCH) // _MICRO:x}"'


def parse_if_match(header: str | None, changed: str) -> dt.datetime | None:
    """The updated_at an If-Match header names; None when absent or `*`."""
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    try:
        return _EPOCH + int(value, 16) * _MICRO
    except ValueError:
        raise PreconditionFailedError(changed) from None


class Versioned(Protocol):
    @property
    def updated_at(self) -> dt.datetime: ...


V = TypeVar("V", bound=Versioned)


def with_etag(row: V, status: int = 200) -> Response[V]:
    return Response(row, status_code=status, headers={"ETag": etag_for(row.updated_at)})
