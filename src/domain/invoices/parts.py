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
from src.domain.customers.search import TRIGRAM
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
    # The kept invoice counts of the matching customers, summed (0: the customer part matches
    # nothing); None when more than CUSTOMER_ID_LIST customers match or the text is too short
    # for the trigram index (then the customers are not read at all).
    customer_total: int | None
    # The matching days that have invoices, newest first, with their kept counts; None when
    # more than DAY_LIST days match or the text is too short for the trigram index.
    days: list[tuple[dt.date, int]] | None

    @property
    def customer_ids(self) -> list[UUID] | None:
        """For `parts`: [] when no customer matches, else None (not listed)."""
        return [] if self.customer_total == 0 else None

    @property
    def day_list(self) -> list[dt.date] | None:
        return None if self.days is None else [day for day, _ in self.days]


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
    """The kept counts: the summary's, the matching customers' (one scan of the narrow
    `invoice_customer_counts`, which carries each customer's search key and trigram index)
    and the matching days' (the calendar `search_days` first: the cost depends on the text,
    not on the invoices' dates). A text too short for trigrams reads neither."""
    short = len(f.text) < TRIGRAM
    customers = (
        q("NULL::bigint")
        if short
        else q(
            "(SELECT CASE WHEN count(*) <= {} THEN coalesce(sum(m.n), 0) END FROM"
            " (SELECT k.invoice_count AS n FROM invoice_customer_counts k WHERE {} LIMIT {}) m)",
            CUSTOMER_ID_LIST,
            customer_matches(f.pattern, "k"),
            CUSTOMER_ID_LIST + 1,
        )
    )
    # `most`: how many days may be listed; -1 lists none (a short text: every row looked up).
    most = -1 if short and f.date_pattern is not None else DAY_LIST
    days = (
        q("SELECT d.day FROM search_days d WHERE {} LIMIT {}", day_matches(f), DAY_LIST + 1)
        if f.date_pattern is not None and not short
        else q("SELECT NULL::date AS day WHERE FALSE")
    )
    return q(
        """
    WITH d AS MATERIALIZED ({}),
         listed AS MATERIALIZED (SELECT (SELECT count(*) FROM d) <= {} AS ok),
         k AS MATERIALIZED (SELECT k.date, k.invoice_count FROM invoice_day_counts k
                             WHERE k.date IN (SELECT d.day FROM d) AND k.invoice_count > 0
                               AND (SELECT ok FROM listed))
    SELECT s.invoice_count, s.paid_count, s.pending_count, {} AS customer_total,
           (SELECT ok FROM listed) AS days_listed,
           (SELECT coalesce(array_agg(k.date ORDER BY k.date DESC), ARRAY[]::date[]) FROM k)
             AS day_dates,
           (SELECT coalesce(array_agg(k.invoice_count ORDER BY k.date DESC), ARRAY[]::bigint[])
              FROM k) AS day_counts
      FROM invoice_summary s""",
        days,
        most,
        customers,
    )


def read_probe(row: Row, f: InvoiceFilter) -> Probe:
    customers = row["customer_total"]
    return Probe(
        invoice_count=int(row["invoice_count"]),
        status_total=sum(int(row[f"{status}_count"]) for status in f.statuses),
        customer_total=None if customers is None else int(customers),
        days=list(zip(row["day_dates"], map(int, row["day_counts"]), strict=True))
        if row["days_listed"]
        else None,
    )


def listed_customers(f: InvoiceFilter) -> QueryString:
    """The ids of the matching customers, NULL when more than CUSTOMER_ID_LIST match: for a
    narrow search collected through the (customer_id, date, id) index, one descent per id."""
    customers = q("SELECT c.id AS v FROM customers c WHERE {}", customer_matches(f.pattern))
    return q("SELECT {} AS ids", _listed(customers, CUSTOMER_ID_LIST, "uuid"))


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
