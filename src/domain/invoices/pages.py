"""The SQL that reads one page of invoices, and the kept or counted totals beside it.

Each page query selects only the page's ids and dates first and joins those rows to their
customers last (`_joined`), so a page costs its own rows, not the matches it skipped."""

from __future__ import annotations

import datetime as dt

from piccolo.querystring import QueryString

from src.domain.customers.repository import customer_matches
from src.domain.invoices.overdue import due_before
from src.domain.invoices.rows import INVOICE_SELECT
from src.domain.sql import ident, q


def status_filter(status: str | None, today: dt.date) -> QueryString | None:
    """`?status=`: paid, pending, or overdue (pending and past its due date). Each walks the
    (status, date, id) index, which carries the due date."""
    if status == "overdue":
        # An invoice is never due before its date, so an overdue one is dated before today too:
        # the walk starts at today instead of passing every pending invoice dated later.
        return q("i.status = 'pending' AND i.due_date < {} AND i.date < {}", today, today)
    if status in ("paid", "pending"):
        return q("i.status = {}", status)
    return None


def kept_total(status: str | None, today: dt.date) -> QueryString:
    """The exact total of every invoice, or of a status filter alone, from the kept counts."""
    if status == "overdue":
        return q("SELECT o.n FROM ({}) o", due_before(today))
    if status in ("paid", "pending"):
        return q("SELECT {} AS n FROM invoice_summary", ident(f"{status}_count"))
    return q("SELECT invoice_count AS n FROM invoice_summary")


def customers_in_status_total(pattern: str, status: str, today: dt.date) -> QueryString:
    """How many invoices (`n`) of the customers matching `pattern` have the status, from the
    kept rows of those `customers` alone (invoice counts, sorted unpaid due dates)."""
    per_customer = {
        # The due dates are sorted: width_bucket counts those up to yesterday by bisection.
        "overdue": q("width_bucket({}::date, k.pending_due)", today - dt.timedelta(days=1)),
        "pending": q("cardinality(k.pending_due)"),
        "paid": q("k.invoice_count - cardinality(k.pending_due)"),
    }[status]
    return q(
        "SELECT coalesce(sum({}), 0) AS n, count(*) AS customers"
        " FROM invoice_customer_counts k WHERE {}",
        per_customer,
        customer_matches(pattern, "k"),
    )


def with_total(total: QueryString, page: QueryString) -> QueryString:
    """The page's rows, the single-row `total` query's figure beside each (one round trip)."""
    return q(
        "SELECT r.*, ({}) AS match_total FROM ({}) r ORDER BY r.date DESC, r.id DESC", total, page
    )


def _joined(page_ids: QueryString) -> QueryString:
    """The page's rows (`page_ids`: a subquery of id and date) with their customers, in order."""
    return q(
        INVOICE_SELECT + " JOIN ({}) p ON p.id = i.id ORDER BY p.date DESC, p.id DESC", page_ids
    )


def walked_page(
    where: QueryString,
    page_size: int,
    skip: int,
    forced: bool = False,
    since: dt.date | None = None,
) -> QueryString:
    """The page found by walking the (date, id) index until `skip + page_size` rows matched:
    right for dense matches, whose rows are near the top. The index carries the customer,
    amount, status and due date, so each row is tested on its index entry alone.

    `forced`: the search decided on a walk from kept counts, which the planner does not see (a
    LIKE is hard to estimate). `(...) IS TRUE` is the same test, but no index serves it and
    no subquery in it is turned into a join: the plan is the walk, a subquery's set hashed.
    `since`: the walk stops at that day (an index bound), whether the page is full or not."""
    test = q("({}) IS TRUE", where) if forced else where
    page_ids = q(
        "SELECT i.id, i.date FROM invoices i WHERE {}"
        " ORDER BY i.date DESC, i.id DESC LIMIT {} OFFSET {}",
        test if since is None else q("i.date >= {} AND {}", since, test),
        page_size,
        skip,
    )
    return _joined(page_ids)


def newest_days(rows: int) -> QueryString:
    """The day from which on the newest days hold at least `rows` invoices (no row when all of
    them hold fewer), from the kept day counts read newest first."""
    return q(
        "SELECT d.date FROM (SELECT date, sum(invoice_count) OVER (ORDER BY date DESC"
        " ROWS UNBOUNDED PRECEDING) AS n FROM invoice_day_counts ORDER BY date DESC) d"
        " WHERE d.n >= {} LIMIT 1",
        rows,
    )


def collected_page(where: QueryString, cap: int, page_size: int, skip: int) -> QueryString:
    """The matches collected through their own indexes (up to cap + 1), then counted and
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
        cap + 1,
        _joined(page_ids),
    )


def days_page(days: list[tuple[dt.date, int]], page_size: int, skip: int) -> QueryString:
    """A date search's page: `days` (newest first, with their kept counts) say which days hold
    rows skip .. skip + page_size; those days are read as one range of the (date, id) index,
    from the page's first row on."""
    before = 0
    held: list[dt.date] = []
    for day, count in days:
        if before + count > skip and before < skip + page_size:
            held.append(day)
        elif held:
            break
        if not held:
            before += count
    if not held:
        held = [days[-1][0]]
    return _joined(
        q(
            "SELECT i.id, i.date FROM invoices i"
            " WHERE i.date BETWEEN {} AND {} AND i.date = ANY({}::date[])"
            " ORDER BY i.date DESC, i.id DESC LIMIT {} OFFSET {}",
            held[-1],
            held[0],
            held,
            page_size,
            skip - before,
        )
    )


def counted(where: QueryString, cap: int) -> QueryString:
    """The rows `where` matches, counted up to cap + 1."""
    return q(
        "SELECT count(*) AS n FROM (SELECT 1 FROM invoices i WHERE {} LIMIT {}) m",
        where,
        cap + 1,
    )
