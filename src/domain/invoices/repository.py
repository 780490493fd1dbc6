"""Invoices: the searchable list, single invoices and writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import msgspec
from piccolo.querystring import QueryString

from src.domain import calendar
from src.domain.customers.repository import customer_matches
from src.domain.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PreconditionFailedError,
    ValidationError,
)
from src.domain.invoices.search import InvoiceFilter, parse_query
from src.domain.money import format_cents
from src.domain.pagination import offset, total_pages
from src.domain.payments import repository as payments
from src.domain.rules import INVOICE_DATE_RULE, LAST_INVOICE_DATE, invoice_date_ok
from src.domain.sql import (
    ForeignKeyViolation,
    Row,
    any_of,
    atomic,
    delete_row,
    fetch,
    fetch_one,
    ident,
    join,
    q,
)

# A total above this is reported as "at least COUNT_CAP" (totalIsCapped): counting every row of
# a broad match such as "1" or "a" would cost a scan of the whole table on every keystroke.
COUNT_CAP = 50_000
# Up to this many matching customers are listed by id (an index scan per id); more become a
# subquery that the planner can hash while it walks invoices in date order.
CUSTOMER_ID_LIST = 5_000
# Up to this many days matching the date text are listed (an index descent per day); more
# become a subquery on the calendar.
DAY_LIST = 1_000

NOT_FOUND = payments.INVOICE_NOT_FOUND
CHANGED = "This invoice was changed by someone else. Reload to see the latest version."
UNKNOWN_CUSTOMER = FieldError("customerId", "Please select a customer.")
DATE_OUT_OF_RANGE = FieldError("date", INVOICE_DATE_RULE)
DUE_BEFORE_DATE = "The due date cannot be before the invoice date."
DUE_OUT_OF_RANGE = FieldError("dueDate", INVOICE_DATE_RULE)
DEFAULT_TERMS = 30


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
    # True when `total` is a lower bound: more than COUNT_CAP rows beyond the exact status totals.
    total_is_capped: bool = False


INVOICE_SELECT = """
    SELECT i.id, i.customer_id, c.name AS customer_name, c.email AS customer_email,
           c.image_url AS customer_image_url, i.amount, i.status, i.date,
           i.created_at, i.updated_at,
           'INV-' || lpad(i.number::text, greatest(6, length(i.number::text)), '0') AS number,
           i.due_date, i.amount_paid, i.amount - i.amount_paid AS balance_due
      FROM invoices i JOIN customers c ON c.id = i.customer_id"""


# --- The invoice search, top to bottom (docs/performance.md, "How each query runs"):
# 1. search.py splits the text into parts (customer, status, date, cents, dollars);
# 2. one probe reads the kept status counts, the matching customers' ids and days;
# 3. each part becomes a condition that its own index serves (_Parts);
# 4. the page and its total, either collected through those indexes and counted, or walked
#    down the (date, id) index; only the page's rows are joined to their customers.


@dataclass(frozen=True)
class _Parts:
    """The conditions of a query's parts: the status part apart, since its total is kept.

    A part with too many customers or days to list has two forms: `others` tests it against
    the set of matches, hashed once (right when many rows are read: collecting, counting);
    `walked` looks up each row's customer or day (right for a walk down the date index that
    stops after the page, which reads few rows: hashing 100,000 customers for `a` costs more)."""

    status: QueryString | None
    others: tuple[QueryString, ...]
    walked: tuple[QueryString, ...]

    def matching(self) -> QueryString:
        """Rows matching any part."""
        return any_of([*self.others, *([self.status] if self.status else [])])

    def walking(self) -> QueryString:
        """The same rows, tested one by one as a walk reads them."""
        return any_of([*self.walked, *([self.status] if self.status else [])])

    def outside_status(self) -> QueryString | None:
        """Rows matching a non-status part whose status is not matched itself (None if none).

        The status part's own total comes from the running counts; adding this count to it
        gives the exact total without counting half a million rows."""
        if not self.others:
            return None
        if self.status is None:
            return any_of(self.others)
        return q("{} AND NOT {}", any_of(self.others), self.status)


def _probe(f: InvoiceFilter) -> QueryString:
    """The kept counts, the ids of the matching customers and the days whose text matches,
    each NULL when there are more than CUSTOMER_ID_LIST or DAY_LIST of them (they then become
    subqueries; a broad query does not ship thousands of ids back and forth). The days come
    from the calendar `search_days`: the cost depends on the text, not on the invoices' dates."""
    days = (
        _listed(
            q("SELECT d.day AS v FROM search_days d WHERE {}", _day_matches(f)), DAY_LIST, "date"
        )
        if f.date_pattern
        else q("ARRAY[]::date[]")
    )
    customers = q("SELECT c.id AS v FROM customers c WHERE {}", customer_matches(f.pattern))
    return q(
        """
    SELECT s.invoice_count, s.paid_count, s.pending_count,
           {} AS customer_ids,
           {} AS days
      FROM invoice_summary s""",
        _listed(customers, CUSTOMER_ID_LIST, "uuid"),
        days,
    )


