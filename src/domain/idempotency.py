"""The Idempotency-Key store: per user, 24 hours, one answer per key.

`claim` inserts the key inside the caller's transaction. A concurrent request with the same key
waits on that insert until the first transaction ends: when the first one committed, it finds
the stored answer; when it rolled back (a failed request), it goes ahead as the first itself.
"""

from __future__ import annotations

import json
from uuid import UUID

import msgspec

from src.domain.sql import fetch, fetch_one

LIFETIME = "24 hours"


class StoredAnswer(msgspec.Struct, frozen=True):
    request_hash: str
    status_code: int | None
    headers: dict[str, str]
    body: bytes


async def claim(user_id: UUID, key: str, request_hash: str) -> StoredAnswer | None:
    """None when this request is the first with `key` (the key is now held until the caller's
    transaction ends); else what the first one stored."""
    # An expired key is free again; the user's other expired keys go with it.
    await fetch(
        f"DELETE FROM idempotency_keys WHERE user_id = {{}}"
        f" AND created_at < now() - interval '{LIFETIME}'",
        user_id,
    )
    inserted = await fetch_one(
        "INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ({}, {}, {})"
        " ON CONFLICT DO NOTHING RETURNING key",
        user_id,
        key,
        request_hash,
    )
    if inserted is not None:
        return None
    row = await fetch_one(
        "SELECT request_hash, status_code, response_headers, response_body"
        " FROM idempotency_keys WHERE user_id = {} AND key = {}",
        user_id,
        key,
    )
    if row is None:  # expired and removed between the two statements: treat as taken
        return StoredAnswer(request_hash="", status_code=None, headers={}, body=b"")
    headers = row["response_headers"]
    return StoredAnswer(
        request_hash=row["request_hash"],
        status_code=row["status_code"],
        headers=json.loads(headers) if isinstance(headers, str) else dict(headers or {}),
        body=bytes(row["response_body"] or b""),
    )


async def store(
    user_id: UUID, key: str, status_code: int, headers: dict[str, str], body: bytes
) -> None:
    await fetch(
        "UPDATE idempotency_keys SET status_code = {}, response_headers = {}::jsonb,"
        " response_body = {} WHERE user_id = {} AND key = {}",
        status_code,
        json.dumps(headers),
        body,
        user_id,
        key,
    )
