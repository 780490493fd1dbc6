"""What an invoice search box query means (PRODUCT.md §3), as data; the SQL is in repository.py.

A query matches, case-insensitively and as a substring: the customer's name or email, the status,
the date as YYYY-MM-DD text, the amount as cents digits; and exactly, the amount in dollars.
`parse_query` splits the text into those parts, so that each can be given its own index.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from src.domain.invoices.tables import InvoiceStatus
from src.domain.money import MAX_CENTS, parse_dollars
from src.domain.sql import contains_pattern

_DATE_CHARS = re.compile(r"^[0-9-]+$")
# An invoice number reference: INV-42, inv-000042, INV42, #42 (plain digits stay cents digits).
_NUMBER_REF = re.compile(r"^(?:inv-?|#)\s*0*([0-9]{1,18})$", re.IGNORECASE)
ALL_STATUSES = tuple(s.value for s in InvoiceStatus)

DateRange = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class InvoiceFilter:
    """The parts of a query; empty parts match nothing (an empty query matches everything)."""

    text: str
    pattern: str
    statuses: tuple[str, ...]
    date_pattern: str | None
    cents_pattern: str | None
    dollar_cents: int | None
    # The invoice number the text refers to (INV-42, #42), if it is a number reference: then
    # the query finds that invoice only.
    number: int | None = None

    @property
    def everything(self) -> bool:
        return self.text == "" or set(self.statuses) == set(ALL_STATUSES)


def parse_query(query: str) -> InvoiceFilter:
    text = query.strip()
    lowered = text.lower()
    dollars = parse_dollars(text) if text else None
    reference = _NUMBER_REF.match(text) if text.isascii() else None
    return InvoiceFilter(
        text=text,
        pattern=contains_pattern(text),
        statuses=tuple(s for s in ALL_STATUSES if text and lowered in s),
        date_pattern=contains_pattern(text) if _DATE_CHARS.match(text) else None,
        cents_pattern=contains_pattern(text) if text.isascii() and text.isdigit() else None,
        dollar_cents=dollars if dollars is not None and 0 < dollars <= MAX_CENTS else None,
        number=int(reference.group(1)) if reference else None,
    )


def matching_date_ranges(text: str, first: dt.date, last: dt.date) -> list[DateRange]:
    """The days in [first, last] whose YYYY-MM-DD text contains `text`, as inclusive ranges.

    Whole years and months are tested before single days: invoices over a few decades cost
    a few thousand string tests (well under a millisecond).
    """
    ranges: list[DateRange] = []
    # Month and day are two digits each, between dashes: longer digit runs fit only the year.
    year_only = "-" not in text and len(text) >= 3

    def add(start: dt.date, end: dt.date) -> None:
        start, end = max(start, first), min(end, last)
        if start > end:
            return
        if ranges and ranges[-1][1] + dt.timedelta(days=1) == start:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))

    for year in range(first.year, last.year + 1):
        if text in f"{year:04d}":
            add(dt.date(year, 1, 1), dt.date(year, 12, 31))
            continue
        if year_only:
            continue
        for month in range(1, 13):
            month_start = dt.date(year, month, 1)
            next_month = dt.date(year + month // 12, month % 12 + 1, 1)
            month_end = next_month - dt.timedelta(days=1)
            if month_end < first or month_start > last:
                continue
            prefix = f"{year:04d}-{month:02d}-"
            if text in prefix:
                add(month_start, month_end)
                continue
            for day in range(1, month_end.day + 1):
                if text in f"{prefix}{day:02d}":
                    add(dt.date(year, month, day), dt.date(year, month, day))
    return ranges
