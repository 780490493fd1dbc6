"""Exact conversion between dollar text and integer cents (no floats anywhere)."""

from __future__ import annotations

import re

from src.domain.rules import MAX_INT4

MAX_CENTS = MAX_INT4
_DOLLARS = re.compile(r"^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$")


def parse_dollars(text: str) -> int | None:
    """`"157.95"`, `"$1,006.26"`, `"12"`, `".5"` -> cents; None when not a dollar figure."""
    match = _DOLLARS.match(text.strip())
    if match is None:
        return None
    whole, fraction = match.group(1), match.group(2)
    if whole is None and fraction is None:
        return None
    dollars = int((whole or "0").replace(",", ""))
    cents = int((fraction or "0").ljust(2, "0"))
    return dollars * 100 + cents


def format_cents(cents: int) -> str:
    """12345 -> `"$123.45"`; negative values keep their sign in front."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"
