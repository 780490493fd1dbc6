"""Estimated totals for broad invoice searches, from the kept sample of invoices.

`invoice_sample` (migration 2026-11-29T09:00) holds every SAMPLE_EVERY-th invoice by number,
with its customer's search key, its day's calendar key, its amount and status, kept by the
invoice and customer triggers. The parts of a query are tested on those rows with the same rules
as on the invoices (the same LIKE on the same keys), so a sample row matches exactly when its
invoice does.

The estimate: with k of the sample's n rows matching, about k / n of all N invoices match.
Numbers are given in creation order, so the sample is spread evenly over the data, and a query
does not choose which numbers are sampled; the relative standard error is then about
sqrt((1 - k / n) / k) <= 1 / sqrt(k). An estimate is given only from ESTIMATE_HITS = 100
matching rows on (at a million invoices, about 50,000 matches), so it is within 10 % one time
in three and within 20 % with 95 % confidence; broader searches come closer (k = 400: 5 %).
Fewer matches are counted exactly.
"""

from __future__ import annotations

from piccolo.querystring import QueryString

from src.domain.customers.repository import customer_matches
from src.domain.invoices.search import InvoiceFilter
from src.domain.sql import any_of, join, q

SAMPLE_EVERY = 500  # as the migration: invoice numbers divisible by it are in the sample
ESTIMATE_HITS = 100


def sample_outside_status(f: InvoiceFilter) -> QueryString:
    """The query's non-status parts, and not its status part, as a condition on a sample row
    `s` (a part that matches no invoice matches no sample row either)."""
    others: list[QueryString] = [customer_matches(f.pattern, "s")]
    if f.date_pattern is not None:
        others.append(q("s.day_key LIKE lower({}) ESCAPE '\\'", f.date_pattern))
    if f.cents_pattern is not None:
        others.append(q("s.amount::text LIKE {} ESCAPE '\\'", f.cents_pattern))
    if f.dollar_cents is not None:
        others.append(q("s.amount = {}", f.dollar_cents))
    if not f.statuses:
        return any_of(others)
    statuses = join([q("{}", s) for s in f.statuses], ", ")
    return q("{} AND s.status NOT IN ({})", any_of(others), statuses)


def estimate(hits: int | None, size: int | None, invoice_count: int) -> int | None:
    """The matches among all invoices that `hits` of the sample's `size` rows suggest: None
    when there are too few (ESTIMATE_HITS) to say (or the sample was not read)."""
    if hits is None or size is None or hits < ESTIMATE_HITS:
        return None
    return round(hits * invoice_count / size)


def rounded(total: int) -> int:
    """An estimate shown with the precision it has: two significant digits (896,012 is
    "about 900,000"), which is within the estimate's own error."""
    digits = max(len(str(total)) - 2, 0)
    return round(total, -digits) if digits else total
