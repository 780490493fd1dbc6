"""Customers with their invoice totals, the picker search, and customer writes."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from piccolo.querystring import QueryString

from src.domain.customers.search import parse_customer_query
from src.domain.errors import ConflictError, NotFoundError
from src.domain.pagination import offset, total_pages
from src.domain.sql import (
    UniqueViolation,
    atomic,
    delete_row,
    fetch,
    fetch_one,
    ident,
    q,
    update_row,
)
from src.domain.users.email import email_key

# Emails are one customer's when their `email_key` (NFKC + case folding) is the same: the
# unique index on customers.email_key is the rule, this the message.
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


def customer_matches(pattern: str, alias: str = "c") -> QueryString:
    """True when customer `alias` matches the query (`pattern` from its CustomerQuery); served by
    the trigram index on `search_key` (see search.py for why one LIKE is the whole rule)."""
    return q("{}.search_key LIKE lower({}) ESCAPE '\\'", ident(alias), pattern)


# --- The customers list, top to bottom: which customers, then each one's totals. ---


def _with_totals(customers: QueryString) -> QueryString:
    """Each customer of the subquery `customers` with its invoice count and totals (read from
    the covering (customer_id, date, id) INCLUDE (amount, status, amount_paid) index alone).
    Paid is what the live payments cover, pending the balances, as on the dashboard's cards."""
    return q(
        """
    SELECT c.id, c.name, c.email, c.image_url, c.created_at, c.updated_at,
           t.invoice_count, t.total_pending, t.total_paid
      FROM ({}) c
      CROSS JOIN LATERAL (
        SELECT count(*) AS invoice_count,
               coalesce(sum(i.amount - i.amount_paid), 0) AS total_pending,
               coalesce(sum(i.amount_paid), 0) AS total_paid
          FROM invoices i WHERE i.customer_id = c.id
      ) t""",
        customers,
    )


def _everyone_page(page_size: int, skip: int) -> QueryString:
    """No query: a walk down the (name, id) index, the kept customer count beside each row."""
    by_name = q(
        "SELECT * FROM customers c ORDER BY c.name, c.id LIMIT {} OFFSET {}", page_size, skip
    )
    return q(
        "SELECT p.*, (SELECT customer_count FROM invoice_summary) AS match_total"
        " FROM ({}) p ORDER BY p.name, p.id",
        _with_totals(by_name),
    )


def _collected_page(match: QueryString, cap: int, page_size: int, skip: int) -> QueryString:
    """A query: the matches collected once from the trigram index (up to cap + 1 of them),
    counted, sorted by name; only the page's customers get their totals."""
    return q(
        """
    WITH m AS MATERIALIZED (SELECT id, name, email, image_url, created_at, updated_at
                              FROM customers c WHERE {} LIMIT {})
    SELECT p.*, (SELECT count(*) FROM m) AS match_total
      FROM ({}) p ORDER BY p.name, p.id""",
        match,
        cap + 1,
        _with_totals(q("SELECT * FROM m ORDER BY name, id LIMIT {} OFFSET {}", page_size, skip)),
    )


def _walked_page(match: QueryString, page_size: int, skip: int) -> QueryString:
    """More matches than the cap: walk the name order, filtering, up to the page."""
    by_name = q(
        "SELECT * FROM customers c WHERE {} ORDER BY c.name, c.id LIMIT {} OFFSET {}",
        match,
        page_size,
        skip,
    )
    return q("{} ORDER BY name, id", _with_totals(by_name))


def _match_count(match: QueryString, cap: int) -> QueryString:
    """The matches counted up to cap + 1 (for a page past the last one)."""
    return q(
        "SELECT count(*) AS n FROM (SELECT 1 FROM customers c WHERE {} LIMIT {}) m", match, cap + 1
    )


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
        parsed = parse_customer_query(query)
        skip = offset(page, page_size)
        if parsed.everything:
            rows = await fetch(_everyone_page(page_size, skip))
            if rows:
                total = int(rows[0]["match_total"])
            else:
                row = await fetch_one("SELECT customer_count AS n FROM invoice_summary")
                total = int(row["n"]) if row else 0
            return _customer_page(rows, page, page_size, total, capped=False)
        match = customer_matches(parsed.pattern)
        cap = SHORT_QUERY_COUNT_CAP if parsed.short else COUNT_CAP
        rows = await fetch(_collected_page(match, cap, page_size, skip))
        if rows:
            total = int(rows[0]["match_total"])
        else:  # past the last page
            row = await fetch_one(_match_count(match, cap))
            total = int(row["n"]) if row else 0
        capped = total > cap
        if capped:
            # The collected matches are only some of them: walk the name order instead.
            total = cap
            rows = await fetch(_walked_page(match, page_size, skip))
        return _customer_page(rows, page, page_size, total, capped)

    async def get(self, customer_id: UUID) -> CustomerOut:
        rows = await fetch(
            _with_totals(q("SELECT * FROM customers c WHERE c.id = {}", customer_id))
        )
        if not rows:
            raise NotFoundError(NOT_FOUND)
        return _out(rows[0])

    async def options(self, query: str, limit: int) -> list[CustomerOption]:
        match = customer_matches(parse_customer_query(query).pattern)
        rows = await fetch(
            q(
                "SELECT id, name, email, image_url FROM customers c WHERE {}"
                " ORDER BY name, id LIMIT {}",
                match,
                limit,
            )
        )
        return [CustomerOption(**r) for r in rows]

    async def create(self, name: str, email: str, image_url: str | None) -> CustomerOut:
        try:
            async with atomic():
                row = await fetch_one(
                    "INSERT INTO customers"
                    " (id, name, email, email_key, image_url, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), {}, {}, {}, {}, now(), now()) RETURNING id",
                    name,
                    email,
                    email_key(email),
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
        if isinstance(changes.get("email"), str):
            assignments.append(("email_key", email_key(str(changes["email"]))))
        try:
            await update_row("customers", customer_id, assignments, if_match, NOT_FOUND, CHANGED)
        except UniqueViolation:
            raise ConflictError(EMAIL_TAKEN) from None
        return await self.get(customer_id)

    async def delete(self, customer_id: UUID) -> None:
        await delete_row("customers", customer_id, NOT_FOUND)
