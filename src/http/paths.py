"""Paths that can name nothing: a NUL or another control character in the decoded URL path.

No route, file or admin page has such a name, and file system calls refuse a NUL with
ValueError (a 500 from any static file server). Answer them 404 at the edge, for every
route, mounted app and static folder at once.
"""

from __future__ import annotations

from litestar.exceptions import NotFoundException
from litestar.types import ASGIApp, Receive, Scope, Send


class RejectUnreadablePaths:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if not path.isprintable():
            raise NotFoundException()
        await self.app(scope, receive, send)
