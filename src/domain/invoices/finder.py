"""The invoice search, top to bottom (docs/performance.md, "How each query runs"):

1. search.py splits the text into parts (customer, status, date, cents, dollars);
2. one probe reads the kept counts, the matching customers and days (parts.py);
3. the total: kept when the query is one customer or date part (a sum of kept per-customer or
   per-day counts) or a status; otherwise the fixed sample tells a broad match (estimated from
   the sample, flagged) from a narrow one (counted exactly);
4. the page: walked down the (date, id) index when matches are dense enough to stop soon,
   found from the kept per-day counts for a date search, else collected through the parts'
   own indexes and sorted; only the page's rows are joined to their customers.
"""

from __future__ import annotations

from piccolo.querystring import QueryString

from src.domain import calendar
from src.domain.invoices import pages, totals
from src.domain.invoices.parts import Parts, Probe, listed_customers, parts, probe, read_probe
from src.domain.invoices.rows import INVOICE_SELECT, InvoicePage, page_of, pop_totals
from src.domain.invoices.search import InvoiceFilter, parse_query
from src.domain.pagination import offset
from src.domain.sql import Row, fetch, fetch_one, q

# Past this many matches, a total that cannot be kept or estimated is reported as "at least
# COUNT_CAP" (totalIsCapped). The sample estimates such totals first, so this is rarely reached.
COUNT_CAP = 50_000
# A page is walked down the (date, id) index when the expected number of rows read (rows up
# to the page's end divided by the share that matches) is at most this.
WALK_ROWS = 4_000


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
    seen = await _probe(f)
    if only is not None:
        p = await _exact_parts(f, seen)
        return await _collect(_both(p.matching(), only), page, page_size)
    if (total := _kept_total(f, seen)) is not None:
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
    row = await fetch_one(probe(f))
    assert row is not None
    return read_probe(row, f)


async def _exact_parts(f: InvoiceFilter, seen: Probe) -> Parts:
    """The parts for collecting or counting rows: a few matching customers listed by id (a
    descent of the (customer_id, date, id) index each), more as a subquery."""
    ids = seen.customer_ids
    if seen.customer_total:
        row = await fetch_one(listed_customers(f))
        ids = row["ids"] if row else None
    return parts(f, ids, seen.day_list)


def _kept_total(f: InvoiceFilter, seen: Probe) -> int | None:
    """The exact total from kept counts when the query is its customers alone (a sum of their
    kept counts) or its days alone (a sum of theirs); None otherwise."""
    if f.statuses or f.cents_pattern is not None or f.dollar_cents is not None:
        return None
    if seen.customer_total is None or seen.days is None:
        return None
    if not seen.days:
        return seen.customer_total
    if seen.customer_total == 0:
        return sum(n for _, n in seen.days)
    return None


async def _kept_page(
    f: InvoiceFilter, seen: Probe, total: int, page_size: int, skip: int
) -> list[Row]:
    if skip >= total:
        return []
    if seen.days:  # a date search: the kept day counts tell which days hold the page
        return await fetch(pages.days_page(seen.days, page_size, skip))
    # Customers alone: walked when dense, else collected customer by customer.
    if (skip + page_size) * seen.invoice_count <= WALK_ROWS * total:
        walked = parts(f, None, []).walking()
        return await fetch(pages.walked_page(walked, page_size, skip))
    p = await _exact_parts(f, seen)
    rows = await fetch(pages.collected_page(p.matching(), COUNT_CAP, page_size, skip))
    if rows:
        pop_totals(rows)
    return rows


async def _counted_or_estimated(
    f: InvoiceFilter, seen: Probe, page: int, page_size: int
) -> InvoicePage:
    """The total of the rows outside the status part (whose total is kept), estimated from the
    sample when it finds many of them, else counted; the page walked or collected."""
    skip = offset(page, page_size)
    walk = parts(f, seen.customer_ids, seen.day_list)  # customers and long day lists looked up
    sampled = totals.sample_outside_status(f, seen)
    if sampled is None:  # the status part alone (the others match nothing)
        rows = await fetch(pages.walked_page(walk.walking(), page_size, skip))
        return page_of(rows, page, page_size, seen.status_total)
    hits, estimate = await totals.estimate(sampled, seen.invoice_count)
    if hits >= totals.ESTIMATE_HITS and estimate > COUNT_CAP:
        total = min(seen.status_total + estimate, seen.invoice_count)
        rows = await fetch(pages.walked_page(walk.walking(), page_size, skip))
        return page_of(rows, page, page_size, total, estimate=True)
    p = await _exact_parts(f, seen)
    if f.statuses:  # 40-60 % of all rows match: the page is near the top
        row = await fetch_one(pages.counted(_outside(p), COUNT_CAP))
        extra = int(row["n"]) if row else 0
        rows = await fetch(pages.walked_page(walk.walking(), page_size, skip))
        total = seen.status_total + min(extra, COUNT_CAP)
        return page_of(rows, page, page_size, total, capped=extra > COUNT_CAP)
    return await _collect(p.matching(), page, page_size, walking=walk.walking())


def _outside(p: Parts) -> QueryString:
    outside = p.outside_status()
    assert outside is not None
    return outside


async def _collect(
    where: QueryString, page: int, page_size: int, walking: QueryString | None = None
) -> InvoicePage:
    """The matches of `where` collected and counted up to the cap; past it, walked."""
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
        rows = await fetch(pages.walked_page(walking or where, page_size, skip))
    return page_of(rows, page, page_size, total, capped)


async def _everything(status: str | None, page: int, page_size: int) -> InvoicePage:
    """No query (or every status): the newest rows, with or without a status filter, walked
    down the (date, id) or (status, date, id) index, the kept total beside each."""
    skip = offset(page, page_size)
    total_sql = pages.kept_total(status, calendar.today())
    rows = await fetch(
        pages.with_total(
            total_sql,
            pages.walked_page(
                pages.status_filter(status, calendar.today()) or q("TRUE"), page_size, skip
            ),
        )
    )
    if rows:
        return page_of(rows, page, page_size, pop_totals(rows))
    counted = await fetch_one(total_sql)
    return page_of(rows, page, page_size, int(counted["n"]) if counted else 0)


def _both(where: QueryString, only: QueryString | None) -> QueryString:
    return where if only is None else q("({}) AND {}", where, only)
