"""AWS Lambda entry point: ``handler`` serves HTTP (Mangum); the deploy-time migrator is
``src.ops.lambda_migrator.handler``.

``handler`` wraps the same ``create_app()`` as local serving. Mangum runs with the ASGI
lifespan off (it would run start-up *and* shut-down on every invocation); instead the
connection pool opens on the first request of a container and lives as long as it does:
Mangum keeps one event loop across warm invocations.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
from typing import Any
from urllib.parse import unquote

from mangum import Mangum
from mangum.types import Message, Receive, Scope, Send

from src.db import DB, configure_database, open_pool
from src.http.app import create_app
from src.observability import instrument_engine, metric, request_scope, setup_logging
from src.settings import get_settings

# Lambda-only knob, set by the SST config: CloudFront adds this header to every request so
# that the public function URL cannot be used to go around the WAF.
ORIGIN_HEADER = b"x-origin-verify"
# The viewer's address and port as CloudFront saw them ("198.51.100.7:443", "2001:db8::1:443"),
# when the origin request policy forwards it. Believed only from CloudFront (origin secret).
VIEWER_HEADER = b"cloudfront-viewer-address"

# One invocation at a time per container: two connections cover a request that runs a
# query while a transaction is open. RDS Proxy pools across containers.
POOL_MIN, POOL_MAX = 1, 2

settings = get_settings()
_ORIGIN_SECRET = settings.origin_verify_secret.encode()
configure_database(settings)
instrument_engine(DB)
app = create_app(settings, manage_database=False)
# After create_app: Litestar's default logging config replaces the root handlers.
setup_logging(settings)
access_log = logging.getLogger("src.http.access")
log = logging.getLogger(__name__)


_cold = True  # the container's first request (API.ColdStart)


async def _ensure_pool() -> None:
    if DB.pool is None:
        started = time.perf_counter()
        await open_pool(settings, min_size=POOL_MIN, max_size=POOL_MAX)
        log.info("database pool opened", extra={"duration_ms": _ms(started)})


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


async def _forbidden(send: Send) -> None:
    body = b'{"detail":"Forbidden."}'
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def viewer_address(value: bytes | None) -> tuple[str, int] | None:
    """CloudFront-Viewer-Address as (ip, port); None when absent or not an address."""
    if not value:
        return None
    host, _, port = value.decode("latin-1").strip().rpartition(":")
    try:
        return str(ipaddress.ip_address(host.strip("[]"))), int(port)
    except ValueError:
        return None


def _from_cloudfront(scope: Scope) -> bool:
    """Check the CloudFront header; trust its x-forwarded-host as the request's host and its
    viewer address as the client's (else the socket's: the edge's, never a header a stranger
    chose)."""
    if not _ORIGIN_SECRET:
        return True
    given = _header(scope, ORIGIN_HEADER) or b""
    if not hmac.compare_digest(given, _ORIGIN_SECRET):
        return False
    if viewer := viewer_address(_header(scope, VIEWER_HEADER)):
        scope["client"] = viewer
    forwarded = _header(scope, b"x-forwarded-host")
    headers = [(k, v) for k, v in scope["headers"] if k not in (ORIGIN_HEADER, b"host")]
    if forwarded:
        headers.append((b"host", forwarded))
        scope["server"] = (forwarded.decode("latin-1"), 443)
    scope["headers"] = headers
    return True


async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
    """The app as Lambda sees it: pool, raw_path, origin check, no-cache default, access log."""
    global _cold
    if scope["type"] != "http":
        await app(scope, receive, send)  # type: ignore[arg-type]
        return
    started = time.perf_counter()
    event = scope.get("aws.event") or {}
    raw = event.get("rawPath") or scope["path"]
    # Mangum leaves raw_path None; Litestar needs it for mounted apps (the admin).
    scope["raw_path"] = raw.encode("utf-8")
    scope["path"] = unquote(scope["path"])
    scope.setdefault("state", {})
    status = 500

    async def send_wrapper(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = list(message.get("headers", []))
            if not any(bytes(k).lower() == b"cache-control" for k, _ in headers):
                # Never let CloudFront (a shared cache) keep a per-user response.
                headers.append((b"cache-control", b"private"))
            message = {**message, "headers": headers}
        await send(message)

    try:
        if not _from_cloudfront(scope):
            status = 403
            await _forbidden(send)
            return
        await _ensure_pool()
        await app(scope, receive, send_wrapper)  # type: ignore[arg-type]
    finally:
        duration = _ms(started)
        # The operations dashboard and the error-rate alarms (deploy/sst/sst.config.ts): 5xx
        # answers over answers; Lambda's own Errors only count crashes.
        metric("API.Latency", duration, "Milliseconds")
        metric("API.Requests", 1)
        metric("API.4xx", 1 if 400 <= status < 500 else 0)
        metric("API.5xx", 1 if status >= 500 else 0)
        if _cold:
            metric("API.ColdStart", 1)
            _cold = False
        access_log.info(
            "%s %s %s",
            scope["method"],
            scope["path"],
            status,
            extra={
                "method": scope["method"],
                "route": scope.get("path_template") or scope["path"],
                "status": status,
                "duration_ms": duration,
            },
        )


_mangum = Mangum(asgi, lifespan="off")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda Function URL / API Gateway v2 entry point."""
    with request_scope(getattr(context, "aws_request_id", None)):
        response: dict[str, Any] = _mangum(event, context)
        return response
