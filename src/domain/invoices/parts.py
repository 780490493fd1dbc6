"""The parts of an invoice search as SQL conditions, and the one probe that sizes them.

search.py splits the text into parts (customer, status, date, cents, dollars); here each part
becomes a condition on `invoices i` that its own index serves, after one probe has read the
kept counts of the matching customers, days and amounts (finder.py runs the search)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from piccolo.querystring import QueryString

from src.domain.customers.repository import customer_matches
from src.domain.customers.search import TRIGRAM
from src.domain.invoices import totals
from src.domain.invoices.search import InvoiceFilter
from src.domain.sql import Row, any_of, contains_pattern, join, q

# Up to this many matching customers are summed and listed by id (an index descent per id);
# more are "many": the sample tells their total, a subquery or a lookup per row tests them.
CUSTOMER_ID_LIST = 3_000
# Up to this many days matching the date text are listed (an index descent per day).
DAY_LIST = 1_000
# Up to this many amounts matching cents digits are summed.
AMOUNT_LIST = 10_000
# A walk tests listed ids or days with = ANY only up to this many (it compares each in turn).
SHORT_LIST = 16
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Probe:
    """What one round trip tells about a query before any invoice is read. A part's total is
    None when too many customers, days or amounts match, or when the text is too short for the
    trigram indexes (then they are not read at all); 0 when the part matches nothing."""

    invoice_count: int
    customer_count: int
    status_total: int  # the kept count of the status part
    customer_total: int | None  # the matching customers' kept invoice counts, summed
    # The matching days that have invoices, newest first, with their kept counts.
    days: list[tuple[dt.date, int]] | None
    cents_total: int | None  # the matching amounts' kept counts, summed
    # Of the kept sample's rows, how many match outside the status part, of how many; None
    # when the kept counts were enough to tell the total is at most the count cap.
    sample_hits: int | None
    sample_size: int | None

    @property
    def customer_ids(self) -> list[UUID] | None:
        """For `parts`: [] when no customer matches, else None (not listed)."""
        return [] if self.customer_total == 0 else None

    @property
    def day_list(self) -> list[dt.date] | None:
        return None if self.days is None else [day for day, _ in self.days]

    def nothing_outside_status(self, f: InvoiceFilter) -> bool:
        """True when the probe found that no part but the status matches anything."""
        cents = 0 if f.cents_pattern is None else self.cents_total
        dollars_alone = f.dollar_cents is not None and f.cents_pattern is None
        return self.customer_total == 0 and self.days == [] and cents == 0 and not dollars_alone

    def cents_alone(self, f: InvoiceFilter) -> bool:
        """True when the cents digits are the one part that matches anything (a dollar figure's
        amount holds the same digits), and their few thousand amounts are summed."""
        cents = f.cents_pattern is not None and bool(self.cents_total)
        return cents and not f.statuses and self.customer_total == 0 and self.days == []

    def kept_total(self, f: InvoiceFilter) -> int | None:
        """The exact total from kept counts when one part alone matches anything: its
        customers, its days or its cents digits (a dollar figure's amount always holds the
        same digits); None when a status, a dollar figure alone, or more parts match."""
        if f.statuses or (f.dollar_cents is not None and f.cents_pattern is None):
            return None
        day_total = None if self.days is None else sum(n for _, n in self.days)
        cents_total = 0 if f.cents_pattern is None else self.cents_total
        totals = (self.customer_total, day_total, cents_total)
        if None in totals:
            return None
        matched = [t for t in totals if t]
        return matched[0] if len(matched) == 1 else 0 if not matched else None


@dataclass(frozen=True)
class Parts:
    """The conditions of a query's parts: the status part apart, since its total is kept.

    `others` serve collecting and counting: listed ids and days as = ANY (an index descent
    each), the rest as subqueries. `walked` serve a walk down the date index that stops after
    the page: a part with many matches is tested per row, either by a lookup (few rows read)
    or against the set of matches hashed once (many rows read)."""

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

        The status part's own total is kept; adding this count to it gives the total."""
        if not self.others:
            return None
        if self.status is None:
            return any_of(self.others)
        return q("{} AND NOT {}", any_of(self.others), self.status)


