"""Login throttling kept in PostgreSQL, so it holds across processes and Lambda containers.

Each attempt first *reserves* its place: one atomic upsert counts it and refuses it once
`limit` attempts were counted for the key within the window. Only a reserved attempt goes on
to verify the password, so of any number of simultaneous guesses at most `limit` are
evaluated; the rest are refused (429) without touching argon2. A success deletes the count.

Keys are HMACs under SECRET_KEY: the table never holds an email or an address, and its rows
cannot be matched to a guessed email without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math

from src.domain.errors import TooManyAttemptsError
from src.domain.sql import fetch, fetch_one
from src.domain.users.email import email_key

LIMIT = 10
WINDOW = dt.timedelta(minutes=15)
TOO_MANY = "Too many failed logins. Please wait and try again."
# Longer than any window a caller uses (the admin's is 5 minutes).
STALE_AFTER = dt.timedelta(hours=1)


def _key(secret: str, *parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def login_key(secret: str, email: str, client: str) -> str:
    """The dashboard login's key: one email (in its normal form) from one client address."""
    return _key(secret, "login", email_key(email), client)


def admin_login_key(secret: str, client: str) -> str:
    """The back office login's key: one client address, whatever the username."""
    return _key(secret, "admin-login", client)


async def reserve(key: str, limit: int = LIMIT, window: dt.timedelta = WINDOW) -> None:
    """Count one attempt, or raise TooManyAttemptsError when `limit` are already counted.

    The upsert's WHERE is evaluated on the locked, latest version of the row, so concurrent
    reservations of one key are serialised by PostgreSQL: never more than `limit` succeed."""
    row = await fetch_one(
        """
        INSERT INTO login_attempts AS a (key, failures, window_start) VALUES ({}, 1, now())
        ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN a.window_start <= now() - {}::interval
                            THEN 1 ELSE a.failures + 1 END,
            window_start = CASE WHEN a.window_start <= now() - {}::interval
                                THEN now() ELSE a.window_start END
        WHERE a.window_start <= now() - {}::interval OR a.failures < {}
        RETURNING failures
        """,
        key,
        window,
        window,
        window,
        limit,
    )
    if row is not None:
        return
    left = await fetch_one(
        "SELECT window_start + {}::interval - now() AS left FROM login_attempts WHERE key = {}",
        window,
        key,
    )
    seconds = math.ceil(left["left"].total_seconds()) if left is not None else 1
    raise TooManyAttemptsError(TOO_MANY, retry_after=max(1, seconds))


async def reset(key: str) -> None:
    """Forget the key's count (a success), and a few counts whose window ended long ago, so
    the table stays the size of the recent failures."""
    await fetch(
        "DELETE FROM login_attempts WHERE key = {} OR key IN (SELECT key FROM login_attempts"
        " WHERE window_start < now() - {}::interval LIMIT 100)",
        key,
        STALE_AFTER,
    )
