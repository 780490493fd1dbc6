"""Invoices: the searchable list, single invoices and writes."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from src.domain.errors import FieldError, NotFoundError, PreconditionFailedError, ValidationError
from src.domain.invoices.search import parse_query, where_clause
from src.domain.pagination import offset, total_pages
from src.domain.sql import ForeignKeyViolation, atomic, fetch, fetch_one

NOT_FOUND = "Invoice not found."
CHANGED = "This invoice was changed by someone else. Reload to see the latest version."
UNKNOWN_CUSTOMER = FieldError("customerId", "Please select a customer.")


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


class InvoicePage(msgspec.Struct, rename="camel", frozen=True):
    items: list[InvoiceOut]
    page: int
    page_size: int
    total: int
    total_pages: int


_SELECT = """
    SELECT i.id, i.customer_id, c.name AS customer_name, c.email AS customer_email,
           c.image_url AS customer_image_url, i.amount, i.status, i.date,
           i.created_at, i.updated_at
      FROM invoices i JOIN customers c ON c.id = i.customer_id
"""


class InvoiceRepository:
    async def search(self, query: str, page: int, page_size: int) -> InvoicePage:
        where, args = where_clause(parse_query(query))
        rows = await fetch(
            f"{_SELECT} WHERE {where} ORDER BY i.date DESC, i.id DESC LIMIT {{}} OFFSET {{}}",
            *args,
            page_size,
            offset(page, page_size),
        )
        if args:
            count = await fetch_one(f"SELECT count(*) AS n FROM invoices i WHERE {where}", *args)
        else:
            count = await fetch_one("SELECT invoice_count AS n FROM invoice_summary")
        total = int(count["n"]) if count else 0
        return InvoicePage(
            items=[InvoiceOut(**r) for r in rows],
            page=page,
            page_size=page_size,
            total=total,
            total_pages=total_pages(total, page_size),
        )

    async def latest(self, count: int = 5) -> list[InvoiceOut]:
        rows = await fetch(f"{_SELECT} ORDER BY i.date DESC, i.id DESC LIMIT {{}}", count)
        return [InvoiceOut(**r) for r in rows]

    async def get(self, invoice_id: UUID) -> InvoiceOut:
        row = await fetch_one(f"{_SELECT} WHERE i.id = {{}}", invoice_id)
        if row is None:
            raise NotFoundError(NOT_FOUND)
        return InvoiceOut(**row)

    async def create(
        self, customer_id: UUID, amount: int, status: str, date: dt.date
    ) -> InvoiceOut:
        try:
            async with atomic():
                row = await fetch_one(
                    "INSERT INTO invoices"
                    " (id, customer_id, amount, status, date, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), {}, {}, {}, {}, now(), now()) RETURNING id",
                    customer_id,
                    amount,
                    status,
                    date,
                )
        except ForeignKeyViolation:
            raise ValidationError([UNKNOWN_CUSTOMER]) from None
        assert row is not None
        return await self.get(row["id"])

    async def update(
        self,
        invoice_id: UUID,
        changes: dict[str, object],
        if_match: dt.datetime | None = None,
    ) -> InvoiceOut:
        allowed = ("customer_id", "amount", "status", "date")
        assignments = [(k, changes[k]) for k in allowed if k in changes]
        try:
            async with atomic():
                row = await fetch_one(
                    "SELECT updated_at FROM invoices WHERE id = {} FOR UPDATE", invoice_id
                )
                if row is None:
                    raise NotFoundError(NOT_FOUND)
                if if_match is not None and row["updated_at"] != if_match:
                    raise PreconditionFailedError(CHANGED)
                if assignments:
                    sets = ", ".join(f"{column} = {{}}" for column, _ in assignments)
                    await fetch(
                        f"UPDATE invoices SET {sets} WHERE id = {{}}",
                        *[v for _, v in assignments],
                        invoice_id,
                    )
        except ForeignKeyViolation:
            raise ValidationError([UNKNOWN_CUSTOMER]) from None
        return await self.get(invoice_id)

    async def delete(self, invoice_id: UUID) -> None:
        async with atomic():
            rows = await fetch("DELETE FROM invoices WHERE id = {} RETURNING id", invoice_id)
        if not rows:
            raise NotFoundError(NOT_FOUND)