def _listed(values: QueryString, most: int, sql_type: str) -> QueryString:
    """The column `v` of `values` as an array, or NULL when it has more than `most` rows."""
    return q(
        "(SELECT CASE WHEN count(*) <= {} THEN coalesce(array_agg(m.v), ARRAY[]::{}[]) END"
        " FROM ({} LIMIT {}) m)",
        most,
        ident(sql_type),
        values,
        most + 1,
    )


def _day_matches(f: InvoiceFilter) -> QueryString:
    """True for the days `d` of the calendar whose text contains the query (trigram index)."""
    return q("d.key LIKE lower({}) ESCAPE '\\'", f.date_pattern)


def _parts(
    f: InvoiceFilter, customer_ids: Sequence[UUID] | None, days: Sequence[dt.date] | None
) -> _Parts:
    """Each part as a condition on `invoices i`; None means too many to list."""
    others: list[QueryString] = []
    walked: list[QueryString] = []
    if customer_ids is None:  # the matching customers hashed; a walk looks up each row's
        customer = customer_matches(f.pattern)
        others.append(q("i.customer_id IN (SELECT c.id FROM customers c WHERE {})", customer))
        # A scalar subquery runs per row: PostgreSQL would hash an IN or EXISTS.
        walked.append(q("(SELECT {} FROM customers c WHERE c.id = i.customer_id)", customer))
    elif customer_ids:  # one descent of the (customer_id, date, id) index per customer
        others.append(q("i.customer_id = ANY({}::uuid[])", list(customer_ids)))
        walked.append(others[-1])
    if days is None:  # the matching days hashed; a walk looks up each row's
        others.append(q("i.date IN (SELECT d.day FROM search_days d WHERE {})", _day_matches(f)))
        walked.append(q("(SELECT {} FROM search_days d WHERE d.day = i.date)", _day_matches(f)))
    elif days:  # one descent of the (date, id) index per day
        others.append(q("i.date = ANY({}::date[])", list(days)))
        walked.append(others[-1])
    if f.cents_pattern is not None:  # the trigram index on amount::text
        others.append(q("i.amount::text LIKE {} ESCAPE '\\'", f.cents_pattern))
        walked.append(others[-1])
    if f.dollar_cents is not None:  # the amount index
        others.append(q("i.amount = {}", f.dollar_cents))
        walked.append(others[-1])
    status = (
        q("i.status IN ({})", join([q("{}", s) for s in f.statuses], ", ")) if f.statuses else None
    )
    return _Parts(status=status, others=tuple(others), walked=tuple(walked))


def _joined(page_ids: QueryString) -> QueryString:
    """The page's rows (`page_ids`: a subquery of id and date) with their customers, in order."""
    return q(
        INVOICE_SELECT + " JOIN ({}) p ON p.id = i.id ORDER BY p.date DESC, p.id DESC", page_ids
    )


def _walked_page(where: QueryString, page_size: int, skip: int) -> QueryString:
    """The page found by walking the (date, id) index until `skip + page_size` rows matched:
    right for broad matches, whose rows are near the top."""
    page_ids = q(
        "SELECT i.id, i.date FROM invoices i WHERE {}"
        " ORDER BY i.date DESC, i.id DESC LIMIT {} OFFSET {}",
        where,
        page_size,
        skip,
    )
    return _joined(page_ids)


def _everything_page(page_size: int, skip: int) -> QueryString:
    """No query: the newest rows, the kept total beside each."""
    return q(
        "SELECT r.*, (SELECT invoice_count FROM invoice_summary) AS match_total"
        " FROM ({}) r ORDER BY r.date DESC, r.id DESC",
        _walked_page(q("TRUE"), page_size, skip),
    )


def _collected_page(where: QueryString, page_size: int, skip: int) -> QueryString:
    """The matches collected through their own indexes (up to the cap), then counted and
    sorted in the same statement: for a narrow match far fewer rows than a walk down the
    date index, and the planner cannot always tell (a LIKE on digits is hard to estimate)."""
    page_ids = q(
        "SELECT id, date FROM m ORDER BY date DESC, id DESC LIMIT {} OFFSET {}", page_size, skip
    )
    return q(
        """
    WITH m AS MATERIALIZED (SELECT i.id, i.date FROM invoices i WHERE {} LIMIT {})
    SELECT r.*, (SELECT count(*) FROM m) AS match_total
      FROM ({}) r
     ORDER BY r.date DESC, r.id DESC""",
        where,
        COUNT_CAP + 1,
        _joined(page_ids),
    )


