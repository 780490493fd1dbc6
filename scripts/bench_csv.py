"""CSV export and import figures against the large data set (`make seed-large` first).

Starts `python -m src.ops.cli serve` on a free port against DATABASE_URL, logs in, and streams
GET /api/exports/invoices.csv and /api/exports/customers.csv: time to the first bytes and to the
first row, total time, size, rows, and how much the server's peak RSS grew while it streamed.
Then imports the exported customers (100,000 rows) with `python -m src.ops.cli import` into a
fresh, empty database on the same server, and prints that time. Targets (issue 16): invoices
export of 1,000,000 rows in <= 15 s, first bytes <= 200 ms, peak RSS growth <= 50 MB; 100,000
customer rows imported in <= 30 s.

    make bench-csv                 # or: python scripts/bench_csv.py [--invoices-import]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src.db import configure_database  # noqa: E402
from src.ops.seed import DEMO_USER  # noqa: E402
from src.settings import get_settings  # noqa: E402
from tests.support import create_database, drop_database, serve  # noqa: E402


def _status(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak(pid: int) -> None:
    """Start the peak RSS (VmHWM) afresh from the current RSS (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


@dataclass
class Export:
    path: str
    first_byte_ms: float
    first_row_ms: float
    seconds: float
    megabytes: float
    rows: int
    rss_before: float
    rss_growth: float


async def export(client: httpx.AsyncClient, pid: int, path: str) -> Export:
    rss_before = _status(pid, "VmRSS")
    reset_peak(pid)
    started = time.perf_counter()
    first_byte = first_row = 0.0
    size = lines = 0
    async with client.stream("GET", path, headers={"Accept-Encoding": "identity"}) as response:
        response.raise_for_status()
        async for chunk in response.aiter_raw():
            now = time.perf_counter()
            if not first_byte:
                first_byte = now
            lines += chunk.count(b"\n")
            if not first_row and lines >= 2:
                first_row = now
            size += len(chunk)
    seconds = time.perf_counter() - started
    growth = _status(pid, "VmHWM") - rss_before
    return Export(
        path,
        (first_byte - started) * 1000,
        (first_row - started) * 1000 if first_row else float("nan"),
        seconds,
        size / 1e6,
        lines - 1,
        rss_before,
        growth,
    )


def run_import(dsn: str, kind: str, path: Path) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": dsn, "APP_ENV": os.environ.get("APP_ENV", "test")}
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own CLI, our own arguments
        [sys.executable, "-m", "src.ops.cli", "import", kind, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"import failed:\n{result.stdout}\n{result.stderr[-2000:]}")
    return seconds, result.stdout.strip()


def migrate(dsn: str) -> None:
    env = {**os.environ, "DATABASE_URL": dsn, "APP_ENV": os.environ.get("APP_ENV", "test")}
    subprocess.run(
        [sys.executable, "-m", "src.ops.cli", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


async def export_phase(dsn: str, files: Path, invoices_too: bool) -> tuple[int, int, list[Export]]:
    conn = await asyncpg.connect(dsn)
    invoices = await conn.fetchval("SELECT invoice_count FROM invoice_summary")
    customers = await conn.fetchval("SELECT customer_count FROM invoice_summary")
    await conn.close()
    if invoices < 1_000_000:
        print(f"note: {invoices:,} invoices here; `make seed-large` loads the 1,000,000")
    exports: list[Export] = []
    with serve(dsn, files / "server.log", LOG_LEVEL="WARNING") as (base, server):
        async with httpx.AsyncClient(base_url=base, timeout=120) as client:
            login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
            token = (await client.post("/api/auth/login", json=login)).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            await client.get("/api/exports/customers.csv", params={"query": "lee"})  # warm
            for path in (
                "/api/exports/invoices.csv",
                "/api/exports/invoices.csv?query=paid",
                "/api/exports/invoices.csv?query=lee",
                "/api/exports/customers.csv",
            ):
                exports.append(await export(client, server.pid, path))
            (files / "customers.csv").write_bytes(
                (await client.get("/api/exports/customers.csv")).content
            )
            if invoices_too:
                async with client.stream("GET", "/api/exports/invoices.csv") as response:
                    with (files / "invoices.csv").open("wb") as out:
                        async for chunk in response.aiter_raw():
                            out.write(chunk)
    return invoices, customers, exports


def main(args: argparse.Namespace) -> None:
    dsn = configure_database(get_settings())
    with tempfile.TemporaryDirectory() as folder:
        files = Path(folder)
        customers_csv, invoices_csv = files / "customers.csv", files / "invoices.csv"
        invoices, customers, exports = asyncio.run(export_phase(dsn, files, args.invoices_import))
        fresh = create_database("acme_bench_import")
        try:
            migrate(fresh)
            import_seconds, import_line = run_import(fresh, "customers", customers_csv)
            invoice_import = None
            if args.invoices_import:
                invoice_import = run_import(fresh, "invoices", invoices_csv)
        finally:
            drop_database(fresh)

    print(f"\nCSV export and import ({invoices:,} invoices, {customers:,} customers)")
    heads = f"{'first B':>8} {'1st row':>8} {'total':>7} {'MB':>7} {'rows':>10} {'RSS+':>7}"
    print(f"{'export':42} {heads}")
    for e in exports:
        print(
            f"{e.path:42} {e.first_byte_ms:6.0f}ms {e.first_row_ms:6.0f}ms {e.seconds:6.2f}s"
            f" {e.megabytes:7.1f} {e.rows:10,} {e.rss_growth:5.1f}MB"
        )
    full = exports[0]
    print(
        f"targets: 1M invoices <= 15 s: {full.seconds:.1f} s; first bytes <= 200 ms:"
        f" {full.first_byte_ms:.0f} ms (first row {full.first_row_ms:.0f} ms);"
        f" peak RSS growth <= 50 MB: {full.rss_growth:.1f} MB (server RSS before"
        f" {full.rss_before:.0f} MB)"
    )
    print(
        f"import customers (CLI, fresh database): {import_seconds:.1f} s  [{import_line}]"
        f"  target <= 30 s for 100,000 rows"
    )
    if invoice_import:
        seconds, line = invoice_import
        print(f"import invoices (CLI, same database): {seconds:.1f} s  [{line}]")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--invoices-import", action="store_true", help="also import the 1M invoices (minutes)"
    )
    main(parser.parse_args())
