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


# What an If-Match header may be: `*`, or one ETag this API gave out (at most 16 hex digits),
# also without its quotes. The header parameter carries this pattern, so anything else (an
# oversized tag, a list, garbage) is a 400 naming If-Match.
IF_MATCH_PATTERN = r'^(\*|(W/)?"[0-9a-fA-F]{1,16}"|[0-9a-fA-F]{1,16})$'


def parse_if_match(header: str | None, changed: str) -> dt.datetime | None:
    """The updated_at an If-Match header names; None when absent or `*`.

    A well-formed tag that names no representable time (e.g. `"ffffffffffffffff"`, past the
    year 9999) cannot be the row's current version: 412, like any other old tag."""
    if not header or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    try:
        return _EPOCH + int(value, 16) * _MICRO
    except (ValueError, OverflowError):
        raise PreconditionFailedError(changed) from None


class Versioned(Protocol):
    @property
    def updated_at(self) -> dt.datetime: ...


V = TypeVar("V", bound=Versioned)


def with_etag(row: V, status: int = 200) -> Response[V]:
    return Response(row, status_code=status, headers={"ETag": etag_for(row.updated_at)})
