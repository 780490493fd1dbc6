"""Every write through the back office's API runs in one transaction that names its staff
member to the audit trail; the answer is held until that transaction ends."""

from __future__ import annotations

from typing import Any

from litestar.types import Message, Receive, Send
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from src.domain.audit.actor import Actor, acting_as
from src.domain.sql import atomic
from src.http.admin.edge import AdminEdge

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _admin_session(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, token = part.strip().partition("=")
                if key == "id" and token:
                    return str(token)
    return None


async def staff_actor(scope: dict[str, Any]) -> Actor:
    """The staff member whose admin session made the request (the admin checks the session
    itself; this only names who it is for the audit trail)."""
    token = _admin_session(scope)
    user_id = await SessionsBase.get_user_id(token) if token else None
    if user_id is not None:
        row = await BaseUser.select(BaseUser.username).where(BaseUser.id == user_id).first()
        if row is not None:
            return Actor(kind="staff", id=str(user_id), name=str(row["username"]))
    return Actor(kind="staff", id=None, name="Unknown staff")


class _Refused(Exception):
    """The admin answered an error: undo whatever the request wrote."""


class StaffAudited:
    """Every write through the admin's API runs in one transaction that names its staff member
    to the audit trail. The answer is held until the transaction ends, so no client sees a
    change before it is committed, and an error answer leaves nothing behind. Reads, and the
    public login/logout (whose throttle counts must stay when they fail), pass straight on."""

    def __init__(self, edge: AdminEdge) -> None:
        self.edge = edge

    async def __call__(
        self, scope: dict[str, Any], receive: Receive, send: Send, rest: str
    ) -> None:
        if scope.get("method", "GET") in SAFE_METHODS or not rest.startswith("/api/"):
            await self.edge(scope, receive, send, rest)
            return
        answer: list[Message] = []

        async def hold(message: Message) -> None:
            answer.append(message)

        try:
            with acting_as(await staff_actor(scope)):
                async with atomic():
                    await self.edge(scope, receive, hold, rest)
                    start = next((m for m in answer if m["type"] == "http.response.start"), None)
                    if start is not None and start["status"] >= 400:
                        raise _Refused
        except _Refused:
            pass
        for message in answer:
            await send(message)
