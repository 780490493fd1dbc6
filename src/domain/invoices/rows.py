"""What an invoice list answers: the rows as the API shows them, and one page of them.

Every list of invoices (the search, a customer's invoices) selects INVOICE_SELECT and builds its
answer with `page_of`, so a page looks the same wherever it comes from."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from src.domain import calendar
from src.domain.pagination import total_pages
from src.domain.sql import Row


class InvoiceOut(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    customer_id: UUID
    customer_name: str
    customer_email: str
    customer_image_url: str | None
    amount: int
    status: str
    date: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime
    # INV-000042: gapless, given at creation, never reused.
    number: str
    due_date: dt.date
    amount_paid: int
    balance_due: int
    # Unpaid and past its due date (in APP_TIMEZONE).
    overdue: bool


class InvoicePage(msgspec.Struct, rename="camel", frozen=True):
    items: list[InvoiceOut]
    page: int
    page_size: int
    total: int
    total_pages: int
    # True when `total` is a lower bound (the search could not tell more cheaply).
    total_is_capped: bool = False
    # True when `total` is an estimate from the fixed sample of invoices (a broad search, tens
    # of thousands of matches: docs/performance.md, "Totals"); the UI says "about".
    total_is_estimate: bool = False


INVOICE_SELECT = """
    SELECT i.id, i.customer_id, c.name AS customer_name, c.email AS customer_email,
           c.image_url AS customer_image_url, i.amount, i.status, i.date,
           i.created_at, i.updated_at,
           'INV-' || lpad(i.number::text, greatest(6, length(i.number::text)), '0') AS number,
           i.due_date, i.amount_paid, i.amount - i.amount_paid AS balance_due
      FROM invoices i JOIN customers c ON c.id = i.customer_id"""


def invoice_out(row: Row) -> InvoiceOut:
    overdue = row["status"] == "pending" and row["due_date"] < calendar.today()
    return InvoiceOut(**row, overdue=overdue)


def pop_totals(rows: list[Row]) -> int:
    """The match total that the query put beside each row (taken off the rows)."""
    total = int(rows[0]["match_total"])
    for row in rows:
        del row["match_total"]
    return total


def page_of(
    rows: list[Row],
    page: int,
    page_size: int,
    total: int,
    capped: bool = False,
    estimate: bool = False,
) -> InvoicePage:
    return InvoicePage(
        items=[invoice_out(r) for r in rows],
        page=page,
        page_size=page_size,
        total=total,
        total_pages=total_pages(total, page_size),
        total_is_capped=capped,
        total_is_estimate=estimate,
    )