def probe(f: InvoiceFilter, count_cap: int) -> QueryString:
    """One round trip: the kept summary; the kept counts of the matching customers (one scan
    of the narrow `invoice_customer_counts`, which carries each customer's search key and a
    trigram index), days (the calendar `search_days` first: the cost depends on the text, not
    on the invoices' dates) and amounts; and, only when those cannot tell a total of at most
    `count_cap` (too many matches, or a text too short for the trigram indexes, which then
    reads none of them), the kept sample's rows that match outside the status part."""
    short = len(f.text) < TRIGRAM
    customers = (
        q("NULL::bigint")
        if short
        else _summed(
            q("invoice_customer_counts k WHERE {}", customer_matches(f.pattern, "k")),
            CUSTOMER_ID_LIST,
        )
    )
    cents = q("NULL::bigint") if short or f.cents_pattern is None else _summed(
        q("invoice_amount_counts k WHERE k.amount::text LIKE {} ESCAPE '\\'", f.cents_pattern),
        AMOUNT_LIST,
    )  # fmt: skip
    # `most`: how many days may be listed; -1 lists none (a short text: every row looked up).
    most = -1 if short and f.date_pattern is not None else DAY_LIST
    days = (
        q("SELECT d.day FROM search_days d WHERE {} LIMIT {}", days_found(f), DAY_LIST + 1)
        if f.date_pattern is not None and not short
        else q("SELECT NULL::date AS day WHERE FALSE")
    )
    return q(
        """
    WITH d AS MATERIALIZED ({}),
         listed AS MATERIALIZED (SELECT (SELECT count(*) FROM d) <= {} AS ok),
         k AS MATERIALIZED (SELECT k.date, k.invoice_count FROM invoice_day_counts k
                             WHERE k.date IN (SELECT d.day FROM d) AND k.invoice_count > 0
                               AND (SELECT ok FROM listed)),
         kept AS MATERIALIZED (SELECT {} AS customers, {} AS cents,
                                      (SELECT coalesce(sum(k.invoice_count), 0) FROM k) AS days),
         need AS MATERIALIZED (
           SELECT kept.customers IS NULL OR (kept.cents IS NULL AND {})
                  OR NOT (SELECT ok FROM listed)
                  OR coalesce(kept.customers, 0) + coalesce(kept.cents, 0) + kept.days > {}
                  AS yes
             FROM kept),
         -- Read only when a CASE below asks for it.
         smp AS MATERIALIZED (SELECT count(*) FILTER (WHERE {}) AS hits, count(*) AS size
                                FROM invoice_sample s)
    SELECT s.invoice_count, s.customer_count, s.paid_count, s.pending_count,
           CASE WHEN (SELECT yes FROM need) THEN (SELECT hits FROM smp) END AS sample_hits,
           CASE WHEN (SELECT yes FROM need) THEN (SELECT size FROM smp) END AS sample_size,
           (SELECT customers FROM kept) AS customer_total,
           (SELECT cents FROM kept) AS cents_total,
           (SELECT ok FROM listed) AS days_listed,
           (SELECT coalesce(array_agg(k.date ORDER BY k.date DESC), ARRAY[]::date[]) FROM k)
             AS day_dates,
           (SELECT coalesce(array_agg(k.invoice_count ORDER BY k.date DESC), ARRAY[]::bigint[])
              FROM k) AS day_counts
      FROM invoice_summary s""",
        days,
        most,
        customers,
        cents,
        q("TRUE" if f.cents_pattern is not None else "FALSE"),
        count_cap,
        totals.sample_outside_status(f),
    )


def _summed(rows: QueryString, most: int) -> QueryString:
    """The kept counts of `rows` (of a counts table `k`) summed; NULL past `most` rows."""
    return q(
        "(SELECT CASE WHEN count(*) <= {} THEN coalesce(sum(m.n), 0) END"
        " FROM (SELECT k.invoice_count AS n FROM {} LIMIT {}) m)",
        most,
        rows,
        most + 1,
    )


def read_probe(row: Row, f: InvoiceFilter) -> Probe:
    def count(value: object) -> int | None:
        return None if value is None else int(str(value))

    return Probe(
        invoice_count=int(row["invoice_count"]),
        customer_count=int(row["customer_count"]),
        status_total=sum(int(row[f"{status}_count"]) for status in f.statuses),
        customer_total=count(row["customer_total"]),
        days=list(zip(row["day_dates"], map(int, row["day_counts"]), strict=True))
        if row["days_listed"]
        else None,
        cents_total=count(row["cents_total"]),
        sample_hits=count(row["sample_hits"]),
        sample_size=count(row["sample_size"]),
    )


