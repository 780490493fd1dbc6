"""The built dashboard (frontend/dist) with the right cache headers and client-side routes."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from src.settings import Settings

IMMUTABLE = "public, max-age=31536000, immutable"
# Paths the dashboard never owns: their unknown URLs stay JSON 404s.
RESERVED = ("api/", "api", "admin/", "schema/", "schema", "static/")


def _index(dist: Path) -> Response[bytes]:
    index = dist / "index.html"
    if not index.is_file():
        return Response(
            b"<!doctype html><title>Acme</title><p>The dashboard is not built yet:"
            b" run <code>make run</code>.</p>",
            media_type="text/html",
            status_code=503,
            headers={"Cache-Control": "no-cache"},
        )
    return Response(
        index.read_bytes(),
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


@get("/", include_in_schema=False, sync_to_thread=False)
def frontend_root(request: Request[Any, Any, Any]) -> Response[bytes] | File:
    return _serve(_dist(request), "")


@get("/{path:path}", include_in_schema=False, sync_to_thread=False)
def frontend(request: Request[Any, Any, Any], path: FromPath[str]) -> Response[bytes] | File:
    return _serve(_dist(request), path)


def _dist(request: Request[Any, Any, Any]) -> Path:
    """The build folder of the app's own settings (not the process environment's)."""
    settings: Settings = request.app.state.settings
    return settings.frontend_dist.resolve()


def _serve(dist: Path, path: str) -> Response[bytes] | File:
    relative = path.lstrip("/")
    if relative.startswith(RESERVED) or not relative.isprintable():
        # Reserved prefixes, and names no file can have: a NUL (which the file system calls
        # refuse with ValueError), other control characters.
        raise NotFoundException()
    if relative:
        candidate = (dist / relative).resolve()
        if candidate.is_relative_to(dist) and candidate.is_file():
            cache = IMMUTABLE if relative.startswith("assets/") else "public, max-age=3600"
            if candidate.name == "index.html":
                cache = "no-cache"
            media_type, _ = mimetypes.guess_type(candidate.name)
            return File(
                candidate,
                content_disposition_type="inline",
                media_type=media_type,
                headers={"Cache-Control": cache},
            )
        if "." in relative.rsplit("/", 1)[-1]:
            # A missing file (an old hashed asset, a typo), not a client-side route.
            raise NotFoundException()
    return _index(dist)
