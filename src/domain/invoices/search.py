"""What an invoice search box query means (PRODUCT.md §3), as data; the SQL is in repository.py.

A query matches, case-insensitively and as a substring: the customer's name or email, the status,
the date as YYYY-MM-DD text, the amount as cents digits; and exactly, the amount in dollars.
`parse_query` splits the text into those parts, so that each can be given its own index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from src.domain.invoices.tables import InvoiceStatus
from src.domain.money import MAX_CENTS, parse_dollars
from src.domain.sql import contains_pattern

_DATE_CHARS = re.compile(r"^[0-9-]+$")
ALL_STATUSES = tuple(s.value for s in InvoiceStatus)


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
