"""What an imported invoice has been paid: the `paid` column of the export, checked against the
row's amount and status, and written as a payment, so a partly paid invoice comes back partly
paid (the dashboard's Collected and Pending the same on both sides of a round trip).

- `paid` empty or absent: a paid row is paid in full, a pending row not at all.
- 0 < paid < amount (status pending): one payment of `paid` (method `other`, dated the invoice's
  date), written here after the invoice.
- paid = amount (status paid): one payment of the amount; the database's own rule for an invoice
  inserted as paid (trigger `invoices_settle`) writes it, dated the same way.
- paid over the amount, or a status that disagrees with the money, is a row error.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from src.domain.money import format_cents

_DOLLARS = re.compile(r"^[0-9]+(\.[0-9]{1,2})?$")
PAYMENT_COLUMNS = ("invoice_id", "amount", "date", "method")

Fail = Callable[[int, str, str], None]


def _cents(raw: str) -> int | None:
    if not _DOLLARS.match(raw):
        return None
    whole, _, cents = raw.partition(".")
    return int(whole) * 100 + int(cents.ljust(2, "0"))


def paid_of(
    line: int, values: dict[str, str], amount: int | None, status: str | None, fail: Fail
) -> int | None:
    """Cents paid on the row, or None after failing it (`amount` and `status` are None when
    their own columns failed: then only the form of `paid` is checked)."""
    raw = values.get("paid", "").strip()
    if not raw:
        return None if amount is None else (amount if status == "paid" else 0)
    paid = _cents(raw)
    if paid is None:
        fail(
            line,
            "paid",
            f"paid {raw[:40]!r} is not an amount: write dollars with a dot before the cents and"
            " no thousands separators, like 1234.50 (or leave it empty).",
        )
        return None
    if amount is None or status is None:
        return None
    if paid > amount:
        fail(
            line,
            "paid",
            f"paid {format_cents(paid)} is more than the amount {format_cents(amount)}:"
            " an invoice cannot be paid beyond its amount.",
        )
        return None
    if status == "paid" and paid < amount:
        fail(
            line,
            "status",
            f"The status is paid, but the paid column ({format_cents(paid)}) is less than the"
            f" amount ({format_cents(amount)}): write pending, or paid equal to the amount.",
        )
        return None
    if status == "pending" and paid == amount:
        fail(
            line,
            "status",
            f"The status is pending, but the paid column ({format_cents(paid)}) covers the whole"
            " amount: write paid, or a smaller paid sum.",
        )
        return None
    return paid


def invoice_id() -> uuid.UUID:
    """The id an imported invoice is written with, so its payment can name it in the same COPY
    batch."""
    return uuid.uuid4()


def part_payment(invoice: uuid.UUID, values: dict[str, Any]) -> tuple[Any, ...] | None:
    """The payment row of a partly paid invoice (a fully paid one gets its payment from the
    database, an unpaid one none)."""
    paid = values["paid"]
    if values["status"] == "pending" and paid:
        return (invoice, paid, values["date"], "other")
    return None


async def write_payments(
    connection: Any, payments: list[tuple[Any, ...]], copy_timeout: float
) -> None:
    """COPY the batch's part payments (after their invoices); the database's trigger adds
    them up into each invoice's paid sum, and its running totals follow."""
    if payments:
        await connection.copy_records_to_table(
            "payments", records=payments, columns=PAYMENT_COLUMNS, timeout=copy_timeout
        )
