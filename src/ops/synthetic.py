"""A large, deterministic synthetic data set (`python -m src.ops.cli seed-large`) for benchmarks.

Every synthetic customer has an email under SYNTHETIC_DOMAIN; that is how a run recognises the rows
it may replace, and how it refuses a database that holds anything else (unless forced). The demo
data (PRODUCT.md §2) and the demo user stay, so the demo login keeps working.

Rows (built in synthetic_data.py) are loaded with COPY on plain asyncpg connections, in
batches. The statement-level triggers keep the running totals with one update per COPY.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import asyncpg

from src.ops.seed import CUSTOMERS, INVOICES, invoice_id
from src.ops.synthetic_data import (
    SYNTHETIC_DOMAIN,
    Batch,
    synthetic_customers,
    synthetic_invoices,
    with_lifecycle,
)

DEMO_CUSTOMER_IDS = [uuid.UUID(cid) for cid, *_ in CUSTOMERS]
DEMO_INVOICE_IDS = [invoice_id(i) for i in range(len(INVOICES))]
CUSTOMER_COLUMNS = ("id", "name", "email", "email_key", "image_url", "created_at", "updated_at")
INVOICE_COLUMNS = ("id", "customer_id", "amount", "status", "date", "created_at", "updated_at")
# What is loaded: the synthetic rows plus their number, due date and paid sum (the lifecycle).
LOADED_COLUMNS = (*INVOICE_COLUMNS, "number", "due_date", "amount_paid")
PAYMENT_COLUMNS = ("invoice_id", "amount", "date", "method", "created_at")
# What the invoice triggers keep beside the rows (issue 18's counts and sample, the overview's).
KEPT_TABLES = (
    "invoice_customer_counts",
    "invoice_day_counts",
    "invoice_amount_counts",
    "invoice_sample",
    "invoice_open_due",
    "invoice_open_due_months",
    "invoice_summary",
)
# The load leaves the customers' newest-invoice bounds to this one statement at its end (the
# trigger skips them in sessions with `acme.newest_later` on: migration 2026-11-30T09:00:01).
# `greatest`: a writer through the API meanwhile may have raised a bound past the load's rows.
RAISE_NEWEST = """
    UPDATE invoice_customer_counts k SET newest = greatest(k.newest, m.newest)
      FROM (SELECT customer_id, max(date) AS newest FROM invoices GROUP BY customer_id) m
     WHERE k.customer_id = m.customer_id AND (k.newest IS NULL OR k.newest < m.newest)
