"""How a search box query becomes SQL over invoices (PRODUCT.md §3), one index per part.

A query matches, case-insensitively and as a substring: the customer's name or email, the status,
the date as YYYY-MM-DD text, the amount as cents digits; and exactly, the amount in dollars.

Each part is written so that an index serves it (docs/performance.md):
- customers: ids from the trigram indexes on name/email, then invoices by customer_id;
- status: `status IN (...)`, its total from the running per-status counts;
- date text: the matching days turned into date ranges on the (date, id) index;
- cents digits: `amount::text LIKE` on the trigram expression index;
- dollar figure: `amount = n` on the amount index.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from src.domain.customers.search import customer_match
from src.domain.invoices.tables import InvoiceStatus
from src.domain.money import MAX_CENTS, parse_dollars
from src.domain.sql import contains_pattern

_DATE_CHARS = re.compile(r"^[0-9-]+$")
ALL_STATUSES = tuple(s.value for s in InvoiceStatus)
# Up to this many date ranges are OR'ed BETWEENs; beyond it, one `date = ANY(days)`.
_MAX_RANGES = 16

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

    @property
    def everything(self) -> bool:
        return self.text == "" or set(self.statuses) == set(ALL_STATUSES)


def parse_query(query: str) -> InvoiceFilter:
    text = query.strip()
    lowered = text.lower()
    dollars = parse_dollars(text) if text else None
    return InvoiceFilter(
        text=text,
        pattern=contains_pattern(text),
        statuses=tuple(s for s in ALL_STATUSES if text and lowered in s),
        date_pattern=contains_pattern(text) if _DATE_CHARS.match(text) else None,
        cents_pattern=contains_pattern(text) if text.isascii() and text.isdigit() else None,
        dollar_cents=dollars if dollars is not None and 0 < dollars <= MAX_CENTS else None,
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


def _date_condition(ranges: Sequence[DateRange], alias: str) -> str:
    # Dates are formatted here from date objects, never from user text: safe as literals.
    if len(ranges) <= _MAX_RANGES:
        return " OR ".join(
            f"{alias}.date BETWEEN '{a.isoformat()}' AND '{b.isoformat()}'" for a, b in ranges
        )
    days: list[str] = []
    for a, b in ranges:
        days.extend(f"'{a + dt.timedelta(days=n)}'" for n in range((b - a).days + 1))
    # ARRAY[...] rather than a '{...}' literal: braces are placeholders in a QueryString.
    return f"{alias}.date = ANY(ARRAY[{','.join(days)}]::date[])"


@dataclass(frozen=True)
class Conditions:
    """SQL conditions (with `{}` placeholders) for the parts of a query, split by cost."""

    statuses: tuple[str, ...]
    others: tuple[str, ...]
    args: tuple[object, ...]

    def where(self, alias: str = "i") -> tuple[str, list[object]]:
        """Rows matching any part."""
        parts = list(self.others)
        if self.statuses:
            parts.append(self._status_in(alias))
        if not parts:
            return "FALSE", []
        return "(" + " OR ".join(parts) + ")", list(self.args)

    def outside_statuses(self, alias: str = "i") -> tuple[str, list[object]] | None:
        """Rows matching a non-status part whose status is not matched itself (None if none).

        The status part's own total comes from the running counts; adding this count to it
        gives the exact total without counting half a million rows.
        """
        if not self.others:
            return None
        where = "(" + " OR ".join(self.others) + ")"
        if self.statuses:
            where += f" AND NOT {self._status_in(alias)}"
        return where, list(self.args)

    def _status_in(self, alias: str) -> str:
        # Statuses come from InvoiceStatus, never from user text: safe as literals.
        return f"{alias}.status IN ({', '.join(repr(s) for s in self.statuses)})"


def conditions(
    f: InvoiceFilter,
    customer_ids: Sequence[UUID] | None,
    date_ranges: Sequence[DateRange],
    alias: str = "i",
) -> Conditions:
    """The conditions for a query; `customer_ids` None means too many to list (use a subquery)."""
    parts: list[str] = []
    args: list[object] = []
    if customer_ids is None:
        parts.append(
            f"{alias}.customer_id IN (SELECT c.id FROM customers c WHERE {customer_match('c')})"
        )
        args.append(f.pattern)
    elif customer_ids:
        parts.append(f"{alias}.customer_id = ANY({{}}::uuid[])")
        args.append(list(customer_ids))
    if date_ranges:
        parts.append(_date_condition(date_ranges, alias))
    if f.cents_pattern is not None:
        parts.append(f"{alias}.amount::text LIKE {{}} ESCAPE '\\'")
        args.append(f.cents_pattern)
    if f.dollar_cents is not None:
        parts.append(f"{alias}.amount = {f.dollar_cents:d}")
    return Conditions(statuses=f.statuses, others=tuple(parts), args=tuple(args))
