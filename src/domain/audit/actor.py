"""Who is making the current change: kept for the request (or command) in a contextvar, and
handed to the database's audit triggers as the transaction-local setting `app.actor`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

import msgspec
from piccolo.querystring import QueryString

from src.db import DB

ActorKind = Literal["user", "staff", "apiKey", "system"]


class Actor(msgspec.Struct, frozen=True):
    kind: ActorKind
    id: str | None
    name: str


SYSTEM = Actor(kind="system", id=None, name="System")

_current: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Changes made inside are recorded as `actor`'s."""
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)


def actor_json(actor: Actor | None = None) -> str | None:
    """The `app.actor` value for `actor` (default: the current one)."""
    actor = actor or _current.get()
    return None if actor is None else msgspec.json.encode(actor).decode()


async def apply_actor_on(connection: Any) -> None:
    """The same for a plain asyncpg connection (bulk loads with COPY): call it inside the
    connection's transaction, before the writes."""
    value = actor_json()
    if value is not None:
        await connection.execute("SELECT set_config('app.actor', $1, true)", value)


async def apply_actor() -> None:
    """Tell the audit triggers of the current transaction who is acting (a no-op without an
    actor: the triggers then record the system). Call it inside the transaction."""
    value = actor_json()
    if value is not None:
        await DB.run_querystring(QueryString("SELECT set_config('app.actor', {}, true)", value))
