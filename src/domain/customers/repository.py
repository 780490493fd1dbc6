"""Customers with their invoice totals, the picker search, and customer writes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from src.domain.customers.search import customer_match
from src.domain.errors import ConflictError, NotFoundError
from src.domain.pagination import offset, total_pages
from src.domain.sql import (
    UniqueViolation,
    atomic,
    contains_pattern,
    delete_row,
    fetch,
    fetch_one,
    update_row,
)

EMAIL_TAKEN = "A customer with this email already exists."
# A search total above the cap is reported as "at least the cap" (totalIsCapped). Queries of one
# or two characters cannot use the trigram indexes: their matches are counted by reading
# customers one by one, so they stop sooner.
COUNT_CAP = 10_000
SHORT_QUERY_COUNT_CAP = 1_000
NOT_FOUND = "Customer not found."
CHANGED = "This customer was changed by someone else. Reload to see the latest version."


class CustomerOut(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    name: str
    email: str
    image_url: str | None
    invoice_count: int
    total_pending: int
    total_paid: int
    created_at: datetime
    updated_at: datetime


class CustomerPage(msgspec.Struct, rename="camel", frozen=True):
    items: list[CustomerOut]
    page: int
    page_size: int
    total: int
    total_pages: int
    # True when `total` is a lower bound (more than COUNT_CAP matches).
    total_is_capped: bool = False


class CustomerOption(msgspec.Struct, rename="camel", frozen=True):
    id: UUID
    name: str
    # Tells apart customers who share a name (common among 100,000).
    email: str
    image_url: str | None


_COLUMNS = "id, name, email, image_url, created_at, updated_at"
_TOTALS = """
    SELECT c.id, c.name, c.email, c.image_url, c.created_at, c.updated_at,
           t.invoice_count, t.total_pending, t.total_paid
      FROM ({}) c
      CROSS JOIN LATERAL (
        SELECT count(*) AS invoice_count,
               coalesce(sum(i.amount) FILTER (WHERE i.status = 'pending'), 0) AS total_pending,
               coalesce(sum(i.amount) FILTER (WHERE i.status = 'paid'), 0) AS total_paid
          FROM invoices i WHERE i.customer_id = c.id
      ) t
"""
_MATCH = customer_match()
# A page of customers in name order (the `customers (name, id)` index), before its totals.
_BY_NAME = "SELECT * FROM customers WHERE {where} ORDER BY name, id LIMIT {{}} OFFSET {{}}"
# `matches`: an optional WITH clause; `total`: the count beside each row; `page`: the rows.
_WITH_TOTAL = "{matches} SELECT p.*, ({total}) AS match_total FROM ({page}) p ORDER BY p.name, p.id"


def _totals(customers_sql: str) -> str:
    """Each customer of `customers_sql` with its invoice count and totals."""
    return _TOTALS.replace("{}", customers_sql, 1)


def _out(row: dict[str, object]) -> CustomerOut:
    return CustomerOut(**row)  # type: ignore[arg-type]


def _customer_page(
    rows: list[dict[str, object]], page: int, page_size: int, total: int, capped: bool
) -> CustomerPage:
    for row in rows:
        row.pop("match_total", None)
    return CustomerPage(
        items=[_out(r) for r in rows],
        page=page,
        page_size=page_size,
        total=total,
        total_pages=total_pages(total, page_size),
        total_is_capped=capped,
    )


class CustomerRepository:
    async def search(self, query: str, page: int, page_size: int) -> CustomerPage:
        """One round trip: the page (by name, then its totals) and the match count beside it."""
        text = query.strip()
        skip = offset(page, page_size)
        if not text:
            rows = await fetch(
                _WITH_TOTAL.format(
                    matches="",
                    total="SELECT customer_count FROM invoice_summary",
                    page=_totals(_BY_NAME.format(where="TRUE")),
                ),
                page_size,
                skip,
            )
            total = int(rows[0]["match_total"]) if rows else await self._count("")
            return _customer_page(rows, page, page_size, total, capped=False)
        pattern = contains_pattern(text)
        cap = COUNT_CAP if len(text) >= 3 else SHORT_QUERY_COUNT_CAP
        # The matches are collected once (trigram indexes), then counted and sorted by name.
        rows = await fetch(
            _WITH_TOTAL.format(
                matches=f"WITH m AS MATERIALIZED (SELECT {_COLUMNS} FROM customers"
                f" WHERE {_MATCH} LIMIT {cap + 1})",
                total="SELECT count(*) FROM m",
                page=_totals("SELECT * FROM m ORDER BY name, id LIMIT {} OFFSET {}"),
            ),
            pattern,
            page_size,
            skip,
        )
        total = int(rows[0]["match_total"]) if rows else await self._count(pattern, cap)
        capped = total > cap
        if capped:
            # The collected matches are only some of them: walk the name order instead.
            total = cap
            rows = await fetch(
                _totals(_BY_NAME.format(where=_MATCH)) + " ORDER BY name, id",
                pattern,
                page_size,
                skip,
            )
        return _customer_page(rows, page, page_size, total, capped)

    async def _count(self, pattern: str, cap: int = 0) -> int:
        """The match count alone (for a page past the last one)."""
        if not pattern:
            row = await fetch_one("SELECT customer_count AS n FROM invoice_summary")
        else:
            row = await fetch_one(
                f"SELECT count(*) AS n FROM (SELECT 1 FROM customers WHERE {_MATCH}"
                f" LIMIT {cap + 1}) m",
                pattern,
            )
        return int(row["n"]) if row else 0

    async def get(self, customer_id: UUID) -> CustomerOut:
        rows = await fetch(_totals("SELECT * FROM customers WHERE id = {}"), customer_id)
        if not rows:
            raise NotFoundError(NOT_FOUND)
        return _out(rows[0])

    async def options(self, query: str, limit: int) -> list[CustomerOption]:
        pattern = contains_pattern(query.strip())
        rows = await fetch(
            f"SELECT id, name, email, image_url FROM customers WHERE {_MATCH}"
            " ORDER BY name, id LIMIT {}",
            pattern,
            limit,
        )
        return [CustomerOption(**r) for r in rows]

    async def create(self, name: str, email: str, image_url: str | None) -> CustomerOut:
        try:
            async with atomic():
                row = await fetch_one(
                    "INSERT INTO customers (id, name, email, image_url, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), {}, {}, {}, now(), now()) RETURNING id",
                    name,
                    email,
                    image_url,
                )
        except UniqueViolation:
            raise ConflictError(EMAIL_TAKEN) from None
        assert row is not None
        return await self.get(row["id"])

    async def update(
        self, customer_id: UUID, changes: dict[str, object], if_match: datetime | None = None
    ) -> CustomerOut:
        allowed = ("name", "email", "image_url")
        assignments = [(k, changes[k]) for k in allowed if k in changes]
        try:
            await update_row("customers", customer_id, assignments, if_match, NOT_FOUND, CHANGED)
        except UniqueViolation:
            raise ConflictError(EMAIL_TAKEN) from None
        return await self.get(customer_id)

    async def delete(self, customer_id: UUID) -> None:
        await delete_row("customers", customer_id, NOT_FOUND)
