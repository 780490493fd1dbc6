"""How a search box query becomes SQL conditions over invoices (PRODUCT.md §3).

A query matches, case-insensitively and as a substring: the customer's name or email, the status,
the date as YYYY-MM-DD text, the amount as cents digits; and exactly, the amount in dollars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from src.domain.invoices.tables import InvoiceStatus
from src.domain.money import MAX_CENTS, parse_dollars
from src.domain.sql import contains_pattern

_DATE_CHARS = re.compile(r"^[0-9-]+$")


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
        return self.text == ""


def parse_query(query: str) -> InvoiceFilter:
    text = query.strip()
    lowered = text.lower()
    dollars = parse_dollars(text) if text else None
    return InvoiceFilter(
        text=text,
        pattern=contains_pattern(text),
        statuses=tuple(s.value for s in InvoiceStatus if text and lowered in s.value),
        date_pattern=contains_pattern(text) if _DATE_CHARS.match(text) else None,
        cents_pattern=contains_pattern(text) if text.isdigit() else None,
        dollar_cents=dollars if dollars is not None and 0 < dollars <= MAX_CENTS else None,
    )


def where_clause(f: InvoiceFilter, alias: str = "i") -> tuple[str, list[object]]:
    """SQL (with `{}` placeholders) and arguments selecting the invoices that match."""
    if f.everything:
        return "TRUE", []
    parts = [
        f"{alias}.customer_id IN (SELECT c.id FROM customers c"
        " WHERE c.name ILIKE {} ESCAPE '\\' OR c.email ILIKE {} ESCAPE '\\')"
    ]
    args: list[object] = [f.pattern, f.pattern]
    if f.statuses:
        parts.append(f"{alias}.status = ANY({{}})")
        args.append(list(f.statuses))
    if f.date_pattern is not None:
        parts.append(f"to_char({alias}.date, 'YYYY-MM-DD') LIKE {{}} ESCAPE '\\'")
        args.append(f.date_pattern)
    if f.cents_pattern is not None:
        parts.append(f"{alias}.amount::text LIKE {{}} ESCAPE '\\'")
        args.append(f.cents_pattern)
    if f.dollar_cents is not None:
        parts.append(f"{alias}.amount = {{}}")
        args.append(f.dollar_cents)
    return "(" + " OR ".join(parts) + ")", args
