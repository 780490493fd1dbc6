"""What an invoice search box query means (PRODUCT.md §3), as data; the SQL is in repository.py.

A query matches, case-insensitively and as a substring: the customer's name or email, the status,
the date as written (below), the amount as cents digits; and exactly, the amount in dollars.
`parse_query` splits the text into those parts, so that each can be given its own index.

The date as written: the query, lower case and with runs of blanks as one space, is part of one
of the date's forms: ISO `2022-12-06`, as the table shows it `Dec 6, 2022`, in full
`December 6, 2022`, either of those without the comma, or its month `Dec 2022` /
`December 2022` (the calendar `search_days` holds these texts, migration 2026-11-28T11:10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from src.domain.invoices.tables import InvoiceStatus
from src.domain.money import MAX_CENTS, parse_dollars
from src.domain.sql import contains_pattern, search_text

# An invoice number reference: INV-42, inv-000042, INV42, #42 (plain digits stay cents digits).
_NUMBER_REF = re.compile(r"^(?:inv-?|#)\s*0*([0-9]{1,18})$", re.IGNORECASE)
ALL_STATUSES = tuple(s.value for s in InvoiceStatus)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# Every character a written date can hold: other text cannot match a date.
_DATE_ALPHABET = frozenset("0123456789-, " + "".join(MONTHS).lower())
_MONTH_NAMES = tuple(m.lower() for m in MONTHS)
_LETTERS = re.compile(r"[a-z]+")


def date_text(query: str) -> str | None:
    """The query as a date search compares it (lower case, blanks collapsed); None when no
    written date can hold it: a character no date has, or a run of letters that is not part
    of a month's name (the only letters a date has), as in `lee` or `pending`."""
    text = " ".join(query.lower().split())
    if not text or not set(text) <= _DATE_ALPHABET:
        return None
    runs = _LETTERS.findall(text)
    return text if all(any(run in month for month in _MONTH_NAMES) for run in runs) else None


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
    text = search_text(query)
    lowered = text.lower()
    dollars = parse_dollars(text) if text else None
    reference = _NUMBER_REF.match(text) if text.isascii() else None
    return InvoiceFilter(
        text=text,
        pattern=contains_pattern(text),
        statuses=tuple(s for s in ALL_STATUSES if text and lowered in s),
        date_pattern=contains_pattern(date) if (date := date_text(text)) else None,
        cents_pattern=contains_pattern(text) if text.isascii() and text.isdigit() else None,
        dollar_cents=dollars if dollars is not None and 0 < dollars <= MAX_CENTS else None,
        number=int(reference.group(1)) if reference else None,
    )