def _counted(where: QueryString) -> QueryString:
    """The rows `where` matches, counted up to COUNT_CAP + 1."""
    return q(
        "SELECT count(*) AS n FROM (SELECT 1 FROM invoices i WHERE {} LIMIT {}) m",
        where,
        COUNT_CAP + 1,
    )


def _status_filter(status: str | None, today: dt.date) -> QueryString | None:
    """`?status=`: paid, pending, or overdue (pending and past its due date). Each walks the
    (status, date, id) index, which carries the due date."""
    if status == "overdue":
        return q("i.status = 'pending' AND i.due_date < {}", today)
    if status in ("paid", "pending"):
        return q("i.status = {}", status)
    return None


def _status_total(status: str, today: dt.date) -> QueryString:
    """The exact total of a status filter alone, from the kept counts."""
    if status == "overdue":
        return q(
            "SELECT coalesce(sum(open_count), 0) AS n FROM invoice_open_due WHERE due_date < {}",
            today,
        )
    return q("SELECT {} AS n FROM invoice_summary", ident(f"{status}_count"))


class InvoiceRepository:
    async def search(
        self, query: str, page: int, page_size: int, status: str | None = None
    ) -> InvoicePage:
        f = parse_query(query)
        skip = offset(page, page_size)
        only = _status_filter(status, calendar.today())
        if f.number is not None:  # INV-42, #42: that invoice alone, from the unique index
            found = await fetch(
                q(INVOICE_SELECT + " WHERE {}", _both(q("i.number = {}", f.number), only))
            )
            return _page(found[skip : skip + page_size], page, page_size, len(found), False)
        if only is not None and status is not None:
            if f.everything:
                # One round trip: the page walked down the (status, date, id) index, the kept
                # total beside each row.
                rows = await fetch(
                    q(
                        "SELECT r.*, ({}) AS match_total FROM ({}) r"
                        " ORDER BY r.date DESC, r.id DESC",
                        _status_total(status, calendar.today()),
                        _walked_page(only, page_size, skip),
                    )
                )
                if rows:
                    total = _pop_totals(rows)
                else:
                    counted = await fetch_one(_status_total(status, calendar.today()))
                    total = int(counted["n"]) if counted else 0
                return _page(rows, page, page_size, total, capped=False)
            parts, _ = await self._parts(f)
            return await self._collect(_both(parts.matching(), only), page, page_size)
        if f.everything:
            rows = await fetch(_everything_page(page_size, skip))
            if rows:
                total = _pop_totals(rows)
            else:
                summary = await fetch_one("SELECT invoice_count FROM invoice_summary")
                total = int(summary["invoice_count"]) if summary else 0
            return _page(rows, page, page_size, total, capped=False)
        parts, status_total = await self._parts(f)
        if f.statuses:
            # 40-60 % of all rows match: their total is kept, the page is near the top.
            extra, capped = await self._count_outside_status(parts)
            rows = await fetch(_walked_page(parts.walking(), page_size, skip))
            return _page(rows, page, page_size, status_total + extra, capped)
        rows = await fetch(_collected_page(parts.matching(), page_size, skip))
        if rows:
            total = _pop_totals(rows)
            capped = total > COUNT_CAP
        else:  # past the last collected page: past the last page, or past the cap
            total, capped = await self._count_outside_status(parts)
        if capped:
            total = COUNT_CAP
            rows = await fetch(_walked_page(parts.walking(), page_size, skip))
        return _page(rows, page, page_size, total, capped)

    async def matching(self, query: str) -> QueryString:
        """The list's search as one condition on `invoices i` (the CSV export uses it)."""
        f = parse_query(query)
        if f.everything:
            return q("TRUE")
        parts, _ = await self._parts(f)
        return parts.matching()

    async def _collect(self, where: QueryString, page: int, page_size: int) -> InvoicePage:
        """The matches of `where` collected and counted up to the cap; past it, walked."""
        skip = offset(page, page_size)
        rows = await fetch(_collected_page(where, page_size, skip))
        if rows:
            total = _pop_totals(rows)
        else:
            counted = await fetch_one(_counted(where))
            total = int(counted["n"]) if counted else 0
        capped = total > COUNT_CAP
        if capped:
            total = COUNT_CAP
            rows = await fetch(_walked_page(where, page_size, skip))
        return _page(rows, page, page_size, total, capped)

    async def _parts(self, f: InvoiceFilter) -> tuple[_Parts, int]:
        """The query's conditions, and the kept total of its status part."""
        probe = await fetch_one(_probe(f))
        assert probe is not None
        parts = _parts(f, probe["customer_ids"], probe["days"])
        return parts, sum(int(probe[f"{status}_count"]) for status in f.statuses)

    async def _count_outside_status(self, parts: _Parts) -> tuple[int, bool]:
        """Rows matched by the other parts and not by the status part, up to the cap."""
        outside = parts.outside_status()
        if outside is None:
            return 0, False
        row = await fetch_one(_counted(outside))
        counted = int(row["n"]) if row else 0
        return min(counted, COUNT_CAP), counted > COUNT_CAP

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
        """A new invoice; its number comes from the counter row, locked by the insert's trigger
        until this transaction ends. A paid one gets a payment of its amount on its date.
        Without a due date it is due DEFAULT_TERMS days after its date."""
        if not invoice_date_ok(date):
            raise ValidationError([DATE_OUT_OF_RANGE])
        due_date = due_date or min(date + dt.timedelta(days=DEFAULT_TERMS), LAST_INVOICE_DATE)
        _check_due(date, due_date)
        try:
            async with atomic():
                row = await fetch_one(
                    "INSERT INTO invoices"
                    " (id, customer_id, amount, status, date, due_date, created_at, updated_at)"
                    " VALUES (gen_random_uuid(), {}, {}, {}, {}, {}, now(), now()) RETURNING id",
                    customer_id,
                    amount,
                    status,
                    date,
                    due_date,
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
        """Change customer, amount, date, due date; a status change moves money: to paid records
        a payment of the balance dated today, back to pending voids the payments."""
        date = changes.get("date")
        if isinstance(date, dt.date) and not invoice_date_ok(date):
            raise ValidationError([DATE_OUT_OF_RANGE])
        try:
            async with atomic():
                await self._update_locked(invoice_id, changes, if_match)
        except ForeignKeyViolation:
            raise ValidationError([UNKNOWN_CUSTOMER]) from None
        return await self.get(invoice_id)

    async def _update_locked(
        self, invoice_id: UUID, changes: dict[str, object], if_match: dt.datetime | None
    ) -> None:
        row = await fetch_one(
            "SELECT updated_at, amount, amount_paid, status, date, due_date FROM invoices"
            " WHERE id = {} FOR UPDATE",
            invoice_id,
        )
        if row is None:
            raise NotFoundError(NOT_FOUND)
        if if_match is not None and row["updated_at"] != if_match:
            raise PreconditionFailedError(CHANGED)
        status = changes.get("status")
        paid = int(row["amount_paid"])
        if status == "pending" and row["status"] == "paid":
            await payments.PaymentRepository().void_all(invoice_id)
            paid = 0
        amount = changes.get("amount", row["amount"])
        assert isinstance(amount, int)
        if amount < paid:
            raise ConflictError(
                f"{format_cents(paid)} of this invoice is paid: its amount cannot be lower."
                " Void a payment first."
            )
        date = changes.get("date", row["date"])
        due = changes.get("due_date")
        if due is None and "date" in changes:  # the same terms from the new date
            due = min(row["due_date"] + (date - row["date"]), LAST_INVOICE_DATE)
        assert isinstance(date, dt.date)
        if isinstance(due, dt.date):
            _check_due(date, due)
        values = {**changes, "due_date": due}
        assignments = [
            q("{} = {}", ident(column), values[column])
            for column in ("customer_id", "amount", "date", "due_date")
            if values.get(column) is not None
        ]
        if assignments:
            await fetch(
                q("UPDATE invoices SET {} WHERE id = {}", join(assignments, ", "), invoice_id)
            )
        if status == "paid":
            await payments.PaymentRepository().settle(invoice_id, calendar.today())

    async def delete(self, invoice_id: UUID) -> None:
        await delete_row("invoices", invoice_id, NOT_FOUND)


def _check_due(date: dt.date, due: dt.date) -> None:
    if due < date:
        raise ValidationError([FieldError("dueDate", DUE_BEFORE_DATE)])
    if not invoice_date_ok(due):
        raise ValidationError([DUE_OUT_OF_RANGE])


def _both(where: QueryString, only: QueryString | None) -> QueryString:
    return where if only is None else q("({}) AND {}", where, only)


def invoice_out(row: Row) -> InvoiceOut:
    overdue = row["status"] == "pending" and row["due_date"] < calendar.today()
    return InvoiceOut(**row, overdue=overdue)


def _pop_totals(rows: list[Row]) -> int:
    """The match total that the query put beside each row (taken off the rows)."""
    total = int(rows[0]["match_total"])
    for row in rows:
        del row["match_total"]
    return total


def _page(rows: list[Row], page: int, page_size: int, total: int, capped: bool) -> InvoicePage:
    return InvoicePage(
        items=[invoice_out(r) for r in rows],
        page=page,
        page_size=page_size,
        total=total,
        total_pages=total_pages(total, page_size),
        total_is_capped=capped,
    )
