"""Idempotency-Key on creating POSTs: a retried request answers the first result again.

Attach `IDEMPOTENT` to a route's `middleware`. A request without the header passes straight
through. With it, the key is claimed (per user, 24 hours) in the same transaction as the
request's own writes, and the answer is sent only after that transaction has committed:
- the same key and the same request again (method, path and JSON body): the first answer,
  with `Idempotent-Replayed: true`, and nothing is created;
- the same key with a different request: 422;
- a request that fails (any answer outside 2xx) keeps nothing, so it may be retried as is.
Concurrent requests with one key wait for the first to finish (a lock on the key's row).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from src.domain import idempotency
from src.domain.sql import atomic

HEADER = b"idempotency-key"
# Printable ASCII without spaces at either end: what clients send (UUIDs, ULIDs, tokens).
_KEY = re.compile(r"^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$")
_MAX_BODY = 64 * 1024
_KEPT_HEADERS = frozenset({"content-type", "etag", "location", "content-encoding", "vary"})

BAD_KEY = "Idempotency-Key must be 1 to 255 printable ASCII characters."
KEY_REUSED = (
    "This Idempotency-Key was already used with a different request; use a new key for a new"
    " request."
)
IN_PROGRESS = "A request with this Idempotency-Key is still being processed; retry shortly."


class _Discard(Exception):
    """The request failed: roll its claim back with everything else it wrote."""


async def _json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload, "more_body": False})


def request_hash(method: str, path: str, body: bytes) -> str:
    """The same request whatever its JSON's spacing or key order."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError, RecursionError):
        canonical = body
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    digest.update(canonical)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = (
            dict(scope.get("headers", [])).get(HEADER) if scope["type"] == ScopeType.HTTP else None
        )
        user = scope.get("user")
        if raw is None or scope.get("method") != "POST" or user is None:
            await self.app(scope, receive, send)
            return
        key = raw.decode("latin-1")
        if not _KEY.match(key):
            await _json(
                send,
                400,
                {
                    "detail": "Invalid request.",
                    "errors": [{"field": "Idempotency-Key", "message": BAD_KEY}],
                },
            )
            return
        chunks, too_big = await _read_body(receive)
        body = b"".join(chunks)
        if too_big:  # let the app refuse it (413) as it refuses any body that large
            await self.app(scope, _replay(chunks, receive), send)
            return
        digest = request_hash("POST", scope["path"], body)
        answer: list[Message] = []

        async def capture(message: Message) -> None:
            answer.append(message)

        try:
            async with atomic():
                stored = await idempotency.claim(user.id, key, digest)
                if stored is None:
                    await self.app(scope, _replay([body], receive), capture)
                    status, headers, content = _parts(answer)
                    if not 200 <= status < 300:
                        raise _Discard
                    await idempotency.store(user.id, key, status, headers, content)
        except _Discard:
            pass
        if stored is None:
            for message in answer:
                await send(message)
        elif stored.request_hash != digest:
            await _json(send, 422, {"detail": KEY_REUSED})
        elif stored.status_code is None:
            await _json(send, 409, {"detail": IN_PROGRESS})
        else:
            replayed = [(k.encode(), v.encode()) for k, v in stored.headers.items()]
            replayed += [
                (b"content-length", str(len(stored.body)).encode()),
                (b"idempotent-replayed", b"true"),
            ]
            await send(
                {"type": "http.response.start", "status": stored.status_code, "headers": replayed}
            )
            await send({"type": "http.response.body", "body": stored.body, "more_body": False})


async def _read_body(receive: Receive) -> tuple[list[bytes], bool]:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return chunks, False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > _MAX_BODY:
            return chunks, True
        if not message.get("more_body", False):
            return chunks, False


def _replay(chunks: list[bytes], receive: Receive) -> Receive:
    pending = list(chunks) or [b""]

    async def replay() -> ReceiveMessage:
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending)}
        return await receive()

    return replay


def _parts(messages: list[Message]) -> tuple[int, dict[str, str], bytes]:
    status = 500
    headers: dict[str, str] = {}
    body = b""
    for message in messages:
        if message["type"] == "http.response.start":
            status = int(message["status"])
            for name, value in message.get("headers", []):
                key = name.decode("latin-1").lower()
                if key in _KEPT_HEADERS:
                    headers[key] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            body += message.get("body", b"")
    return status, headers, body


IDEMPOTENT = DefineMiddleware(IdempotencyMiddleware)
