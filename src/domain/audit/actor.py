"""Who is making the current change: kept for the request (or command) in a contextvar, and
handed to the database's audit triggers as the transaction-local setting `app.actor`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

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


async def apply_actor() -> None:
    """Tell the audit triggers of the current transaction who is acting (a no-op without an
    actor: the triggers then record the system). Call it inside the transaction."""
    actor = _current.get()
    if actor is not None:
        await DB.run_querystring(
            QueryString(
                "SELECT set_config('app.actor', {}, true)", msgspec.json.encode(actor).decode()
            )
        )
