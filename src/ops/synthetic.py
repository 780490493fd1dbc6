"""A large, deterministic synthetic data set (`python -m src.ops.cli seed-large`) for benchmarks.

Every synthetic customer has an email under SYNTHETIC_DOMAIN; that is how a run recognises the rows
it may replace, and how it refuses a database that holds anything else (unless forced). The demo
data (PRODUCT.md §2) and the demo user stay, so the demo login keeps working.

Rows are loaded with COPY on a plain asyncpg connection, in batches, in one transaction. The
statement-level triggers keep the running totals with one update per COPY statement.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from src.domain.rules import FIRST_INVOICE_DATE, LAST_INVOICE_DATE
from src.domain.users.email import email_key
from src.ops.seed import CUSTOMERS, INVOICES, invoice_id

SYNTHETIC_DOMAIN = "synthetic.acme.test"
SEED = 20261126
# Dates spread over every day an invoice may have, so the date search is measured at its widest.
FIRST_DAY = FIRST_INVOICE_DATE
LAST_DAY = LAST_INVOICE_DATE
PAID_SHARE = 0.6
MIN_CENTS, MAX_CENTS = 500, 500_000  # $5.00 .. $5,000.00, log-uniform
BATCH = 50_000

_FIRST = """
Aaron Abigail Ada Adam Adrian Aisha Alan Albert Alejandro Alex Alice Amara Amelia Amir Amy Ana
Andre Andrea Andrew Angela Anna Anthony Arjun Arthur Ava Beatrice Benjamin Bianca Boris Brandon
Brian Bruno Caleb Camila Carlos Carmen Caroline Catherine Charles Charlotte Chen Chloe Chris
Clara Colleen Daniel David Deepa Diana Diego Dmitri Dorothy Edward Elena Eli Elijah Elizabeth
Ella Emily Emma Eric Ethan Eva Fatima Felix Fiona Francesca Frank Gabriel Grace Hannah Harper
Hassan Hector Helen Henry Hiro Hugo Ian Imani Ingrid Isaac Isabel Ivan Jack Jacob James Jasmine
Javier Jin John Jonas Jose Joseph Julia Kai Karen Kathleen Kenji Kevin Khalid Laila Laura Leah
Lee Leo Liam Lina Lucas Lucy Luis Maya Mei Mia Michael Miguel Mila Mohammed Naomi Nathan Nina
Noah Nora Olga Oliver Olivia Omar Oscar Paul Pedro Peter Priya Rachel Rafael Ravi Rebecca Ricardo
Robert Rosa Ryan Sakura Samuel Sara Sebastian Sofia Sophie Stefan Susan Taylor Thomas Tomas Uma
Valentina Victor Wei William Yara Yusuf Zara Zoe
"""

_LAST = """
Abbott Adams Ahmed Ali Alvarez Andersen Anderson Bailey Baker Banerjee Barnes Becker Bell
Bennett Bergstrom Bianchi Brooks Brown Bryant Burns Campbell Carter Castillo Chang Chen Clark
Cohen Collins Cook Cooper Costa Cruz Dang Davies Davis Diaz Dubois Edwards Evans Fischer Fisher
Flores Foster Fournier Garcia Gomez Gonzalez Gordon Graham Gray Green Gupta Hall Hansen Harris
Hayes Henderson Hernandez Hill Hoffmann Horvat Howard Hughes Ibrahim Ito Jackson James Jansen
Jensen Johansson Johnson Jones Kaur Keller Kelly Khan Kim King Klein Kowalski Kumar Larsen
Laurent Lee Lewis Lopez Martin Martinez Meyer Miller Mitchell Moore Morales Moreau Morgan
Morris Muller Murphy Nakamura Nelson Nguyen Novak Novotny Nowak Oconnor Okafor Oliveira Olsen
Orban Ortiz Park Parker Patel Perez Peterson Petrov Phillips Popescu Price Ramirez Reed Reyes
Richardson Rivera Roberts Robinson Rodriguez Rogers Romano Rossi Russell Sanchez Santos Sato
Schmidt Schneider Scott Shah Silva Singh Smith Sokolov Stewart Suzuki Tanaka Taylor Thomas
Thompson Torres Turner Walker Wang Ward Watson White Williams Wilson Wong Wright Wu Yamamoto
Yang Young Zhang Zimmermann
"""
FIRST_NAMES = _FIRST.split()
LAST_NAMES = _LAST.split()

DEMO_CUSTOMER_IDS = [uuid.UUID(cid) for cid, *_ in CUSTOMERS]
DEMO_INVOICE_IDS = [invoice_id(i) for i in range(len(INVOICES))]
CUSTOMER_COLUMNS = ("id", "name", "email", "email_key", "image_url", "created_at", "updated_at")
INVOICE_COLUMNS = ("id", "customer_id", "amount", "status", "date", "created_at", "updated_at")
# What is loaded: the synthetic rows plus their number, due date and paid sum (the lifecycle).
LOADED_COLUMNS = (*INVOICE_COLUMNS, "number", "due_date", "amount_paid")
PAYMENT_COLUMNS = ("invoice_id", "amount", "date", "method", "created_at")
TERMS = dt.timedelta(days=30)

Progress = Callable[[int], None]


class NotSyntheticError(Exception):
    """The database holds rows that this command did not make (and --force was not given)."""


@dataclass(frozen=True)
class SeedResult:
    customers: int
    invoices: int
    seconds: float


def _uuid(rng: random.Random) -> uuid.UUID:
    bits = rng.getrandbits(128)
    # Version 4, RFC 4122 variant: the same layout as uuid.uuid4(), from a seeded generator.
    bits = (bits & ~(0xF000 << 64)) | (0x4000 << 64)
    bits = (bits & ~(0xC000 << 48)) | (0x8000 << 48)
    return uuid.UUID(int=bits)


def _uuid7(rng: random.Random, millis: int) -> uuid.UUID:
    """A version 7 (time-ordered) id: rows written in date order append to the primary key
    instead of touching a random page of it for each row."""
    bits = (millis << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
    return uuid.UUID(int=bits | rng.getrandbits(62))


def synthetic_customers(count: int, seed: int = SEED) -> list[tuple[Any, ...]]:
    """Rows (id, name, email, email_key, image_url, created_at, updated_at) with unique
    emails (unique by their email_key: the names are ASCII, so lower-casing is folding)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    seen: dict[str, int] = {}
    created = dt.datetime.combine(FIRST_DAY, dt.time(9), tzinfo=dt.UTC)
    rows = []
    for _ in range(count):
        first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
        last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
        local = f"{first}.{last}".lower()
        n = seen.get(local, 0) + 1
        seen[local] = n
        email = f"{local}{n if n > 1 else ''}@{SYNTHETIC_DOMAIN}"
        rows.append(
            (_uuid(rng), f"{first} {last}", email, email_key(email), None, created, created)
        )
    return rows


