"""The invoice search rule (PRODUCT.md §3, dates as displayed from issue 13.6), read plainly:
every row checked in Python, no index, no cleverness. The brute-force tests compare each query
path with it."""

from __future__ import annotations

import datetime as dt

from src.domain.money import parse_dollars
from src.domain.sql import fetch


def written(day: dt.date) -> list[str]:
    """The date as the table shows it (`Dec 6, 2022`), in full, without the comma, its month,
    and ISO."""
    short, full = day.strftime("%b"), day.strftime("%B")
    return [
        day.isoformat(),
        f"{short} {day.day}, {day.year}",
        f"{full} {day.day}, {day.year}",
        f"{short} {day.day} {day.year}",
        f"{full} {day.day} {day.year}",
        f"{short} {day.year}",
        f"{full} {day.year}",
    ]


async def oracle(query: str) -> list[str]:
    """Ids (newest first) matched by the plain, unindexed reading of the rules."""
    text = query.strip()
    low = text.lower()
    as_date = " ".join(low.split())
    dollars = parse_dollars(text)
    rows = await fetch(
        "SELECT i.id, i.date, i.amount, i.status, c.name, c.email FROM invoices i"
        " JOIN customers c ON c.id = i.customer_id ORDER BY i.date DESC, i.id DESC"
    )
    return [
        str(r["id"])
        for r in rows
        if low in r["name"].lower()
        or low in r["email"].lower()
        or low in r["status"]
        or (as_date and any(as_date in form.lower() for form in written(r["date"])))
        or (text.isdigit() and text in str(r["amount"]))
        or (dollars is not None and dollars == r["amount"])
    ]
