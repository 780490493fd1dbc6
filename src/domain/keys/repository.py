"""API keys: named, scoped secrets a user gives a script instead of their password.

The secret (`acme_` + 43 random URL-safe characters) is returned once, at creation; the table
keeps its SHA-256 (a high-entropy secret needs no slow hash) and its last four characters. A key
found in the database is trusted for up to KEY_RECHECK_SECONDS in the same process, as sessions
are: revoking it ends it here at once and on other instances within that second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Literal
from uuid import UUID

import msgspec

from src.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from src.domain.recent import Recent
from src.domain.sql import UniqueViolation, atomic, fetch, fetch_one
from src.domain.users.repository import SESSION_RECHECK_SECONDS, UserOut

Scope = Literal["read", "write"]
SECRET_PREFIX = "acme_"  # noqa: S105 - the marker every key starts with, not a secret
MAX_KEYS = 20
MAX_LIFETIME = dt.timedelta(days=5 * 366)
KEY_RECHECK_SECONDS = SESSION_RECHECK_SECONDS
# last_used_at is written at most this often per key, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
NOT_FOUND = "API key not found."
NAME_TAKEN = "You already have an API key with this name."
TOO_MANY = f"You already have {MAX_KEYS} API keys. Revoke one you no longer use first."
EXPIRY_PAST = FieldError("expiresAt", "Choose an expiry date in the future.")
EXPIRY_FAR = FieldError("expiresAt", "Choose an expiry date at most 5 years from now.")
_BUCKET_LIMIT = 10_000  # a flood of distinct keys empties the buckets rather than growing them


class ApiKeyOut(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    name: str
    scope: str
    # The secret's last four characters, to tell keys apart ("acme_…x7Qa").
    hint: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    expired: bool


class NewApiKey(msgspec.Struct, rename="camel", frozen=True):
    key: ApiKeyOut
    # Shown once: it is not stored and cannot be shown again.
    secret: str


class KeyHolder(msgspec.Struct, frozen=True):
    """Who a presented key acts for, and what it may do."""

    key_id: UUID
    key_name: str
    scope: str
    user: UserOut

    @property
    def actor_name(self) -> str:
        return f"API key “{self.key_name}” of {self.user.name}"


def looks_like_key(token: str) -> bool:
    return token.startswith(SECRET_PREFIX)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_COLUMNS = (
    "id, name, scope, hint, created_at, expires_at, last_used_at,"
    " coalesce(expires_at <= now(), false) AS expired"
)


def _checked_expiry(expires_at: dt.datetime) -> dt.datetime:
    """In UTC, in the future and at most MAX_LIFETIME away (a naive time is taken as UTC)."""
    if expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    try:
        expires_at = expires_at.astimezone(dt.UTC)
    except OverflowError:  # an offset that moves it past year 1 or 9999
        raise ValidationError([EXPIRY_PAST if expires_at.year < 2000 else EXPIRY_FAR]) from None
    if expires_at <= now:
        raise ValidationError([EXPIRY_PAST])
    if expires_at - now > MAX_LIFETIME:
        raise ValidationError([EXPIRY_FAR])
    return expires_at


class ApiKeyRepository:
    async def list(self, user_id: UUID) -> list[ApiKeyOut]:
        rows = await fetch(
            f"SELECT {_COLUMNS} FROM api_keys WHERE user_id = {{}} ORDER BY created_at DESC, id",
            user_id,
        )
        return [ApiKeyOut(**r) for r in rows]

    async def create(
        self, user_id: UUID, name: str, scope: Scope, expires_at: dt.datetime | None
    ) -> NewApiKey:
        if expires_at is not None:
            expires_at = _checked_expiry(expires_at)
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        try:
            async with atomic():
                # Counted under the user's row lock, so parallel creations cannot pass the limit.
                await fetch("SELECT 1 FROM users WHERE id = {} FOR UPDATE", user_id)
                count = await fetch_one(
                    "SELECT count(*) AS n FROM api_keys WHERE user_id = {}", user_id
                )
                if count is not None and count["n"] >= MAX_KEYS:
                    raise ConflictError(TOO_MANY)
                row = await fetch_one(
                    "INSERT INTO api_keys (user_id, name, scope, secret_hash, hint, expires_at)"
                    f" VALUES ({{}}, {{}}, {{}}, {{}}, {{}}, {{}}) RETURNING {_COLUMNS}",
                    user_id,
                    name.strip(),
                    scope,
                    secret_hash(secret),
                    secret[-4:],
                    expires_at,
                )
        except UniqueViolation:
            raise ConflictError(NAME_TAKEN) from None
        assert row is not None
        return NewApiKey(key=ApiKeyOut(**row), secret=secret)

    async def revoke(self, user_id: UUID, key_id: UUID) -> None:
        row = await fetch_one(
            "DELETE FROM api_keys WHERE id = {} AND user_id = {} RETURNING secret_hash",
            key_id,
            user_id,
        )
        if row is None:
            raise NotFoundError(NOT_FOUND)
        _recent.forget(row["secret_hash"])

    async def holder(self, secret: str) -> KeyHolder | None:
        """The key's holder when the secret names a key that is neither revoked nor expired."""
        key = secret_hash(secret)
        found = _recent.get(key)
        if found is not None:
            return found
        row = await fetch_one(
            """
            WITH k AS (
                SELECT k.id, k.name, k.scope, k.expires_at, k.last_used_at,
                       u.id AS user_id, u.name AS user_name, u.email
                  FROM api_keys k JOIN users u ON u.id = k.user_id
                 WHERE k.secret_hash = {} AND (k.expires_at IS NULL OR k.expires_at > now())
            ), used AS (
                UPDATE api_keys SET last_used_at = now()
                 WHERE id = (SELECT id FROM k)
                   AND (last_used_at IS NULL OR last_used_at < now() - {}::interval)
            )
            SELECT * FROM k
            """,
            key,
            LAST_USED_PRECISION,
        )
        if row is None:
            return None
        holder = KeyHolder(
            key_id=row["id"],
            key_name=row["name"],
            scope=row["scope"],
            user=UserOut(id=row["user_id"], name=row["user_name"], email=row["email"]),
        )
        _recent.put(key, holder, row["expires_at"])
        return holder


_recent: Recent[KeyHolder] = Recent(KEY_RECHECK_SECONDS)


class KeyRateLimit:
    """At most `per_minute` requests per key in any minute, per process (a token bucket that
    refills continuously). `take` answers 0 when the request may go, else the seconds to wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[UUID, tuple[float, float]] = {}

    def take(self, key_id: UUID, per_minute: int) -> int:
        now = self.clock()
        rate = per_minute / 60.0
        tokens, at = self._buckets.get(key_id, (float(per_minute), now))
        tokens = min(float(per_minute), tokens + (now - at) * rate)
        if tokens < 1.0:
            self._buckets[key_id] = (tokens, now)
            return max(1, int((1.0 - tokens) / rate + 0.999))
        if len(self._buckets) >= _BUCKET_LIMIT and key_id not in self._buckets:
            self._buckets.clear()
        self._buckets[key_id] = (tokens - 1.0, now)
        return 0

    def clear(self) -> None:
        self._buckets.clear()


RATE_LIMIT = KeyRateLimit()