def synthetic_invoices(
    customer_ids: Sequence[uuid.UUID], count: int, seed: int = SEED
) -> Iterator[list[tuple[Any, ...]]]:
    """Batches of invoice rows in date order (as they would have been written), 60 % paid."""
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible sample data
    span = (LAST_DAY - FIRST_DAY).days + 1
    offsets = sorted(int(rng.random() * span) for _ in range(count))
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(span)]
    stamps = [dt.datetime.combine(d, dt.time(12), tzinfo=dt.UTC) for d in days]
    epoch_ms = [int(s.timestamp() * 1000) for s in stamps]
    n_customers = len(customer_ids)
    ratio = MAX_CENTS / MIN_CENTS
    for start in range(0, count, BATCH):
        batch = []
        for n, offset in enumerate(offsets[start : start + BATCH], start):
            stamp = stamps[offset]
            batch.append(
                (
                    _uuid7(rng, epoch_ms[offset] + n),
                    customer_ids[int(rng.random() * n_customers)],
                    int(MIN_CENTS * ratio ** rng.random()),
                    "paid" if rng.random() < PAID_SHARE else "pending",
                    days[offset],
                    stamp,
                    stamp,
                )
            )
        yield batch


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
    settings = {"timezone": "UTC", "synchronous_commit": "off", "work_mem": "64MB"}
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
            numbered = _with_lifecycle(synthetic_invoices(ids, invoices), int(first))
            await _copy_invoices(conns, numbered, progress)
        await main.execute("VACUUM (ANALYZE) customers")
        await main.execute("VACUUM (ANALYZE) invoices")
        await main.execute("VACUUM (ANALYZE) payments")
    finally:
        for conn in conns:
            await conn.close()
    return SeedResult(
        customers=customers,
        invoices=invoices if customers else 0,
        seconds=time.perf_counter() - started,
    )


Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _with_lifecycle(batches: Iterator[list[tuple[Any, ...]]], first_number: int) -> Iterator[Batch]:
    """Each batch numbered from `first_number` on, due 30 days after its date, and each paid
    invoice with one payment of its amount on its date (what the migration gave old invoices)."""
    number = first_number
    for batch in batches:
        invoices, payments = [], []
        for row in batch:
            invoice_id, _, amount, status, date, created, _ = row
            paid = amount if status == "paid" else 0
            invoices.append((*row, number, date + TERMS, paid))
            if paid:
                payments.append((invoice_id, amount, date, "other", created))
            number += 1
        yield invoices, payments


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