def listed_amounts(f: InvoiceFilter) -> QueryString:
    """The invoices whose amount holds the cents digits, as the amounts with invoices listed in
    `invoice_amount_counts` (at most AMOUNT_LIST when the probe summed them): each amount's rows
    are one range of the (amount, date, id) index, read without visiting the table."""
    return q(
        "i.amount IN (SELECT k.amount FROM invoice_amount_counts k"
        " WHERE k.amount::text LIKE {} ESCAPE '\\' AND k.invoice_count > 0)",
        f.cents_pattern,
    )


def listed_customers(f: InvoiceFilter) -> QueryString:
    """The ids of the matching customers that have invoices (from their kept counts), NULL
    past CUSTOMER_ID_LIST: a narrow search collects through the (customer_id, date, id)
    index, one descent per id."""
    return q(
        "SELECT (SELECT CASE WHEN count(*) <= {} THEN coalesce(array_agg(m.id), ARRAY[]::uuid[])"
        " END FROM (SELECT k.customer_id AS id FROM invoice_customer_counts k"
        " WHERE {} AND k.invoice_count > 0 LIMIT {}) m) AS ids",
        CUSTOMER_ID_LIST,
        customer_matches(f.pattern, "k"),
        CUSTOMER_ID_LIST + 1,
    )


def day_matches(f: InvoiceFilter) -> QueryString:
    """True for the days `d` of the calendar whose text contains the query (trigram index)."""
    return q("d.key LIKE lower({}) ESCAPE '\\'", f.date_pattern)


def days_found(f: InvoiceFilter) -> QueryString:
    """`day_matches` for a scan of the calendar. The trigram index reads a list of days per
    trigram of the pattern, and a month's name is in every day of that month in every year:
    `december 2022` reads some 60,000 entries. So the index is given the query's longest run of
    digits (`2022`: 365 days' worth), which every matching day's text contains too, and the
    whole query is tested on the days it finds (`IS TRUE` keeps it off the index)."""
    runs = sorted(_DIGITS.findall(f.text), key=len)
    if not runs or len(runs[-1]) < TRIGRAM or len(runs[-1]) == len(f.text):
        return day_matches(f)
    return q("d.key LIKE {} AND ({}) IS TRUE", contains_pattern(runs[-1]), day_matches(f))


def parts(
    f: InvoiceFilter,
    customer_ids: Sequence[UUID] | None,
    days: Sequence[dt.date] | None,
    hashed: tuple[bool, bool] = (False, False),
    since: dt.date | None = None,
) -> Parts:
    """Each part as a condition on `invoices i`: `customer_ids` and `days` list the matches,
    [] for none, None for many (not listed). `hashed` (customers, days): a walk that reads
    many rows tests many customers or days against their set, read once, instead of a lookup
    per row. `since`: the walk reads no row dated before it, so the hashed customers are only
    those with an invoice dated on or after it (their kept `newest` bound)."""
    others: list[QueryString] = []
    walked: list[QueryString] = []
    matches = customer_matches(f.pattern, "k")
    customers_hashed = q(
        "i.customer_id IN (SELECT k.customer_id FROM invoice_customer_counts k WHERE {})",
        matches if since is None else q("{} AND k.newest >= {}", matches, since),
    )
    customer_lookup = q(
        "(SELECT {} FROM customers c WHERE c.id = i.customer_id)", customer_matches(f.pattern)
    )
    if customer_ids is None:
        others.append(customers_hashed)
        walked.append(customers_hashed if hashed[0] else customer_lookup)
    elif customer_ids:
        others.append(q("i.customer_id = ANY({}::uuid[])", list(customer_ids)))
        long = len(customer_ids) > SHORT_LIST
        walked.append(
            customers_hashed if long and hashed else customer_lookup if long else others[-1]
        )
    days_hashed = q("i.date IN (SELECT d.day FROM search_days d WHERE {})", days_found(f))
    day_lookup = q("(SELECT {} FROM search_days d WHERE d.day = i.date)", day_matches(f))
    if days is None:
        others.append(days_hashed)
        walked.append(days_hashed if hashed[1] else day_lookup)
    elif days:
        others.append(q("i.date = ANY({}::date[])", list(days)))
        long = len(days) > SHORT_LIST
        walked.append(days_hashed if long and hashed[1] else day_lookup if long else others[-1])
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
