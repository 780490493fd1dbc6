"""A per-client bound on requests in flight, so one client cannot take every connection.

A client is its session (bearer token or session cookie), else its address. Past the limit a
request is answered 429 with Retry-After at once, before it touches the database; the client's
other requests go on. The count lives in this process: locally (one uvicorn process) it is
exact; on Lambda every container serves one request at a time, so the bound there is the
function's reserved concurrency and the statement timeout, not this counter.
"""

from __future__ import annotations

from collections import Counter
from http.cookies import SimpleCookie

import msgspec
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

BUSY = "Too many requests at once from this client. Wait for the answers, then try again."
_BODY = msgspec.json.encode({"detail": BUSY})
_BUSY_START: HTTPResponseStartEvent = {
    "type": "http.response.start",
    "status": 429,
    "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(_BODY)).encode()),
        (b"retry-after", b"1"),
        (b"cache-control", b"no-store"),
    ],
}
_BUSY_BODY: HTTPResponseBodyEvent = {
    "type": "http.response.body",
    "body": _BODY,
    "more_body": False,
}


def client_key(scope: Scope, session_cookie: str) -> str:
    """Who is asking: the session token (bearer or cookie), else the socket address."""
    cookie_header = ""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return "token:" + token.strip()
        elif name == b"cookie":
            cookie_header = value.decode("latin-1")
    if cookie_header:
        cookies: SimpleCookie = SimpleCookie()
        try:
            cookies.load(cookie_header)
        except Exception:
            cookies = SimpleCookie()
        if (morsel := cookies.get(session_cookie)) and morsel.value:
            return "token:" + morsel.value
    client = scope.get("client")
    return "addr:" + (str(client[0]) if client else "")


class InFlightLimit:
    """Litestar builds one middleware instance per route: `in_flight` is the one counter they
    share (one per app), so the bound is per client across every route."""

    def __init__(
        self, app: ASGIApp, limit: int, session_cookie: str, in_flight: Counter[str]
    ) -> None:
        self.app = app
        self.limit = limit
        self.session_cookie = session_cookie
        self.in_flight = in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        key = client_key(scope, self.session_cookie)
        if self.in_flight[key] >= self.limit:
            # Answered here, prebuilt: a flood's refusals must cost next to nothing.
            await send(_BUSY_START)
            await send(_BUSY_BODY)
            return
        self.in_flight[key] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[key] -= 1
            if self.in_flight[key] <= 0:
                del self.in_flight[key]
