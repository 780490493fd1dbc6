"""The invoice search, top to bottom (docs/performance.md, "How each query runs"):

1. search.py splits the text into parts (customer, status, date, cents, dollars);
2. one probe reads the kept counts of the matching customers, days and amounts (parts.py);
3. the total: kept when one part alone matches (a sum of kept per-customer, per-day or
   per-amount counts) or the query is a status; otherwise the kept sample tells a broad match
   (its total estimated and flagged, totals.py) from a narrow one (counted exactly);
4. the page: found from the kept day counts for a date search; walked down the (date, id)
   index when matches are dense enough to stop soon; else collected through the parts' own
   indexes and sorted. Only the page's rows are joined to their customers (pages.py).
"""

from __future__ import annotations

import datetime as dt
import math

from piccolo.querystring import QueryString

from src.domain import calendar
from src.domain.customers.search import TRIGRAM
from src.domain.invoices import pages, totals
from src.domain.invoices.parts import (
    Parts,
    Probe,
    listed_amounts,
    listed_customers,
    parts,
    probe,
    read_probe,
)
from src.domain.invoices.rows import INVOICE_SELECT, InvoicePage, page_of, pop_totals
from src.domain.invoices.search import InvoiceFilter, parse_query
from src.domain.pagination import offset
from src.domain.sql import Row, fetch, fetch_one, q

# Past this many matches, a total that is neither kept nor estimated is reported as "at least
# COUNT_CAP" (totalIsCapped). The sample estimates such totals first, so this is rarely reached.
COUNT_CAP = 50_000
# A page is walked down the (date, id) index when the rows it is expected to read (the rows up
# to the page's end divided by the share of invoices that match) are at most WALK_ROWS; past
# HASH_ROWS, the walk tests many customers or days against their set, read once.
WALK_ROWS = 4_000
HASH_ROWS = 256
# A walk expected to read more than BOUND_ROWS rows, testing many customers hashed, is first
# bounded to the newest days holding BOUND_FACTOR times those rows (`_walked`).
BOUND_ROWS = 2_000
BOUND_FACTOR = 2
# A customer search within a status walks the status's rows (the index carries the customer),
# customers hashed, also past WALK_ROWS while that reads at most WALK_PER_MATCH rows per match:
# an index entry tested against the hash costs a fraction of a match collected customer by
# customer (`lee` within overdue, page 200 at 10M: 48,000 entries for 43,000 matches).
WALK_PER_MATCH = 4


async def search(query: str, page: int, page_size: int, status: str | None = None) -> InvoicePage:
    f = parse_query(query)
    skip = offset(page, page_size)
    only = pages.status_filter(status, calendar.today())
    if f.number is not None:  # INV-42, #42: that invoice alone, from the unique index
        found = await fetch(
            q(INVOICE_SELECT + " WHERE {}", _both(q("i.number = {}", f.number), only))
        )
        return page_of(found[skip : skip + page_size], page, page_size, len(found))
    if f.everything:
        return await _everything(status, page, page_size)
    if status is not None and only is not None and _customers_only(f):
        return await _customers_in_status(f, status, only, page, page_size)
    seen = await _probe(f)
    if only is not None:
        p = await _exact_parts(f, seen)
        return await _collect(_both(p.matching(), only), page, page_size)
    if (total := seen.kept_total(f)) is not None:
        rows = await _kept_page(f, seen, total, page_size, skip)
        return page_of(rows, page, page_size, total)
    return await _counted_or_estimated(f, seen, page, page_size)


async def matching(query: str) -> QueryString:
    """The list's search as one condition on `invoices i` (the CSV export uses it)."""
    f = parse_query(query)
    if f.everything:
        return q("TRUE")
    return (await _exact_parts(f, await _probe(f))).matching()


async def _probe(f: InvoiceFilter) -> Probe:
    row = await fetch_one(probe(f, COUNT_CAP))
    assert row is not None
    return read_probe(row, f)


async def _exact_parts(f: InvoiceFilter, seen: Probe) -> Parts:
    """The parts for collecting or counting rows. Customers OR'ed with other parts are listed
    by id when few (= ANY: a descent of the (customer_id, date, id) index each, which a bitmap
    can OR with the other parts' indexes); alone, or many, they are a subquery (alone, the
    planner joins it to that index itself)."""
    ids = seen.customer_ids
    if seen.customer_total and seen.kept_total(f) is None:  # with other parts, OR'ed
        row = await fetch_one(listed_customers(f))
        ids = row["ids"] if row else None
    return parts(f, ids, seen.day_list)


