"""The export streams: a real server sends an export several times larger than the growth of
its peak memory (the benchmark, scripts/bench_csv.py, measures the 1,000,000-row case)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from src.ops.seed import DEMO_USER
from tests.support import create_database, drop_database, off_loop, report, serve

ROWS = 150_000
BUDGET_MS = 1000  # the server's statement_timeout for a request


async def _seed(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "INSERT INTO customers (name, email, email_key)"
            " SELECT 'Customer ' || n, 'c' || n || '@memory.example', 'c' || n || '@memory.example'"
            " FROM generate_series(1, 1000) n"
        )
        await conn.execute(
            "INSERT INTO invoices (customer_id, amount, status, date)"
            " SELECT c.ids[1 + n % 1000], 100 + n % 99999,"
            "        CASE WHEN n % 2 = 0 THEN 'paid' ELSE 'pending' END,"
            "        DATE '2020-01-01' + n % 2000"
            " FROM generate_series(1, $1) n,"
            "      (SELECT array_agg(id) AS ids FROM customers"
            "        WHERE email LIKE '%@memory.example') c",
            ROWS,
        )
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def big_database() -> Iterator[str]:
    url = off_loop(create_database, "acme_memory")
    try:
        yield url
    finally:
        off_loop(drop_database, url)


@pytest.fixture(scope="module")
def big_server(
    big_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, int]]:
    url = big_database
    folder = tmp_path_factory.mktemp("memory")
    # One pooled connection: a connection left broken by an abandoned export would be the
    # one the next request gets. A short per-request time budget, which an export outlives.
    with serve(
        url,
        folder / "server.log",
        LOG_LEVEL="WARNING",
        DB_POOL_MIN="1",
        DB_POOL_MAX="1",
        DB_STATEMENT_TIMEOUT_MS=str(BUDGET_MS),
    ) as (base, process):
        off_loop(asyncio.run, _seed(url))
        yield base, process.pid


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(field)


def _reset_peak(pid: int) -> None:
    """Peak RSS (VmHWM) starts afresh from the current RSS (Linux: clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


async def test_export_memory_stays_flat(big_server: tuple[str, int]) -> None:
    base, pid = big_server
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
        token = (await client.post("/api/auth/login", json=login)).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        await client.get("/api/exports/invoices.csv", params={"query": "lee"})  # warm up
        before = _kb(pid, "VmRSS")
        _reset_peak(pid)
        size = lines = 0
        async with client.stream(
            "GET", "/api/exports/invoices.csv", headers={"Accept-Encoding": "identity"}
        ) as response:
            assert response.status_code == 200
            async for chunk in response.aiter_raw():
                size += len(chunk)
                lines += chunk.count(b"\n")
        growth_mb = (_kb(pid, "VmHWM") - before) / 1024
    assert lines == ROWS + 13 + 1  # the demo invoices, the header
    assert size > 9_000_000
    report(
        f"export of {lines - 1:,} invoices ({size / 1e6:.1f} MB): peak RSS grew {growth_mb:.1f} MB"
    )
    # Held in memory, the export alone would add its own size (9+ MB) to the peak.
    assert growth_mb < 4, growth_mb


async def test_an_abandoned_export_leaves_the_server_working(big_server: tuple[str, int]) -> None:
    """Clients that hang up mid-export, then requests on the server's one pooled connection.
    (A COPY cut off by a disconnect once left its connection busy in the pool; the failure
    depends on timing, so this guards the path rather than reproducing it every run.)"""
    base, _ = big_server
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
        token = (await client.post("/api/auth/login", json=login)).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        for _ in range(3):
            received = 0
            async with client.stream("GET", "/api/exports/invoices.csv") as response:
                async for chunk in response.aiter_raw():
                    received += len(chunk)
                    if received > 1_000_000:
                        break  # the client hangs up mid-COPY, most of the export unsent
        listed = await client.get("/api/invoices", params={"query": "lee"})
        assert listed.status_code == 200
        exported = await client.get("/api/exports/invoices.csv", params={"query": "lee"})
        assert exported.status_code == 200
        assert exported.content.count(b"\n") == listed.json()["total"] + 1


async def test_an_export_outlives_the_per_request_time_budget(
    big_server: tuple[str, int], big_database: str
) -> None:
    """A slow client: the export's COPY runs past the statement_timeout every request has, and
    the whole export still arrives (the pool's budget once cancelled it midway)."""
    base, _ = big_server
    watcher = await asyncpg.connect(big_database)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
            token = (await client.post("/api/auth/login", json=login)).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            lines = 0
            async with client.stream("GET", "/api/exports/invoices.csv") as response:
                chunks = response.aiter_raw()
                lines += (await anext(chunks)).count(b"\n")
                # Read nothing more until the COPY has been running longer than the budget.
                while not await watcher.fetchval(
                    "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname ="
                    " current_database() AND query LIKE 'COPY (SELECT%' AND state = 'active'"
                    " AND clock_timestamp() - query_start > $1 * interval '1 millisecond')",
                    BUDGET_MS * 3 // 2,
                ):
                    pass
                async for chunk in chunks:
                    lines += chunk.count(b"\n")
    finally:
        await watcher.close()
    assert lines == ROWS + 13 + 1
