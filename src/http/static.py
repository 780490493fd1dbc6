"""The built dashboard (frontend/dist) with the right cache headers and client-side routes."""

from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from src.settings import Settings

IMMUTABLE = "public, max-age=31536000, immutable"
# Text files are gzipped once per build, not on every request: the app-wide compression at level 9
# took 10-20 ms of the event loop for the main bundle on each page load, in front of the page's
# own data request.
COMPRESSIBLE = (".js", ".css", ".html", ".svg", ".json", ".txt", ".map")
_gzipped: dict[Path, tuple[tuple[float, int], bytes]] = {}
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
        media_type="text/html",  # Litestar adds "; charset=utf-8"
        headers={"Cache-Control": "no-cache"},
    )


@get("/", include_in_schema=False, sync_to_thread=False)
def frontend_root(request: Request[Any, Any, Any]) -> Response[bytes] | File:
    return _serve(_dist(request), "", _accepts_gzip(request))


@get(
    "/{path:path}",
    include_in_schema=False,
    sync_to_thread=False,
    opt={"no_compression": True},  # compressed here, once (see COMPRESSIBLE)
)
def frontend(request: Request[Any, Any, Any], path: FromPath[str]) -> Response[bytes] | File:
    return _serve(_dist(request), path, _accepts_gzip(request))


def _accepts_gzip(request: Request[Any, Any, Any]) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def _gzip_of(path: Path) -> bytes:
    """The file gzipped, kept while its size and modification time stay the same."""
    stat = path.stat()
    version = (stat.st_mtime, stat.st_size)
    cached = _gzipped.get(path)
    if cached is None or cached[0] != version:
        cached = (version, gzip.compress(path.read_bytes(), compresslevel=9))
        _gzipped[path] = cached
    return cached[1]


def _dist(request: Request[Any, Any, Any]) -> Path:
    """The build folder of the app's own settings (not the process environment's)."""
    settings: Settings = request.app.state.settings
    return settings.frontend_dist.resolve()


def _file(dist: Path, relative: str) -> Path | None:
    """The build's file at `relative`, or None: outside the build, missing, or a name the file
    system refuses (a part longer than it allows: OSError, which would otherwise read as a lost
    database connection)."""
    try:
        candidate = (dist / relative).resolve()
        return candidate if candidate.is_relative_to(dist) and candidate.is_file() else None
    except OSError:
        return None


def _serve(dist: Path, path: str, gzip_ok: bool) -> Response[bytes] | File:
    relative = path.lstrip("/")
    if relative.startswith(RESERVED) or not relative.isprintable():
        # Reserved prefixes, and names no file can have: a NUL (which the file system calls
        # refuse with ValueError), other control characters.
        raise NotFoundException()
    if relative:
        candidate = _file(dist, relative)
        if candidate is not None:
            cache = IMMUTABLE if relative.startswith("assets/") else "public, max-age=3600"
            if candidate.name == "index.html":
                cache = "no-cache"
            media_type, _ = mimetypes.guess_type(candidate.name)
            if gzip_ok and candidate.suffix in COMPRESSIBLE and candidate.stat().st_size >= 1024:
                return Response(
                    _gzip_of(candidate),
                    media_type=media_type,
                    headers={
                        "Cache-Control": cache,
                        "Content-Encoding": "gzip",
                        "Vary": "Accept-Encoding",
                    },
                )
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
