"""Invoices: the searchable list, single invoices and writes."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from src.domain.customers.search import customer_match
from src.domain.errors import FieldError, NotFoundError, ValidationError
from src.domain.invoices.search import (
    Conditions,
    InvoiceFilter,
    conditions,
    matching_date_ranges,
    parse_query,
)
from src.domain.pagination import offset, total_pages
from src.domain.sql import ForeignKeyViolation, atomic, delete_row, fetch, fetch_one, update_row

# A total above this is reported as "at least COUNT_CAP" (totalIsCapped): counting every row of
# a broad match such as "1" or "a" would cost a scan of the whole table on every keystroke.
COUNT_CAP = 50_000
# Up to this many matching customers are listed by id (an index scan per id); more become a
# subquery that the planner can hash while it walks invoices in date order.
CUSTOMER_ID_LIST = 5_000

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
    # True when `total` is a lower bound: more than COUNT_CAP rows beyond the exact status totals.
    total_is_capped: bool = False


_SELECT = """
    SELECT i.id, i.customer_id, c.name AS customer_name, c.email AS customer_email,
           c.image_url AS customer_image_url, i.amount, i.status, i.date,
           i.created_at, i.updated_at
      FROM invoices i JOIN customers c ON c.id = i.customer_id
"""


# The page's ids are found first (often from an index alone), then only those rows are joined.
# Broad matches walk the (date, id) index until the page is full.
_PAGE = f"""
    {_SELECT} JOIN (SELECT i.id, i.date FROM invoices i WHERE {{}}
                     ORDER BY i.date DESC, i.id DESC LIMIT {{}} OFFSET {{}}) p ON p.id = i.id
     ORDER BY p.date DESC, p.id DESC
"""
# Without a status part, matches are collected through their own indexes (up to the cap) and
# counted and sorted in the same pass: for a narrow match that reads far fewer rows than a walk
# down the date index, and the planner cannot always tell (a LIKE on digits is hard to estimate).
_COLLECTED_PAGE = f"""
    WITH m AS MATERIALIZED (SELECT i.id, i.date FROM invoices i WHERE {{}} LIMIT {COUNT_CAP + 1})
    SELECT r.*, (SELECT count(*) FROM m) AS match_total
      FROM ({_SELECT} JOIN (SELECT id, date FROM m ORDER BY date DESC, id DESC LIMIT {{}}
                            OFFSET {{}}) p ON p.id = i.id) r
     ORDER BY r.date DESC, r.id DESC
"""
_PROBE = f"""
    SELECT s.invoice_count, s.paid_count, s.pending_count,
           ARRAY(SELECT c.id FROM customers c
                  WHERE {customer_match("c")}
                  LIMIT {CUSTOMER_ID_LIST + 1}) AS customer_ids,
           {{days}}
      FROM invoice_summary s
"""


class InvoiceRepository:
    async def search(self, query: str, page: int, page_size: int) -> InvoicePage:
        f = parse_query(query)
        skip = offset(page, page_size)
        if f.everything:
            # One round trip: the newest rows, with the kept total beside them.
            rows = await fetch(
                "SELECT r.*, (SELECT invoice_count FROM invoice_summary) AS match_total"
                f" FROM ({_PAGE.format('TRUE', page_size, skip)}) r"
                " ORDER BY r.date DESC, r.id DESC"
            )
            if rows:
                total = int(rows[0]["match_total"])
            else:
                summary = await fetch_one("SELECT invoice_count FROM invoice_summary")
                total = int(summary["invoice_count"]) if summary else 0
            for row in rows:
                del row["match_total"]
            return _page(rows, page, page_size, total, capped=False)
        conds, status_total = await self._conditions(f)
        if f.statuses:
            # 40-60 % of all rows match: their total is kept, the page is near the top.
            extra, capped = await self._count_outside_statuses(conds)
            total = status_total + extra
            where, args = conds.where()
            rows = await fetch(_PAGE.format(where, page_size, skip), *args)
            return _page(rows, page, page_size, total, capped)
        where, args = conds.where()
        rows = await fetch(_COLLECTED_PAGE.format(where, page_size, skip), *args)
        if rows:
            total = int(rows[0]["match_total"])
            for row in rows:
                del row["match_total"]
        else:  # past the last page
            total, _ = await self._count_outside_statuses(conds)
        capped = total > COUNT_CAP
        if capped:
            total = COUNT_CAP
            rows = await fetch(_PAGE.format(where, page_size, skip), *args)
        return _page(rows, page, page_size, total, capped)

    async def _conditions(self, f: InvoiceFilter) -> tuple[Conditions, int]:
        """The query's SQL conditions, and the kept total of its status part."""
        days = (
            "(SELECT min(date) FROM invoices) AS first_day,"
            " (SELECT max(date) FROM invoices) AS last_day"
            if f.date_pattern
            else "NULL::date AS first_day, NULL::date AS last_day"
        )
        probe = await fetch_one(_PROBE.replace("{days}", days), f.pattern)
        assert probe is not None
        ids = probe["customer_ids"]
        ranges = []
        if f.date_pattern and probe["first_day"] is not None:
            ranges = matching_date_ranges(f.text, probe["first_day"], probe["last_day"])
        conds = conditions(f, ids if len(ids) <= CUSTOMER_ID_LIST else None, ranges)
        return conds, sum(int(probe[f"{status}_count"]) for status in f.statuses)

    async def _count_outside_statuses(self, conds: Conditions) -> tuple[int, bool]:
        """Rows matched by the other parts and not by the status part, up to the cap."""
        outside = conds.outside_statuses()
        if outside is None:
            return 0, False
        where, args = outside
        row = await fetch_one(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM invoices i WHERE {where}"
            f" LIMIT {COUNT_CAP + 1}) m",
            *args,
        )
        counted = int(row["n"]) if row else 0
        return min(counted, COUNT_CAP), counted > COUNT_CAP

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
            await update_row("invoices", invoice_id, assignments, if_match, NOT_FOUND, CHANGED)
        except ForeignKeyViolation:
            raise ValidationError([UNKNOWN_CUSTOMER]) from None
        return await self.get(invoice_id)

    async def delete(self, invoice_id: UUID) -> None:
        await delete_row("invoices", invoice_id, NOT_FOUND)


def _page(
    rows: list[dict[str, object]], page: int, page_size: int, total: int, capped: bool
) -> InvoicePage:
    return InvoicePage(
        items=[InvoiceOut(**r) for r in rows],  # type: ignore[arg-type]
        page=page,
        page_size=page_size,
        total=total,
        total_pages=total_pages(total, page_size),
        total_is_capped=capped,
    )
