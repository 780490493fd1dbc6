"""The /admin mount: builds the back office (site.py) on its first request.

Importing Piccolo Admin pulls in FastAPI, Starlette and pydantic (~0.4 s). Only staff use it,
so an API process — and every Lambda cold start — does not pay for it until someone opens
/admin/. The first admin request of a process waits for the import; later ones reuse the app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from litestar import asgi
from litestar.response.redirect import ASGIRedirectResponse
from litestar.types import Receive, Scope, Send

ADMIN_PATH = "/admin"


def admin_app(scope: Scope) -> Any:
    """The back office (Piccolo Admin behind its edge, edge.py), built once per
    app with that app's settings (no await between the check and the assignment: no race)."""
    state = scope["app"].state
    if state.get("admin_app") is None:
        from src.http.admin.site import build_edge

        state["admin_app"] = build_edge(state["settings"])
    return state["admin_app"]


def _path_under_mount(scope: Scope) -> str:
    """The request path after /admin, as the client sent it. Litestar hands a mount its
    remainder with a trailing slash added, which would break the asset URLs."""
    root = scope.get("root_path", "")
    raw = scope.get("raw_path")
    path = unquote(raw.decode("latin-1")) if raw else root + ADMIN_PATH + scope["path"]
    if root and path.startswith(root):
        path = path[len(root) :]
    return path[len(ADMIN_PATH) :] if path.startswith(ADMIN_PATH) else scope["path"]


@asgi(ADMIN_PATH, is_mount=True, copy_scope=True)
async def admin(scope: Scope, receive: Receive, send: Send) -> None:
    root = scope.get("root_path", "")
    rest = _path_under_mount(scope)
    if not rest.startswith("/"):
        # /admin without the slash: the page's relative asset URLs need /admin/.
        query = scope.get("query_string", b"").decode("latin-1")
        location = f"{root}{ADMIN_PATH}/" + (f"?{query}" if query else "")
        await ASGIRedirectResponse(path=location, status_code=308)(scope, receive, send)
        return
    # What Starlette's Mount would pass on: the full path, with the mount in root_path.
    child = {**scope, "root_path": root + ADMIN_PATH, "path": root + ADMIN_PATH + rest}
    await admin_app(scope)(child, receive, send, rest)
