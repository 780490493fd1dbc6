"""Security headers on every response, with a Content-Security-Policy per area of the site;
the Host header checked against ALLOWED_HOSTS outside development."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from src.settings import Settings

_COMMON = "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
# The dashboard: no inline script, no eval. Inline style attributes only (chart bar heights).
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " + _COMMON
)
# The back office's bundled app needs inline script and eval; scoped to /admin/ only.
ADMIN_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; " + _COMMON
)
# The API docs page starts Swagger UI with an inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " + _COMMON
)


def _csp(path: str) -> str:
    if path == "/admin" or path.startswith("/admin/"):
        return ADMIN_CSP
    if path == "/schema" or path.startswith("/schema/"):
        return DOCS_CSP
    return DASHBOARD_CSP


def security_headers(settings: Settings) -> Callable[[Message, Scope], Awaitable[None]]:
    """A `before_send` hook: it also sees error responses made outside the route's middleware."""
    fixed = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if not settings.is_development:
        fixed["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        path = scope["path"]
        headers = MutableScopeHeaders.from_message(message)
        for name, value in fixed.items():
            headers[name] = value
        headers["Content-Security-Policy"] = _csp(path)
        if path.startswith("/api/") and "cache-control" not in headers:
            # Data behind a login never goes into a shared or back-button cache.
            headers["Cache-Control"] = "no-store"

    return before_send


BAD_HOST = "Unknown host."


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """`host` (a Host header, port allowed) is one of `allowed`; `*` allows any."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip().lower().rstrip(".")
    return "*" in allowed or (bool(name) and name in {a.lower() for a in allowed})


def check_host(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    """ASGI middleware: outside development a request naming a host not in ALLOWED_HOSTS
    answers 400 in the API's error shape (links built from the Host header, cache poisoning
    and DNS rebinding need a host the app does not serve)."""
    allowed = settings.allowed_hosts

    def middleware(app: ASGIApp) -> ASGIApp:
        if settings.is_development:
            return app

        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == ScopeType.HTTP:
                host = MutableScopeHeaders(scope=scope).get("host", "")
                if not host_allowed(host, allowed):
                    body = json.dumps({"detail": BAD_HOST}).encode()
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 400,
                            "headers": [
                                (b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": body, "more_body": False})
                    return
            await app(scope, receive, send)

        return guarded

    return middleware
