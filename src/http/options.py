"""Correct `Allow` answers to OPTIONS.

Litestar 2.25 builds a path's automatic OPTIONS handler while registering the first of the
path's handlers, so `OPTIONS /api/invoices` answered `Allow: OPTIONS, POST` without GET (and
`/api/invoices/{id}` left out GET, PATCH and PUT). After the app is built, each automatic
OPTIONS handler learns its route's full method list; a before-send hook puts it in `Allow`.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

_AUTO = "options_handler"  # the name of Litestar's generated OPTIONS handler function
_ALLOW = "allow_methods"


def record_allowed_methods(app: Litestar) -> None:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name == _AUTO:
                handler.opt[_ALLOW] = ", ".join(sorted(route.methods)).encode()


async def correct_allow(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    handler = scope.get("route_handler")
    allow = getattr(handler, "opt", {}).get(_ALLOW)
    if allow:
        headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
        message["headers"] = [*headers, (b"allow", allow)]
