"""Security headers on every response, with a Content-Security-Policy per area of the site."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

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
