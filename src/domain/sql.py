"""Thin helpers over the engine for hand-written SQL (joins and aggregates read better as SQL).

Queries run on the current Piccolo transaction when there is one (Piccolo keeps it in a
contextvar), else on a pooled connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
from piccolo.querystring import QueryString

from src.db import DB
from src.domain.audit.actor import apply_actor
from src.domain.errors import NotFoundError, PreconditionFailedError

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
    """A transaction, or a savepoint inside the caller's: a failed write undoes only itself.

    Every write starts here, so this is where the audit trail learns who is acting."""
    current = DB.current_transaction.get()
    if current is None:
        async with DB.transaction():
            await apply_actor()
            yield
        return
    savepoint = await current.savepoint()
    try:
        await apply_actor()
        yield
    except BaseException:
        await savepoint.rollback_to()  # type: ignore[no-untyped-call]
        raise
    await savepoint.release()  # type: ignore[no-untyped-call]


async def update_row(
    table: str,
    row_id: UUID,
    assignments: Sequence[tuple[str, object]],
    if_match: datetime | None,
    not_found: str,
    changed: str,
) -> None:
    """Set columns of one row under its lock, if it is still the version the caller saw.

    NotFoundError when there is no such row, PreconditionFailedError when `if_match` (the
    `updated_at` the caller read) is not the row's any more. `table` and the column names are
    the caller's constants, never user input."""
    async with atomic():
        row = await fetch_one(f"SELECT updated_at FROM {table} WHERE id = {{}} FOR UPDATE", row_id)
        if row is None:
            raise NotFoundError(not_found)
        if if_match is not None and row["updated_at"] != if_match:
            raise PreconditionFailedError(changed)
        if assignments:
            sets = ", ".join(f"{column} = {{}}" for column, _ in assignments)
            await fetch(
                f"UPDATE {table} SET {sets} WHERE id = {{}}", *[v for _, v in assignments], row_id
            )


async def delete_row(table: str, row_id: UUID, not_found: str) -> None:
    async with atomic():
        rows = await fetch(f"DELETE FROM {table} WHERE id = {{}} RETURNING id", row_id)
    if not rows:
        raise NotFoundError(not_found)


UniqueViolation = asyncpg.UniqueViolationError
ForeignKeyViolation = asyncpg.ForeignKeyViolationError