"""

Progress = Callable[[int], None]


class NotSyntheticError(Exception):
    """The database holds rows that this command did not make (and --force was not given)."""


@dataclass(frozen=True)
class SeedResult:
    customers: int
    invoices: int
    seconds: float


def progress_bar(total: int, label: str = "seeding") -> Progress:
    """A one-line progress bar on stderr; returns a function taking the number of rows done."""
    started = time.perf_counter()
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        width = 30
        filled = width * done // max(total, 1)
        line = (
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{done:>9,}/{total:,} rows  {time.perf_counter() - started:5.1f}s"
        )
        sys.stderr.write(line + ("\n" if done >= total else ""))
        sys.stderr.flush()

    return advance


async def foreign_rows(conn: asyncpg.Connection) -> int:
    """How many customers/invoices are neither demo data nor synthetic."""
    value = await conn.fetchval(
        """
        SELECT (SELECT count(*) FROM customers
                 WHERE email NOT LIKE '%@' || $1 AND id <> ALL($2::uuid[]))
             + (SELECT count(*) FROM invoices
                 WHERE customer_id = ANY($2::uuid[]) AND id <> ALL($3::uuid[]))
        """,
        SYNTHETIC_DOMAIN,
        DEMO_CUSTOMER_IDS,
        DEMO_INVOICE_IDS,
    )
    return int(value)


async def _clear(conn: asyncpg.Connection, foreign: int) -> None:
    """Remove earlier synthetic rows (the demo rows are put back after a TRUNCATE)."""
    if foreign == 0:
        # Only demo + synthetic rows: TRUNCATE is instant, then the demo rows are copied back.
        customers = await conn.fetch(
            f"SELECT {', '.join(CUSTOMER_COLUMNS)} FROM customers WHERE id = ANY($1::uuid[])",
            DEMO_CUSTOMER_IDS,
        )
        invoices = await conn.fetch(
            f"SELECT {', '.join(LOADED_COLUMNS)} FROM invoices WHERE id = ANY($1::uuid[])",
            DEMO_INVOICE_IDS,
        )
        payments = await conn.fetch(
            "SELECT * FROM payments WHERE invoice_id = ANY($1::uuid[])", DEMO_INVOICE_IDS
        )
        await conn.execute("TRUNCATE payments, invoices, customers, deleted_invoice_numbers")
        await conn.copy_records_to_table(
            "customers", records=[tuple(r) for r in customers], columns=CUSTOMER_COLUMNS
        )
        if invoices:
            await conn.copy_records_to_table(
                "invoices", records=[tuple(r) for r in invoices], columns=LOADED_COLUMNS
            )
        if payments:
            await conn.copy_records_to_table(
                "payments", records=[tuple(r) for r in payments], columns=list(payments[0].keys())
            )
        # Numbering restarts after the demo's; the numbers below it that no invoice holds
        # any more are recorded as deleted, as a deletion would have.
        await conn.execute(
            "UPDATE invoice_numbers SET last_number ="
            " (SELECT coalesce(max(number), 0) FROM invoices) WHERE id"
        )
        await conn.execute(
            "INSERT INTO deleted_invoice_numbers (number, invoice_id)"
            " SELECT n, '00000000-0000-0000-0000-000000000000' FROM generate_series(1,"
            " (SELECT last_number FROM invoice_numbers)) n"
            " WHERE NOT EXISTS (SELECT 1 FROM invoices WHERE number = n)"
        )
        return
    synthetic = "SELECT id FROM customers WHERE email LIKE '%@' || $1"
    # Invoices first, in one statement: the cascade would delete them one customer at a time.
    await conn.execute(f"DELETE FROM invoices WHERE customer_id IN ({synthetic})", SYNTHETIC_DOMAIN)
    await conn.execute("DELETE FROM customers WHERE email LIKE '%@' || $1", SYNTHETIC_DOMAIN)


async def seed_large(
    dsn: str,
    invoices: int = 1_000_000,
    customers: int = 100_000,
    force: bool = False,
    progress: Progress | None = None,
) -> SeedResult:
    """Replace the synthetic rows with `customers` customers and `invoices` invoices.

    The customers (and the removal of earlier synthetic rows) are one transaction; the invoices
    are then copied over two connections, as the server's index upkeep is the slow part.
    """
    started = time.perf_counter()
    settings = {
        "timezone": "UTC",
        "synchronous_commit": "off",
        "work_mem": "64MB",
        "acme.newest_later": "on",
    }
    conns = [await asyncpg.connect(dsn, server_settings=settings) for _ in range(2)]
    try:
        main = conns[0]
        foreign = await foreign_rows(main)
        if foreign and not force:
            raise NotSyntheticError(
                f"the database holds {foreign:,} customers/invoices that are neither demo nor"
                " synthetic data; use --force to add the synthetic data anyway"
            )
        async with main.transaction():
            await _clear(main, foreign)
            rows = synthetic_customers(customers)
            await main.copy_records_to_table("customers", records=rows, columns=CUSTOMER_COLUMNS)
        if progress:
            progress(len(rows))
        ids = [r[0] for r in rows]
        if ids and invoices:
            # The numbers are taken at once (committed), so invoices made meanwhile through the
            # API get numbers after them, never the same ones.
            first = await main.fetchval(
                "UPDATE invoice_numbers SET last_number = last_number + $1 WHERE id"
                " RETURNING last_number - $1 + 1",
                invoices,
            )
            numbered = with_lifecycle(synthetic_invoices(ids, invoices), int(first))
            try:
                await _copy_invoices(conns, numbered, progress)
            finally:  # also for the batches a failed load did commit
                await main.execute(RAISE_NEWEST)
        # The kept tables too, rewritten compactly (FULL): each batch's trigger and the bounds'
        # raise rewrote their rows, which left the per-customer table at 2.4x its size (344 MB
        # instead of 144 at 10M) and every customer search reading that many more pages (`lee`
        # within overdue: 54 ms, 25 once compact); and a partial index of the trigger's
        # (customers not yet keyed) kept every dead entry until a vacuum, which made each later
        # write scan them (248 ms per invoice create at 10M, 3 ms after).
        for table in ("customers", "invoices", "payments"):
            await main.execute(f"VACUUM (ANALYZE) {table}")
        for table in KEPT_TABLES:
            await main.execute(f"VACUUM (FULL, ANALYZE) {table}")
    finally:
        for conn in conns:
            await conn.close()
    return SeedResult(
        customers=customers,
        invoices=invoices if customers else 0,
        seconds=time.perf_counter() - started,
    )


async def _copy_invoices(
    conns: list[asyncpg.Connection],
    batches: Iterator[Batch],
    progress: Progress | None,
) -> None:
    """COPY batches over all connections at once, each batch committed on its own.

    The summary triggers update one row, so concurrent transactions would wait for each other;
    with a commit per batch that wait is only the few microseconds of the summary update.
    A failed run leaves some synthetic invoices behind; the next run replaces them.
    """
    queue: asyncio.Queue[Batch | None] = asyncio.Queue(maxsize=len(conns))

    failures: list[BaseException] = []

    async def load(conn: asyncpg.Connection) -> None:
        while (batch := await queue.get()) is not None:
            if failures:
                continue  # keep draining so the producer never blocks
            invoices, payments = batch
            try:
                await conn.copy_records_to_table(
                    "invoices", records=invoices, columns=LOADED_COLUMNS
                )
                await conn.copy_records_to_table(
                    "payments", records=payments, columns=PAYMENT_COLUMNS
                )
            except Exception as exc:  # re-raised below, once every loader is done
                failures.append(exc)
            else:
                if progress:
                    progress(len(invoices))

    loaders = [asyncio.ensure_future(load(conn)) for conn in conns]
    # Rows are built in a thread, so the event loop keeps every COPY stream fed meanwhile.
    while not failures and (batch := await asyncio.to_thread(next, batches, None)) is not None:
        await queue.put(batch)
    for _ in loaders:
        await queue.put(None)
    await asyncio.gather(*loaders)
    if failures:
        raise failures[0]