def _walk_rows(seen: Probe, total: int, page_size: int, skip: int) -> float:
    """How many rows a walk down the date index reads to reach the page's end."""
    return (skip + page_size) * seen.invoice_count / max(total, 1)


def _hashed(seen: Probe, rows: float) -> tuple[bool, bool]:
    """Whether a walk reading about `rows` rows tests customers and days against their sets
    hashed once (see `_walk`): customers when the walk reads more rows than half the matching
    customers (a lookup costs about as much as reading two of them for the hash; how many match:
    their invoices' share of all customers, from their kept counts, else from the
    sample, which counts any part's matches and so errs towards lookups; `a` matches nearly
    every customer, and hashing a million of them cost seconds at 10M)."""
    if seen.customer_total is not None:
        share: float = seen.customer_total / max(seen.invoice_count, 1)
    elif seen.sample_hits is not None and seen.sample_size:
        share = seen.sample_hits / seen.sample_size
    else:
        share = HASH_ROWS / max(seen.customer_count, 1)
    return (2 * rows > share * seen.customer_count, rows > 4 * HASH_ROWS)


def _walk(
    f: InvoiceFilter,
    seen: Probe,
    rows: float,
    page_size: int,
    skip: int,
    since: dt.date | None = None,
) -> QueryString:
    """The page walked down the date index, reading about `rows` rows. Each row's customer is
    looked up, or tested against the matching customers' ids hashed once when reading those
    (about their invoices' share of all customers) costs less than the lookups; days likewise,
    but their set comes from the calendar's trigram index, which costs more to read. `since`:
    the walk stops at that day, and only customers with an invoice since then are hashed."""
    customers, days = _hashed(seen, rows)
    # Bounded, the customers hashed are only those with an invoice in the walk's days: fewer
    # than the rows it reads, so hashing them costs less than a lookup per row.
    hashed = (customers or since is not None, days)
    parted = parts(f, seen.customer_ids, seen.day_list, hashed, since)
    return pages.walked_page(parted.walking(), page_size, skip, forced=True, since=since)


async def _walked(
    f: InvoiceFilter, seen: Probe, rows: float, page_size: int, skip: int
) -> list[Row]:
    """`_walk`'s page. Deep in a broad customer search (too many customers to sum, text long
    enough for the trigram index) the walk is first bounded to the newest days holding
    BOUND_FACTOR times the rows it should read: only customers with an invoice in those days
    (their kept `newest`) are hashed, a fraction of all matching ones, found by intersecting the
    trigram and `newest` indexes. A full page found within the bound is the page (the rows
    before it are all there); else the walk is made again without it."""
    many = seen.customer_total is None and len(f.text) >= TRIGRAM  # the trigram index serves
    if many and rows > BOUND_ROWS:
        row = await fetch_one(pages.newest_days(math.ceil(BOUND_FACTOR * rows)))
        if row is not None:
            found = await fetch(_walk(f, seen, rows, page_size, skip, since=row["date"]))
            if len(found) == page_size:
                return found
    return await fetch(_walk(f, seen, rows, page_size, skip))


async def _kept_page(
    f: InvoiceFilter, seen: Probe, total: int, page_size: int, skip: int
) -> list[Row]:
    if skip >= total:
        return []
    if seen.days:  # a date search: the kept day counts tell which days hold the page
        return await fetch(pages.days_page(seen.days, page_size, skip))
    rows = _walk_rows(seen, total, page_size, skip)
    if rows <= WALK_ROWS:
        return await fetch(_walk(f, seen, rows, page_size, skip))
    where = listed_amounts(f) if seen.cents_alone(f) else (await _exact_parts(f, seen)).matching()
    found = await fetch(pages.collected_page(where, COUNT_CAP, page_size, skip))
    if found:
        pop_totals(found)
    return found


def _customers_only(f: InvoiceFilter) -> bool:
    """The text can match customers only (no status, date, or amount in it)."""
    amounts = f.cents_pattern is None and f.dollar_cents is None
    return not f.statuses and f.date_pattern is None and amounts


