"""A customer's page: their invoices newest first, and a statement of what they owe by age and
the payments they made (each recorded payment; a voided one is listed, marked, and not counted)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from src.domain.customers.repository import CustomerOut, CustomerRepository
from src.domain.invoices.rows import INVOICE_SELECT, InvoicePage, page_of
from src.domain.pagination import offset
from src.domain.sql import fetch

# Ages in days since the invoice date (until invoices have due dates), as on paper statements.
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0 to 30 days", 0, 30),
    ("31 to 60 days", 31, 60),
    ("61 to 90 days", 61, 90),
    ("Over 90 days", 91, None),
)
# A statement lists at most this many open invoices and payments (the totals count them all).
STATEMENT_LINES = 200


class AgeBucket(msgspec.Struct, rename="camel", frozen=True):
    label: str
    amount: int
    count: int


class StatementLine(msgspec.Struct, rename="camel", frozen=True):
    """An open invoice: its amount and the balance still owed on it."""

    invoice_id: UUID
    number: str  # INV-000042
    date: dt.date
    amount: int
    balance: int
    age_days: int


class StatementPayment(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    invoice_id: UUID
    invoice_number: str
    date: dt.date
    method: str
    amount: int
    # Set when the payment was voided: listed for the record, not counted in `paid`.
    voided_at: dt.datetime | None
    void_reason: str | None


class Statement(msgspec.Struct, rename="camel", frozen=True):
    customer: CustomerOut
    as_of: dt.date
    owed: int
    paid: int
    ages: list[AgeBucket]
    open_invoices: list[StatementLine]
    # Newest first.
    payments: list[StatementPayment]
    # True when there are more lines than listed (the totals above still count them all).
    truncated: bool


async def customer_invoices(customer_id: UUID, page: int, page_size: int) -> InvoicePage:
    customer = await CustomerRepository().get(customer_id)  # 404 for an unknown customer
    rows = await fetch(
        f"{INVOICE_SELECT} WHERE i.customer_id = {{}} ORDER BY i.date DESC, i.id DESC"
        " LIMIT {} OFFSET {}",
        customer_id,
        page_size,
        offset(page, page_size),
    )
    return page_of(rows, page, page_size, customer.invoice_count)


_NUMBER = "'INV-' || lpad(i.number::text, greatest(6, length(i.number::text)), '0')"


async def statement(customer_id: UUID, today: dt.date) -> Statement:
    customer = await CustomerRepository().get(customer_id)
    open_rows = await fetch(
        f"SELECT i.id, {_NUMBER} AS number, i.date, i.amount, i.amount - i.amount_paid AS balance"
        " FROM invoices i WHERE i.customer_id = {} AND i.status = 'pending'"
        " ORDER BY i.date, i.id LIMIT {}",
        customer_id,
        STATEMENT_LINES,
    )
    payments = await fetch(
        f"SELECT p.id, p.invoice_id, {_NUMBER} AS invoice_number, p.date, p.method, p.amount,"
        " p.voided_at, p.void_reason FROM invoices i JOIN payments p ON p.invoice_id = i.id"
        " WHERE i.customer_id = {} ORDER BY p.date DESC, p.created_at DESC, p.id DESC LIMIT {}",
        customer_id,
        STATEMENT_LINES,
    )
    open_lines = [_line(r, today) for r in open_rows]
    return Statement(
        customer=customer,
        as_of=today,
        owed=customer.total_pending,
        paid=customer.total_paid,
        ages=await _ages(customer_id, today),
        open_invoices=open_lines,
        payments=[StatementPayment(**r) for r in payments],
        truncated=len(open_lines) >= STATEMENT_LINES or len(payments) >= STATEMENT_LINES,
    )


async def _ages(customer_id: UUID, today: dt.date) -> list[AgeBucket]:
    """What every open invoice still owes (not only the listed ones), in its age band."""
    bands = " ".join(
        f"WHEN age <= {high} THEN {n}" for n, (_, _, high) in enumerate(AGE_BUCKETS) if high
    )
    totals = await fetch(
        f"SELECT CASE {bands} ELSE {len(AGE_BUCKETS) - 1} END AS band,"
        " sum(balance) AS amount, count(*) AS count"
        " FROM (SELECT amount - amount_paid AS balance, {}::date - date AS age FROM invoices"
        "        WHERE customer_id = {} AND status = 'pending') x GROUP BY 1",
        today,
        customer_id,
    )
    by_band = {int(r["band"]): r for r in totals}
    return [
        AgeBucket(
            label,
            int(by_band[n]["amount"]) if n in by_band else 0,
            int(by_band[n]["count"]) if n in by_band else 0,
        )
        for n, (label, _, _) in enumerate(AGE_BUCKETS)
    ]


def _line(row: dict[str, object], today: dt.date) -> StatementLine:
    date = row["date"]
    assert isinstance(date, dt.date)
    return StatementLine(
        invoice_id=row["id"],  # type: ignore[arg-type]
        number=str(row["number"]),
        date=date,
        amount=row["amount"],  # type: ignore[arg-type]
        balance=row["balance"],  # type: ignore[arg-type]
        age_days=max((today - date).days, 0),
    )
