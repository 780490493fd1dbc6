"""Login throttling kept in PostgreSQL, so it holds across processes and Lambda containers.

After LIMIT failed logins for one email from one client address within WINDOW, further attempts
are refused until the window has passed, whether or not the email exists. A success resets it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from src.domain.errors import TooManyAttemptsError
from src.domain.sql import fetch, fetch_one

LIMIT = 10
WINDOW = dt.timedelta(minutes=15)
TOO_MANY = "Too many failed logins. Please wait and try again."


def attempt_key(email: str, client: str) -> str:
    # Hashed: the table never holds addresses people typed.
    return hashlib.sha256(f"{email.strip().lower()}|{client}".encode()).hexdigest()


async def check(key: str) -> None:
    row = await fetch_one(
        "SELECT failures, window_start + {}::interval - now() AS left FROM login_attempts"
        " WHERE key = {} AND window_start > now() - {}::interval",
        WINDOW,
        key,
        WINDOW,
    )
    if row is not None and row["failures"] >= LIMIT:
        seconds = max(1, math.ceil(row["left"].total_seconds()))
        raise TooManyAttemptsError(TOO_MANY, retry_after=seconds)


async def record_failure(key: str) -> None:
    await fetch(
        """
        INSERT INTO login_attempts (key, failures, window_start) VALUES ({}, 1, now())
        ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN login_attempts.window_start <= now() - {}::interval
                            THEN 1 ELSE login_attempts.failures + 1 END,
            window_start = CASE WHEN login_attempts.window_start <= now() - {}::interval
                                THEN now() ELSE login_attempts.window_start END
        """,
        key,
        WINDOW,
        WINDOW,
    )


async def reset(key: str) -> None:
    await fetch("DELETE FROM login_attempts WHERE key = {}", key)