async def _customers_in_status(
    f: InvoiceFilter, status: str, only: QueryString, page: int, page_size: int
) -> InvoicePage:
    """A customer search within a status filter: the total from the matching customers' kept
    rows (their invoice counts and unpaid due dates), the page walked down the status's rows
    when the matches are dense there or the walk reads few rows per match, else collected
    customer by customer."""
    skip = offset(page, page_size)
    today = calendar.today()
    row = await fetch_one(
        q(
            "SELECT m.n, m.customers, ({}) AS of_status FROM ({}) m",
            pages.kept_total(status, today),
            pages.customers_in_status_total(f.pattern, status, today),
        )
    )
    assert row is not None
    total, of_status = int(row["n"]), int(row["of_status"])
    rows: list[Row] = []
    walked = (skip + page_size) * of_status / max(total, 1)
    if skip >= total:
        pass
    elif walked <= WALK_ROWS or walked <= WALK_PER_MATCH * total:
        hashed = 2 * walked > int(row["customers"])  # see _hashed
        customers = parts(f, None, [], (hashed, False)).walking()
        rows = await fetch(
            pages.walked_page(q("({}) IS TRUE AND {}", customers, only), page_size, skip)
        )
    else:
        where = q("{} AND {}", parts(f, None, []).matching(), only)
        rows = await fetch(pages.collected_page(where, COUNT_CAP, page_size, skip))
        if rows:
            pop_totals(rows)
    return page_of(rows, page, page_size, total)


async def _counted_or_estimated(
    f: InvoiceFilter, seen: Probe, page: int, page_size: int
) -> InvoicePage:
    """The total of the rows outside the status part (whose total is kept), estimated from the
    sample when it finds many of them, else counted; the page walked or collected."""
    skip = offset(page, page_size)
    estimate = totals.estimate(seen.sample_hits, seen.sample_size, seen.invoice_count)
    if estimate is not None and estimate > COUNT_CAP:
        total = totals.rounded(min(seen.status_total + estimate, seen.invoice_count))
        rows = await _walked(f, seen, _walk_rows(seen, total, page_size, skip), page_size, skip)
        return page_of(rows, page, page_size, total, estimate=True)
    if seen.nothing_outside_status(f):  # the status part alone (the others match nothing)
        walked = _walk(f, seen, 0, page_size, skip)
        return page_of(await fetch(walked), page, page_size, seen.status_total)
    p = await _exact_parts(f, seen)
    if f.statuses:  # 40-60 % of all rows match: the page is near the top
        outside = p.outside_status()
        assert outside is not None
        row = await fetch_one(pages.counted(outside, COUNT_CAP))
        extra = int(row["n"]) if row else 0
        rows = await fetch(_walk(f, seen, 0, page_size, skip))
        total = seen.status_total + min(extra, COUNT_CAP)
        return page_of(rows, page, page_size, total, capped=extra > COUNT_CAP)
    return await _collect(p.matching(), page, page_size, walking=_walk(f, seen, 0, page_size, skip))


async def _collect(
    where: QueryString, page: int, page_size: int, walking: QueryString | None = None
) -> InvoicePage:
    """The matches of `where` collected and counted up to the cap; past it, the page walked
    (`walking`: the walk's own query, else one testing `where`)."""
    skip = offset(page, page_size)
    rows = await fetch(pages.collected_page(where, COUNT_CAP, page_size, skip))
    if rows:
        total = pop_totals(rows)
    else:  # past the last collected page: past the last page, or past the cap
        counted = await fetch_one(pages.counted(where, COUNT_CAP))
        total = int(counted["n"]) if counted else 0
    capped = total > COUNT_CAP
    if capped:
        total = COUNT_CAP
        rows = await fetch(walking or pages.walked_page(where, page_size, skip))
    return page_of(rows, page, page_size, total, capped)


async def _everything(status: str | None, page: int, page_size: int) -> InvoicePage:
    """No query (or every status): the newest rows, with or without a status filter, walked
    down the (date, id) or (status, date, id) index, the kept total beside each."""
    skip = offset(page, page_size)
    today = calendar.today()
    total_sql = pages.kept_total(status, today)
    only = pages.status_filter(status, today) or q("TRUE")
    rows = await fetch(pages.with_total(total_sql, pages.walked_page(only, page_size, skip)))
    if rows:
        return page_of(rows, page, page_size, pop_totals(rows))
    counted = await fetch_one(total_sql)
    return page_of(rows, page, page_size, int(counted["n"]) if counted else 0)


def _both(where: QueryString, only: QueryString | None) -> QueryString:
    return where if only is None else q("({}) AND {}", where, only)
