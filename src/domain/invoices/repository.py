"""Invoices: the searchable list, single invoices and writes, one entry point for the API.

Each family of queries lives in its own module, readable top to bottom: rows.py (what a list
answers), finder.py with parts.py and pages.py (the search), writes.py (create, update, delete).
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from piccolo.querystring import QueryString

from src.domain.errors import NotFoundError
from src.domain.invoices import finder
from src.domain.invoices.rows import INVOICE_SELECT, InvoiceOut, InvoicePage, invoice_out
from src.domain.invoices.writes import CHANGED, NOT_FOUND, InvoiceWrites
from src.domain.sql import fetch, fetch_one, q

__all__ = [
    "CHANGED",
    "INVOICE_SELECT",
    "NOT_FOUND",
    "InvoiceOut",
    "InvoicePage",
    "InvoiceRepository",
]


class InvoiceRepository:
    async def search(
        self, query: str, page: int, page_size: int, status: str | None = None
    ) -> InvoicePage:
        return await finder.search(query, page, page_size, status)

    async def matching(self, query: str) -> QueryString:
        """The list's search as one condition on `invoices i` (the CSV export uses it)."""
        return await finder.matching(query)

    async def latest(self, count: int = 5) -> list[InvoiceOut]:
        rows = await fetch(q(INVOICE_SELECT + " ORDER BY i.date DESC, i.id DESC LIMIT {}", count))
        return [invoice_out(r) for r in rows]

    async def get(self, invoice_id: UUID) -> InvoiceOut:
        row = await fetch_one(q(INVOICE_SELECT + " WHERE i.id = {}", invoice_id))
        if row is None:
            raise NotFoundError(NOT_FOUND)
        return invoice_out(row)

    async def create(
        self,
        customer_id: UUID,
        amount: int,
        status: str,
        date: dt.date,
        due_date: dt.date | None = None,
    ) -> InvoiceOut:
        created = await InvoiceWrites().create(customer_id, amount, status, date, due_date)
        return await self.get(created)

    async def update(
        self,
        invoice_id: UUID,
        changes: dict[str, object],
        if_match: dt.datetime | None = None,
    ) -> InvoiceOut:
        await InvoiceWrites().update(invoice_id, changes, if_match)
        return await self.get(invoice_id)

    async def delete(self, invoice_id: UUID) -> None:
        await InvoiceWrites().delete(invoice_id)
