"""What this process looked up a moment ago, trusted for at most a second.

Sessions and API keys are checked in the database, then trusted here briefly so a burst of
requests does not ask again each time; an end made elsewhere (logout, revocation on another
instance) reaches this process within that window. Entries are keyed by a hash of the secret,
never the secret itself.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Recent(Generic[T]):
    LIMIT = 10_000  # a flood of distinct secrets empties it rather than growing it

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self._entries: dict[str, tuple[T, float]] = {}

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[1] <= self.clock():
            del self._entries[key]
            return None
        return entry[0]

    def put(self, key: str, value: T, expires_at: dt.datetime | None) -> None:
        """Trust `value` for `seconds`, or until `expires_at` when that comes sooner."""
        if len(self._entries) >= self.LIMIT:
            self._entries.clear()
        trust = self.seconds
        if expires_at is not None:
            trust = min(trust, (expires_at - dt.datetime.now(dt.UTC)).total_seconds())
        self._entries[key] = (value, self.clock() + trust)

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def forget_where(self, matches: Callable[[T], bool]) -> None:
        for key in [k for k, (value, _) in self._entries.items() if matches(value)]:
            del self._entries[key]
