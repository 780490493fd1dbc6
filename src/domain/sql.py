"""Thin helpers over the engine for hand-written SQL (joins and aggregates read better as SQL).

Queries are Piccolo `QueryString`s: a template with `{}` where a value or another fragment goes,
and the values beside it. A fragment carries its own values, so fragments nest and combine in any
order and Piccolo numbers the placeholders (`$1`, `$2`, ...) when the query runs. Never put user
text in a template; a template holds no literal braces (they would shift the placeholders).

Queries run on the current Piccolo transaction when there is one (Piccolo keeps it in a
contextvar), else on a pooled connection.
"""

from __future__ import annotations

import re
import unicodedata
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
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def q(template: str, *args: Any) -> QueryString:
    """A fragment: `template`'s `{}`s filled, in order, by values or other fragments."""
    return QueryString(template, *args)


def ident(name: str) -> QueryString:
    """A table or column name from the code (never from user input), checked to be plain."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return QueryString(name)


def join(parts: Sequence[QueryString], separator: str) -> QueryString:
    """The fragments one after another, `separator` between them (which holds no braces)."""
    return QueryString(separator.join("{}" for _ in parts), *parts)


def any_of(parts: Sequence[QueryString]) -> QueryString:
    """True when any of the conditions is (FALSE for none)."""
    return q("({})", join(parts, " OR ")) if parts else q("FALSE")


async def fetch(sql: str | QueryString, *args: Any) -> list[Row]:
    """Run a query (a fragment, or a template with `{}` bound to `args`); rows as dicts."""
    query = sql if isinstance(sql, QueryString) else QueryString(sql, *args)
    rows = await DB.run_querystring(query)
    return [dict(row) for row in rows]


async def fetch_one(sql: str | QueryString, *args: Any) -> Row | None:
    rows = await fetch(sql, *args)
    return rows[0] if rows else None


def escape_like(text: str) -> str:
    """Make `%`, `_` and `\\` literal in a LIKE pattern (used with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_text(query: str) -> str:
    """A search as typed, in the form names are stored in: NFC, so "José" pasted with a separate
    combining accent (as some systems copy it) finds the "José" typed on a keyboard."""
    return unicodedata.normalize("NFC", query).strip()


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
        row = await fetch_one(
            q("SELECT updated_at FROM {} WHERE id = {} FOR UPDATE", ident(table), row_id)
        )
        if row is None:
            raise NotFoundError(not_found)
        if if_match is not None and row["updated_at"] != if_match:
            raise PreconditionFailedError(changed)
        if assignments:
            sets = join([q("{} = {}", ident(column), value) for column, value in assignments], ", ")
            await fetch(q("UPDATE {} SET {} WHERE id = {}", ident(table), sets, row_id))


async def delete_row(table: str, row_id: UUID, not_found: str) -> None:
    async with atomic():
        rows = await fetch(q("DELETE FROM {} WHERE id = {} RETURNING id", ident(table), row_id))
    if not rows:
        raise NotFoundError(not_found)


UniqueViolation = asyncpg.UniqueViolationError
ForeignKeyViolation = asyncpg.ForeignKeyViolationError
