"""Thin helpers over the engine for hand-written SQL (joins and aggregates read better as SQL).

Queries run on the current Piccolo transaction when there is one (Piccolo keeps it in a
contextvar), else on a pooled connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from piccolo.querystring import QueryString

from src.db import DB

Row = dict[str, Any]


async def fetch(sql: str, *args: Any) -> list[Row]:
    """Run `sql` with `{}` placeholders bound to `args`; return rows as dicts."""
    rows = await DB.run_querystring(QueryString(sql, *args))
    return [dict(row) for row in rows]


async def fetch_one(sql: str, *args: Any) -> Row | None:
    rows = await fetch(sql, *args)
    return rows[0] if rows else None


def escape_like(text: str) -> str:
    """Make `%`, `_` and `\\` literal in a LIKE pattern (used with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(text: str) -> str:
    # PostgreSQL text cannot hold NUL: such a character can match nothing anyway.
    return f"%{escape_like(text.replace(chr(0), ''))}%"


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """A transaction, or a savepoint inside the caller's: a failed write undoes only itself."""
    current = DB.current_transaction.get()
    if current is None:
        async with DB.transaction():
            yield
        return
    savepoint = await current.savepoint()
    try:
        yield
    except BaseException:
        await savepoint.rollback_to()  # type: ignore[no-untyped-call]
        raise
    await savepoint.release()  # type: ignore[no-untyped-call]


UniqueViolation = asyncpg.UniqueViolationError
ForeignKeyViolation = asyncpg.ForeignKeyViolationError
