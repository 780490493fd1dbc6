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
from src.domain.invoices import pages
from src.domain.invoices.parts import Parts, Probe, parts, probe, read_probe
from src.domain.invoices.rows import INVOICE_SELECT, InvoicePage, page_of, pop_totals
from src.domain.invoices.search import InvoiceFilter, parse_query
from src.domain.pagination import offset
from src.domain.sql import fetch, fetch_one, q

# Past this many matches, a total that cannot be kept or estimated is reported as "at least
# COUNT_CAP" (totalIsCapped). The sample estimates such totals first, so this is rarely reached.
COUNT_CAP = 50_000
# The sample: every SAMPLE_EVERY-th invoice number (the partial index invoices_sample_idx).
SAMPLE_EVERY = 500
# A total is estimated from the sample when at least this many of its rows match (about
# 50,000 matches; fewer are counted exactly). With k matching sample rows the estimate's
# relative standard error is about 1/sqrt(k): at most 10 %, so "about" is within 20 % with
# 95 % confidence, and closer for broader matches.
ESTIMATE_HITS = 100
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
    row = await fetch_one(probe(f))
    assert row is not None
    seen = read_probe(row, f)
    days = None if seen.days is None else [d for d, _ in seen.days]
    p = parts(f, seen.customer_ids, days)
    if only is not None:
        return await _collect(_both(p.matching(), only), page, page_size)
    if (total := _kept_total(f, seen)) is not None:
        return page_of(await _kept_page(f, seen, p, total, page_size, skip), page, page_size, total)
    return await _counted_or_estimated(f, seen, p, page, page_size)


async def matching(query: str) -> QueryString:
    """The list's search as one condition on `invoices i` (the CSV export uses it)."""
    f = parse_query(query)
    if f.everything:
        return q("TRUE")
    row = await fetch_one(probe(f))
    assert row is not None
    seen = read_probe(row, f)
    return parts(
        f, seen.customer_ids, None if seen.days is None else [d for d, _ in seen.days]
    ).matching()


def _kept_total(f: InvoiceFilter, seen: Probe) -> int | None:
    """The exact total from kept counts, when the query is one listed part: its customers
    (a sum of their kept counts) or its days (a sum of theirs); None otherwise."""
    if f.statuses or f.cents_pattern is not None or f.dollar_cents is not None:
        return None
    if seen.customer_ids is None or seen.days is None:
        return None
    if not seen.days:
        return seen.customer_total
    if not seen.customer_ids:
        return sum(n for _, n in seen.days)
    return None


async def _kept_page(
    f: InvoiceFilter, seen: Probe, p: Parts, total: int, page_size: int, skip: int
) -> list[dict[str, object]]:
    if skip >= total:
        return []
    if seen.days:  # a date search: the kept day counts tell which days hold the page
        return await fetch(pages.days_page(seen.days, page_size, skip))
    return await _dense_or_collected(p, total, seen.invoice_count, page_size, skip)


async def _dense_or_collected(
    p: Parts, total: int, invoice_count: int, page_size: int, skip: int
) -> list[dict[str, object]]:
    """The page walked down the date index when matches are dense, else collected."""
    if (skip + page_size) * invoice_count <= WALK_ROWS * max(total, 1):
        return await fetch(pages.walked_page(p.walking(), page_size, skip))
    rows = await fetch(pages.collected_page(p.matching(), COUNT_CAP, page_size, skip))
    if rows:
        pop_totals(rows)
    return rows


async def _counted_or_estimated(
    f: InvoiceFilter, seen: Probe, p: Parts, page: int, page_size: int
) -> InvoicePage:
    """The total of the rows outside the status part (whose total is kept), estimated from the
    sample when it finds many of them, else counted; the page walked or collected."""
    skip = offset(page, page_size)
    outside = p.outside_status()
    if outside is None:  # the status part alone (the others match nothing)
        rows = await fetch(pages.walked_page(p.walking(), page_size, skip))
        return page_of(rows, page, page_size, seen.status_total)
    # The sample tests each row's customer and day by lookup: = ANY over a long list would
    # compare every sample row with every listed id.
    sampled = parts(
        f, [] if seen.customer_ids == [] else None, [] if seen.days == [] else None
    ).outside_status(walked=True)
    assert sampled is not None
    hits, size = await _sample(sampled)
    if hits >= ESTIMATE_HITS:
        total = seen.status_total + round(hits * seen.invoice_count / size)
        rows = await fetch(pages.walked_page(p.walking(), page_size, skip))
        return page_of(rows, page, page_size, total, estimate=True)
    if f.statuses:  # 40-60 % of all rows match: the page is near the top
        row = await fetch_one(pages.counted(outside, COUNT_CAP))
        extra = int(row["n"]) if row else 0
        rows = await fetch(pages.walked_page(p.walking(), page_size, skip))
        total = seen.status_total + min(extra, COUNT_CAP)
        return page_of(rows, page, page_size, total, capped=extra > COUNT_CAP)
    return await _collect(p.matching(), page, page_size, walking=p.walking())


async def _sample(where: QueryString) -> tuple[int, int]:
    """How many rows of the fixed sample match `where`, of how many."""
    row = await fetch_one(
        q(
            "SELECT count(*) FILTER (WHERE {}) AS hits, count(*) AS size FROM invoices i"
            " WHERE i.number % {} = 0",
            where,
            SAMPLE_EVERY,
        )
    )
    assert row is not None
    return int(row["hits"]), max(int(row["size"]), 1)


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
