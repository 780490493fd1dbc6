"""The business's calendar: "today" in APP_TIMEZONE, which decides new invoices' dates, payment
dates and what is overdue. The app sets the zone at start (the domain reads no environment)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

_zone = ZoneInfo("UTC")


def use_zone(zone: ZoneInfo) -> None:
    global _zone
    _zone = zone


def today() -> dt.date:
    return dt.datetime.now(_zone).date()
