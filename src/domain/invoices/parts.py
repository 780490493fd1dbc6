"""The parts of an invoice search as SQL conditions, and the one probe that sizes them.

search.py splits the text into parts (customer, status, date, cents, dollars); here each part
becomes a condition on `invoices i` that its own index serves, after one probe has read the
kept counts, the matching customers' ids and the matching days (finder.py runs the search)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from piccolo.querystring import QueryString

from src.domain.customers.repository import customer_matches
from src.domain.invoices.search import InvoiceFilter
from src.domain.sql import Row, any_of, ident, join, q

# Up to this many matching customers are listed by id (an index scan per id); more become a
# subquery that the planner can hash while it walks invoices in date order.
CUSTOMER_ID_LIST = 5_000
# Up to this many days matching the date text are listed (an index descent per day); more
# become a subquery on the calendar.
DAY_LIST = 1_000
# A walk tests listed ids or days with = ANY only up to this many; more are looked up per row.
SHORT_LIST = 16


@dataclass(frozen=True)
class Probe:
    """What one round trip tells about a query before any invoice is read."""

    invoice_count: int
    status_total: int  # the kept count of the status part
    customer_ids: list[UUID] | None  # None: more than CUSTOMER_ID_LIST
    customer_total: int  # the kept invoice counts of the listed customers, summed
    # The matching days that have invoices, newest first, with their kept counts; None: more
    # than DAY_LIST days match the text.
    days: list[tuple[dt.date, int]] | None


@dataclass(frozen=True)
class Parts:
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

    def outside_status(self, walked: bool = False) -> QueryString | None:
        """Rows matching a non-status part whose status is not matched itself (None if none).

        The status part's own total is kept; adding this count to it gives the total."""
        others = self.walked if walked else self.others
        if not others:
            return None
        if self.status is None:
            return any_of(others)
        return q("{} AND NOT {}", any_of(others), self.status)


def probe(f: InvoiceFilter) -> QueryString:
    """The kept counts, the ids of the matching customers with their kept invoice counts
    summed, and the matching days with their kept counts; ids or days are NULL when more than
    CUSTOMER_ID_LIST or DAY_LIST match (they then become subqueries: a broad query does not
    ship thousands of ids back and forth). The days come from the calendar `search_days`: the
    cost depends on the text, not on the invoices' dates."""
    days = (
        _listed(
            q("SELECT d.day AS v FROM search_days d WHERE {}", day_matches(f)), DAY_LIST, "date"
        )
        if f.date_pattern
        else q("ARRAY[]::date[]")
    )
    customers = q("SELECT c.id AS v FROM customers c WHERE {}", customer_matches(f.pattern))
    return q(
        """
    WITH l AS (SELECT {} AS customer_ids, {} AS days)
    SELECT s.invoice_count, s.paid_count, s.pending_count, l.customer_ids,
           (SELECT coalesce(sum(k.invoice_count), 0) FROM invoice_customer_counts k
             WHERE k.customer_id = ANY(l.customer_ids)) AS customer_total,
           CASE WHEN l.days IS NOT NULL THEN
             (SELECT coalesce(array_agg(k.date ORDER BY k.date DESC), ARRAY[]::date[])
                FROM invoice_day_counts k WHERE k.date = ANY(l.days) AND k.invoice_count > 0)
           END AS day_dates,
           (SELECT coalesce(array_agg(k.invoice_count ORDER BY k.date DESC), ARRAY[]::bigint[])
              FROM invoice_day_counts k WHERE k.date = ANY(l.days) AND k.invoice_count > 0)
             AS day_counts
      FROM invoice_summary s, l""",
        _listed(customers, CUSTOMER_ID_LIST, "uuid"),
        days,
    )


def read_probe(row: Row, f: InvoiceFilter) -> Probe:
    dates = row["day_dates"]
    return Probe(
        invoice_count=int(row["invoice_count"]),
        status_total=sum(int(row[f"{status}_count"]) for status in f.statuses),
        customer_ids=row["customer_ids"],
        customer_total=int(row["customer_total"]),
        days=None if dates is None else list(zip(dates, map(int, row["day_counts"]), strict=True)),
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


def day_matches(f: InvoiceFilter) -> QueryString:
    """True for the days `d` of the calendar whose text contains the query (trigram index)."""
    return q("d.key LIKE lower({}) ESCAPE '\\'", f.date_pattern)


def parts(
    f: InvoiceFilter, customer_ids: Sequence[UUID] | None, days: Sequence[dt.date] | None
) -> Parts:
    """Each part as a condition on `invoices i`; None means too many to list."""
    others: list[QueryString] = []
    walked: list[QueryString] = []
    if customer_ids is None:  # the matching customers hashed; a walk looks up each row's
        customer = customer_matches(f.pattern)
        others.append(q("i.customer_id IN (SELECT c.id FROM customers c WHERE {})", customer))
        walked.append(_customer_lookup(f))
    elif customer_ids:  # one descent of the (customer_id, date, id) index per customer
        others.append(q("i.customer_id = ANY({}::uuid[])", list(customer_ids)))
        # = ANY compares with each element in turn: past a few ids, a lookup per row is cheaper.
        walked.append(others[-1] if len(customer_ids) <= SHORT_LIST else _customer_lookup(f))
    if days is None:  # the matching days hashed; a walk looks up each row's
        others.append(q("i.date IN (SELECT d.day FROM search_days d WHERE {})", day_matches(f)))
        walked.append(_day_lookup(f))
    elif days:  # one descent of the (date, id) index per day
        others.append(q("i.date = ANY({}::date[])", list(days)))
        walked.append(others[-1] if len(days) <= SHORT_LIST else _day_lookup(f))
    if f.cents_pattern is not None:  # the trigram index on amount::text
        others.append(q("i.amount::text LIKE {} ESCAPE '\\'", f.cents_pattern))
        walked.append(others[-1])
    if f.dollar_cents is not None:  # the amount index
        others.append(q("i.amount = {}", f.dollar_cents))
        walked.append(others[-1])
    status = (
        q("i.status IN ({})", join([q("{}", s) for s in f.statuses], ", ")) if f.statuses else None
    )
    return Parts(status=status, others=tuple(others), walked=tuple(walked))


def _customer_lookup(f: InvoiceFilter) -> QueryString:
    """The customer part tested per row: a scalar subquery runs for each row read (PostgreSQL
    would hash an IN or EXISTS, reading every matching customer first)."""
    return q("(SELECT {} FROM customers c WHERE c.id = i.customer_id)", customer_matches(f.pattern))


def _day_lookup(f: InvoiceFilter) -> QueryString:
    """The date part tested per row, in the calendar."""
    return q("(SELECT {} FROM search_days d WHERE d.day = i.date)", day_matches(f))
