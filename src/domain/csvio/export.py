"""Streamed CSV exports: PostgreSQL writes the CSV (COPY ... TO STDOUT) and it flows out in
chunks as it is produced, so a million rows never sit in memory at once. Lines end in CRLF
(RFC 4180): see LineEnds."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

from piccolo.querystring import QueryString

from src.db import DB
from src.domain import calendar
from src.domain.csvio.columns import CUSTOMER_COLUMNS, INVOICE_COLUMNS, Column, select_list
from src.domain.customers.repository import customer_matches
from src.domain.customers.search import parse_customer_query
from src.domain.errors import TooLargeError
from src.domain.invoices.pages import status_filter
from src.domain.invoices.repository import InvoiceRepository
from src.domain.sql import q

CRLF = b"\r\n"
# Chunks go out once this much is ready (or sooner, when the database has nothing more yet).
CHUNK_BYTES = 64 * 1024
# Chunks produced but not yet sent: the bound that keeps memory flat behind a slow client.
QUEUED_CHUNKS = 8
# One COPY may take long for a big export read by a slow client; not the API's 10 s timeout.
COPY_TIMEOUT = 3600.0


def header(columns: tuple[Column, ...]) -> bytes:
    return (",".join(c.header for c in columns)).encode() + CRLF


class LineEnds:
    """Turns the LF that ends each line of PostgreSQL's CSV output into CRLF (RFC 4180), and
    leaves a line break inside a quoted value as it was typed. A quote toggles "inside a
    value" (a doubled quote toggles twice), so the state carries over from chunk to chunk."""

    def __init__(self) -> None:
        self.quoted = False

    def __call__(self, chunk: bytes) -> bytes:
        if b'"' not in chunk:
            return chunk if self.quoted else chunk.replace(b"\n", CRLF)
        parts = chunk.split(b'"')
        for n in range(len(parts)):
            if not self.quoted:
                parts[n] = parts[n].replace(b"\n", CRLF)
            if n < len(parts) - 1:
                self.quoted = not self.quoted
        return b'"'.join(parts)


async def invoice_match(query: str, status: str | None) -> QueryString:
    """The invoices list's own search (and the status filter), as a condition over `i`."""
    where = await InvoiceRepository().matching(query)
    only = status_filter(status, calendar.today())  # the list's own rule, overdue included
    return q("({}) AND ({})", where, only) if only is not None else where


async def invoices_sql(query: str, status: str | None) -> QueryString:
    return q(
        f"SELECT {select_list(INVOICE_COLUMNS)}"
        " FROM invoices i JOIN customers c ON c.id = i.customer_id"
        " WHERE {} ORDER BY i.date DESC, i.id DESC",
        await invoice_match(query, status),
    )


def customers_sql(query: str) -> QueryString:
    """Every customer the customers list's search matches, by name, with their totals (as the
    list's: paid is what live payments cover, pending the balances)."""
    parsed = parse_customer_query(query)
    where = q("TRUE") if parsed.everything else customer_matches(parsed.pattern)
    return q(
        f"SELECT {select_list(CUSTOMER_COLUMNS)} FROM customers c"
        " CROSS JOIN LATERAL ("
        "   SELECT count(*) AS invoice_count,"
        "          coalesce(sum(i.amount - i.amount_paid), 0) AS total_pending,"
        "          coalesce(sum(i.amount_paid), 0) AS total_paid"
        "     FROM invoices i WHERE i.customer_id = c.id) t"
        " WHERE {} ORDER BY c.name, c.id",
        where,
    )


@contextlib.asynccontextmanager
async def _connection() -> AsyncIterator[tuple[Any, bool]]:
    """The current transaction's connection (tests), else one of the pool's for the export;
    and whether the export may close it (a COPY cut off midway leaves a connection unusable)."""
    current = DB.current_transaction.get()
    if current is not None:
        yield current.connection, False
    elif DB.pool is not None:
        async with DB.pool.acquire() as connection:
            yield connection, True
    else:
        connection = await DB.get_new_connection()
        try:
            yield connection, True
        finally:
            if not connection.is_closed():
                await connection.close()


async def stream_csv(columns: tuple[Column, ...], sql: QueryString) -> AsyncIterator[bytes]:
    """The header row at once, then the rows of `sql` as CSV in chunks of about CHUNK_BYTES."""
    yield header(columns)
    line_ends = LineEnds()
    query, args = sql.compile_string(engine_type="postgres")
    queue: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue(QUEUED_CHUNKS)
    async with _connection() as (connection, closable):

        async def produce() -> None:
            try:
                async with connection.transaction():
                    # The pool's per-request time budget (statement_timeout) would cancel a
                    # big export, or one read by a slow client, midway: this COPY has its own.
                    await connection.execute(
                        f"SET LOCAL statement_timeout = {int(COPY_TIMEOUT * 1000)}"
                    )
                    await connection.copy_from_query(
                        query, *args, output=queue.put, format="csv", timeout=COPY_TIMEOUT
                    )
            except Exception as exc:  # handed to the reader, which raises it
                await queue.put(exc)
                return
            await queue.put(None)

        producer = asyncio.create_task(produce())
        try:
            pending: list[bytes] = []
            size = 0
            while True:
                item = await queue.get()
                if isinstance(item, BaseException):
                    raise item
                if item is None:
                    break
                pending.append(line_ends(item))
                size += len(item)
                if size >= CHUNK_BYTES or queue.empty():
                    yield b"".join(pending)
                    pending, size = [], 0
            if pending:
                yield b"".join(pending)
        finally:
            if not producer.done():
                # The client went away mid-export: stop the COPY, and never hand the
                # connection back to the pool in the middle of one.
                producer.cancel()
                with contextlib.suppress(BaseException):
                    await producer
                if closable:
                    connection.terminate()


async def collect(
    chunks: AsyncIterator[bytes],
    limit: int,
    message: str,
    measure: Callable[[bytes], int] = len,
) -> bytes:
    """The whole export in memory, or TooLargeError once the chunks `measure` over `limit`."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += measure(chunk)
        if size > limit:
            await chunks.aclose()  # type: ignore[attr-defined]
            raise TooLargeError(message)
        parts.append(chunk)
    return b"".join(parts)


def file_name(kind: str, today: dt.date) -> str:
    return f"{kind}-{today.isoformat()}.csv"
