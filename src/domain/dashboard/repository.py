"""The overview screen: three small queries, one after another on the same connection: the
cards from the one row of running totals, twelve months of revenue, the latest five invoices
from the top of the (date, id) index."""

from __future__ import annotations

import msgspec

from src.domain.invoices.repository import InvoiceOut, InvoiceRepository
from src.domain.revenue.repository import RevenueMonth, RevenueRepository
from src.domain.sql import fetch_one


class Cards(msgspec.Struct, rename="camel", frozen=True):
    collected: int
    pending: int
    invoice_count: int
    customer_count: int


class Dashboard(msgspec.Struct, rename="camel", frozen=True):
    cards: Cards
    revenue: list[RevenueMonth]
    latest_invoices: list[InvoiceOut]


class DashboardRepository:
    async def cards(self) -> Cards:
        row = await fetch_one(
            "SELECT paid_cents, pending_cents, invoice_count, customer_count FROM invoice_summary"
        )
        if row is None:
            return Cards(collected=0, pending=0, invoice_count=0, customer_count=0)
        return Cards(
            collected=int(row["paid_cents"]),
            pending=int(row["pending_cents"]),
            invoice_count=int(row["invoice_count"]),
            customer_count=int(row["customer_count"]),
        )

    async def overview(self) -> Dashboard:
        return Dashboard(
            cards=await self.cards(),
            revenue=await RevenueRepository().last_months(12),
            latest_invoices=await InvoiceRepository().latest(5),
        )
