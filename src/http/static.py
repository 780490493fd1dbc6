"""The built dashboard (frontend/dist) with the right cache headers and client-side routes."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from src.settings import get_settings

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
def frontend_root() -> Response[bytes] | File:
    return _serve("")


@get("/{path:path}", include_in_schema=False, sync_to_thread=False)
def frontend(path: FromPath[str]) -> Response[bytes] | File:
    return _serve(path)


def _serve(path: str) -> Response[bytes] | File:
    relative = path.lstrip("/")
    if relative.startswith(RESERVED) or not relative.isprintable():
        # Reserved prefixes, and names no file can have: a NUL (which the file system calls
        # refuse with ValueError), other control characters.
        raise NotFoundException()
    dist = get_settings().frontend_dist.resolve()
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
