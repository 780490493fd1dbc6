"""A customer's page: their invoices newest first, and a statement of what they owe by age and
what they have paid (until payments are recorded one by one, their paid invoices)."""

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
    invoice_id: UUID
    date: dt.date
    amount: int
    age_days: int


class Statement(msgspec.Struct, rename="camel", frozen=True):
    customer: CustomerOut
    as_of: dt.date
    owed: int
    paid: int
    ages: list[AgeBucket]
    open_invoices: list[StatementLine]
    payments: list[StatementLine]
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


async def statement(customer_id: UUID, today: dt.date) -> Statement:
    customer = await CustomerRepository().get(customer_id)
    lines = await fetch(
        "(SELECT id, date, amount, status FROM invoices WHERE customer_id = {} AND status ="
        " 'pending' ORDER BY date, id LIMIT {})"
        " UNION ALL"
        " (SELECT id, date, amount, status FROM invoices WHERE customer_id = {} AND status ="
        " 'paid' ORDER BY date DESC, id DESC LIMIT {})",
        customer_id,
        STATEMENT_LINES,
        customer_id,
        STATEMENT_LINES,
    )
    # Every open invoice counts in its age band, not only the listed ones.
    bands = " ".join(
        f"WHEN age <= {high} THEN {n}" for n, (_, _, high) in enumerate(AGE_BUCKETS) if high
    )
    totals = await fetch(
        f"SELECT CASE {bands} ELSE {len(AGE_BUCKETS) - 1} END AS band,"
        " sum(amount) AS amount, count(*) AS count"
        " FROM (SELECT amount, {}::date - date AS age FROM invoices"
        "        WHERE customer_id = {} AND status = 'pending') x GROUP BY 1",
        today,
        customer_id,
    )
    by_band = {int(r["band"]): r for r in totals}
    buckets = [
        AgeBucket(
            label,
            int(by_band[n]["amount"]) if n in by_band else 0,
            int(by_band[n]["count"]) if n in by_band else 0,
        )
        for n, (label, _, _) in enumerate(AGE_BUCKETS)
    ]
    open_lines = [_line(r, today) for r in lines if r["status"] == "pending"]
    payments = [_line(r, today) for r in lines if r["status"] == "paid"]
    return Statement(
        customer=customer,
        as_of=today,
        owed=customer.total_pending,
        paid=customer.total_paid,
        ages=buckets,
        open_invoices=open_lines,
        payments=payments,
        truncated=len(open_lines) >= STATEMENT_LINES or len(payments) >= STATEMENT_LINES,
    )


def _line(row: dict[str, object], today: dt.date) -> StatementLine:
    date = row["date"]
    assert isinstance(date, dt.date)
    return StatementLine(
        invoice_id=row["id"],  # type: ignore[arg-type]
        date=date,
        amount=row["amount"],  # type: ignore[arg-type]
        age_days=max((today - date).days, 0),
    )
