"""`make import ARGS='customers FILE'` and `make export ARGS='invoices FILE'`: CSV files of any
size, streamed from and to disk (the API takes at most 5 MB and, on Lambda, sends at most 5 MB)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from src.domain.csvio.columns import CUSTOMER_COLUMNS, INVOICE_COLUMNS
from src.domain.csvio.export import customers_sql, invoices_sql, stream_csv
from src.domain.csvio.imports import ImportReport, Kind, import_csv
from src.domain.errors import RowsRejectedError

READ_BYTES = 1024 * 1024
SHOWN_ERRORS = 50
KINDS: tuple[Kind, ...] = ("customers", "invoices")


def progress_bar(total: int, label: str, out: IO[str] = sys.stderr) -> Callable[[int], None]:
    """A one-line progress bar over the bytes of a file; returns a function taking bytes done."""
    started = time.perf_counter()
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        width = 30
        filled = width * done // max(total, 1)
        out.write(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done / 1e6:7.1f}/"
            f"{total / 1e6:.1f} MB  {time.perf_counter() - started:5.1f}s"
            + ("\n" if done >= total else "")
        )
        out.flush()

    return advance


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(READ_BYTES):
            yield chunk


async def import_file(
    kind: Kind, path: Path, size: int, dry_run: bool, out: IO[str] = sys.stdout
) -> bool:
    """Import `path`; prints the outcome (and the first failing lines); True when it went in."""
    started = time.perf_counter()
    bar = progress_bar(size, "checking" if dry_run else "importing")
    try:
        report: ImportReport = await import_csv(kind, _chunks(path), dry_run, bar)
    except RowsRejectedError as exc:
        rejected: ImportReport = exc.report  # type: ignore[assignment]
        out.write(f"{rejected.detail}\n")
        for error in rejected.errors[:SHOWN_ERRORS]:
            column = f" [{error.column}]" if error.column else ""
            out.write(f"  line {error.line}{column}: {error.message}\n")
        if rejected.error_count > SHOWN_ERRORS:
            out.write(f"  ... and {rejected.error_count - SHOWN_ERRORS:,} more\n")
        return False
    out.write(f"{report.detail} ({report.rows:,} rows in {time.perf_counter() - started:.1f}s)\n")
    return True


async def export_file(kind: Kind, path: Path, query: str, status: str | None) -> int:
    """Write the export of `kind` to `path`; returns the bytes written."""
    if kind == "invoices":
        chunks = stream_csv(INVOICE_COLUMNS, await invoices_sql(query, status))
    else:
        chunks = stream_csv(CUSTOMER_COLUMNS, customers_sql(query))
    written = 0
    with path.open("wb") as file:
        async for chunk in chunks:
            file.write(chunk)
            written += len(chunk)
    return written
