"""What the back office's own code does not do, done at its mount point (ASGI, before and
after Piccolo Admin sees a request):

- its login limit lives in PostgreSQL (`throttle.reserve`, the dashboard login's mechanism):
  the attempt is counted atomically before Piccolo verifies the password, so it holds under a
  burst and across processes; Piccolo's own in-memory limiter is switched off;
- every cookie it sets (`csrftoken` had no `Secure`) is marked Secure outside development;
- a write the database refuses answers staff with a readable message instead of the raw
  constraint text, and is logged as one line without the failing row (Piccolo logs the whole
  exception, whose DETAIL holds the row: hash prefix, email);
- an unknown `__order` column answers 400 instead of raising (a 500 with a traceback).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from piccolo.table import Table
from piccolo_api.rate_limiting.middleware import RateLimitProvider

from src.domain.errors import TooManyAttemptsError
from src.domain.users import throttle
from src.settings import Settings

log = logging.getLogger("src.http.admin")

# Plain dicts: this module edits and builds ASGI messages itself.
Message = dict[str, Any]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Message, Any, Send], Awaitable[None]]

ADMIN_LOGIN_LIMIT = 20
ADMIN_LOGIN_WINDOW = dt.timedelta(minutes=5)
LOGIN_PATH = "/public/login/"
_CONSTRAINT = re.compile(r'constraint "([A-Za-z0-9_]+)"')
# Constraint name -> what staff are told. Any other refused write gets the generic message.
REFUSED = {
    "users_password_argon2id": "The password could not be stored. Set it again in the"
    " password field, or use the form 'Set a dashboard password'.",
    "users_email_key_key": "That email is already used by another user"
    " (emails are compared ignoring case and look-alike forms).",
    "users_email_key_not_empty": "Enter a valid email address.",
    "users_email_format": "Enter a valid email address.",
    "customers_email_format": "Enter a valid email address.",
    "customers_email_key_key": "That email is already used by another customer"
    " (emails are compared ignoring case and look-alike forms).",
    "customers_email_key_not_empty": "Enter a valid email address.",
}
GENERIC_REFUSAL = "The database refused this change: a value breaks one of its rules ({})."


class NoLimit(RateLimitProvider):
    """Piccolo's in-memory limiter, switched off: `admin_edge` counts logins in PostgreSQL."""

    def increment(self, identifier: str) -> None:
        return None


class _DropFailingRows(logging.Filter):
    """Piccolo's `db_exception_handler` logs the whole asyncpg exception (with DETAIL:
    "Failing row contains (...)"): keep one line naming the constraint, nothing of the row."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None:
            record.msg = "admin write refused by the database: %s (%s)"
            record.args = (type(exc).__name__, getattr(exc, "constraint_name", None) or "-")
            record.exc_info = None
            record.exc_text = None
        return True


logging.getLogger("piccolo_api.crud.exceptions").addFilter(_DropFailingRows())


def readable_refusal(raw: str) -> str:
    match = _CONSTRAINT.search(raw)
    name = match.group(1) if match else "unknown"
    return REFUSED.get(name, GENERIC_REFUSAL.format(name))


async def _send_json(send: Send, status: int, body: dict[str, Any], **headers: str) -> None:
    encoded = json.dumps(body).encode()
    raw = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
    raw += [(k.lower().replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": encoded})


def _bad_query(rest: str, query: bytes, tables: Mapping[str, type[Table]]) -> str | None:
    """Why a request's path or filters cannot be answered (PostgreSQL text cannot hold NUL;
    Piccolo raises on an unknown sort column), else None."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if "\x00" in rest or any("\x00" in k or "\x00" in v for k, v in pairs):
        return "Remove the NUL characters from the address."
    parts = rest.strip("/").split("/")
    if len(parts) != 3 or parts[:2] != ["api", "tables"] or parts[2] not in tables:
        return None
    table = tables[parts[2]]
    for key, value in pairs:
        if key != "__order":
            continue
        for name in value.split(","):
            column = name.removeprefix("-")
            try:
                table._meta.get_column_by_name(column)
            except ValueError:
                return f"Unknown column to sort by: {column[:100]!r}."
            if "." in column:
                return f"Unknown column to sort by: {column[:100]!r}."
    return None


class _Answer:
    """The admin's answer on its way out: cookies marked Secure (outside development), and a
    refused write's raw database error held back and replaced by a readable message."""

    def __init__(self, send: Send, secure_cookies: bool, writing: bool) -> None:
        self.send = send
        self.secure_cookies = secure_cookies
        self.writing = writing
        self.status = 0
        self.held: Message | None = None
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            headers = list(message.get("headers", []))
            if self.secure_cookies:
                headers = [_secure(k, v) for k, v in headers]
            message = {**message, "headers": headers}
            if self.status == 422 and self.writing:
                self.held = message  # the body may carry a raw database error: read it first
                return
        elif message["type"] == "http.response.body" and self.held is not None:
            self.chunks.append(bytes(message.get("body", b"")))
            if message.get("more_body", False):
                return
            await self._send_rewritten()
            return
        await self.send(message)

    async def _send_rewritten(self) -> None:
        assert self.held is not None
        start, self.held = self.held, None
        body = _rewrite_db_error(b"".join(self.chunks))
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})


class AdminEdge:
    def __init__(self, admin: ASGIApp, tables: Mapping[str, type[Table]]) -> None:
        self.admin = admin
        self.tables = tables

    async def __call__(self, scope: Message, receive: Any, send: Send, rest: str) -> None:
        settings: Settings = scope["litestar_app"].state.settings
        method = scope.get("method", "GET")
        problem = _bad_query(rest, scope.get("query_string", b""), self.tables)
        if problem is not None:
            log.info("admin request refused: %s", problem)
            await _send_json(send, 400, {"detail": problem})
            return
        login_key = None
        if method == "POST" and rest == LOGIN_PATH:
            login_key = await _reserve_login(scope, send, settings)
            if login_key is None:
                return  # answered 429
        answer = _Answer(send, settings.secure_cookies, method in ("POST", "PUT", "PATCH"))
        await self.admin(scope, receive, answer)
        if login_key is not None and 200 <= answer.status < 400:
            await throttle.reset(login_key)


async def _reserve_login(scope: Message, send: Send, settings: Settings) -> str | None:
    """Count a login attempt before Piccolo verifies it: its throttle key, or None after
    answering 429 when the address used up its attempts."""
    client = scope.get("client")
    login_key = throttle.admin_login_key(settings.secret_key, client[0] if client else "")
    try:
        await throttle.reserve(login_key, ADMIN_LOGIN_LIMIT, ADMIN_LOGIN_WINDOW)
    except TooManyAttemptsError as exc:
        await _send_json(send, 429, {"detail": exc.detail}, retry_after=str(exc.retry_after))
        return None
    return login_key


def _secure(key: bytes, value: bytes) -> tuple[bytes, bytes]:
    if key.lower() == b"set-cookie" and b"secure" not in value.lower():
        return key, value + b"; Secure"
    return key, value


def _rewrite_db_error(body: bytes) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict) or "db_error" not in data:
        return body
    return json.dumps({"db_error": readable_refusal(str(data["db_error"]))}).encode()
