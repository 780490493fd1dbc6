"""The overview screen: three small queries, one after another on the same connection: the
cards (with overdue money and its aging) from the kept totals, twelve months of revenue, the
latest five invoices from the top of the (date, id) index."""

from __future__ import annotations

import datetime as dt

import msgspec

from src.domain import calendar
from src.domain.invoices.overdue import due_before
from src.domain.invoices.repository import InvoiceOut, InvoiceRepository
from src.domain.revenue.repository import RevenueMonth, RevenueRepository
from src.domain.sql import fetch_one, q


class Cards(msgspec.Struct, rename="camel", frozen=True):
    # The live payments' sum, and the balances' sum.
    collected: int
    pending: int
    invoice_count: int
    customer_count: int


class Overdue(msgspec.Struct, frozen=True):
    """Unpaid money past its due date (cents), and how many invoices hold it."""

    total: int
    count: int


class Aging(msgspec.Struct, frozen=True):
    """Unpaid money (cents) by days past its due date; `current` is not yet due."""

    current: int
    days1to30: int
    days31to60: int
    days61to90: int
    over90: int


class Dashboard(msgspec.Struct, rename="camel", frozen=True):
    cards: Cards
    revenue: list[RevenueMonth]
    latest_invoices: list[InvoiceOut]
    overdue: Overdue
    aging: Aging


class DashboardRepository:
    async def cards_and_aging(self) -> tuple[Cards, Overdue, Aging]:
        """One row: the running totals, the unpaid money due before today (kept per month of
        due date, src/domain/invoices/overdue.py) and the last 90 days' due dates one by one
        (invoice_open_due holds a row per due date, not per invoice); what is current and
        over 90 days follows from those."""
        today = calendar.today()
        day = dt.timedelta(days=1)
        row = await fetch_one(
            q(
                """
    SELECT s.paid_cents, s.pending_cents, s.invoice_count, s.customer_count,
           o.cents AS overdue, o.n AS overdue_count, w.*
      FROM invoice_summary s CROSS JOIN ({}) o CROSS JOIN (
        SELECT coalesce(sum(balance_cents) FILTER (WHERE due_date >= {}), 0) AS days1to30,
               coalesce(sum(balance_cents) FILTER (WHERE due_date < {} AND due_date >= {}), 0)
                   AS days31to60,
               coalesce(sum(balance_cents) FILTER (WHERE due_date < {}), 0) AS days61to90
          FROM invoice_open_due WHERE due_date >= {} AND due_date < {}) w""",
                due_before(today),
                today - 30 * day,
                today - 30 * day,
                today - 60 * day,
                today - 60 * day,
                today - 90 * day,
                today,
            )
        )
        if row is None:
            return (
                Cards(collected=0, pending=0, invoice_count=0, customer_count=0),
                Overdue(total=0, count=0),
                Aging(current=0, days1to30=0, days31to60=0, days61to90=0, over90=0),
            )
        cards = Cards(
            collected=int(row["paid_cents"]),
            pending=int(row["pending_cents"]),
            invoice_count=int(row["invoice_count"]),
            customer_count=int(row["customer_count"]),
        )
        overdue = Overdue(total=int(row["overdue"]), count=int(row["overdue_count"]))
        windows = int(row["days1to30"]) + int(row["days31to60"]) + int(row["days61to90"])
        aging = Aging(
            # Every unpaid cent is in pending_cents: what is not overdue is not due yet.
            current=int(row["pending_cents"]) - int(row["overdue"]),
            days1to30=int(row["days1to30"]),
            days31to60=int(row["days31to60"]),
            days61to90=int(row["days61to90"]),
            over90=int(row["overdue"]) - windows,
        )
        return cards, overdue, aging

    async def cards(self) -> Cards:
        return (await self.cards_and_aging())[0]

    async def overview(self) -> Dashboard:
        cards, overdue, aging = await self.cards_and_aging()
        return Dashboard(
            cards=cards,
            revenue=await RevenueRepository().last_months(12),
            latest_invoices=await InvoiceRepository().latest(5),
            overdue=overdue,
            aging=aging,
        )
