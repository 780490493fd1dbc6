"""The export streams: a real server sends an export several times larger than the growth of
its peak memory (the benchmark, scripts/bench_csv.py, measures the 1,000,000-row case)."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from src.ops.seed import DEMO_USER
from src.ops.synthetic import seed_large
from tests.support import create_database, drop_database, off_loop, report, serve

ROWS = 150_000
BUDGET_MS = 1000  # the server's statement_timeout for a request
TIGHT_BUDGET_MS = 100  # the shortest budget the settings allow; no export of ROWS fits in it


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
    # A short per-request time budget, which an export outlives.
    with _one_connection_server(big_database, tmp_path_factory, BUDGET_MS) as (base, process):
        # The bulk path of `make seed-large` (COPY in batches): row by row, the invoice triggers
        # made this seed take minutes on a slow machine.
        off_loop(asyncio.run, seed_large(big_database, invoices=ROWS, customers=1_000))
        yield base, process.pid


@contextmanager
def _one_connection_server(
    url: str, tmp_path_factory: pytest.TempPathFactory, budget_ms: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A server with one pooled connection (a connection left broken by an abandoned export
    would be the one the next request gets) and a per-request time budget of `budget_ms`."""
    folder = tmp_path_factory.mktemp("server")
    with serve(
        url,
        folder / "server.log",
        LOG_LEVEL="WARNING",
        DB_POOL_MIN="1",
        DB_POOL_MAX="1",
        DB_STATEMENT_TIMEOUT_MS=str(budget_ms),
    ) as served:
        yield served


async def _log_in(client: httpx.AsyncClient) -> None:
    login = {"email": DEMO_USER["email"], "password": DEMO_USER["password"]}
    token = (await client.post("/api/auth/login", json=login)).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"


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
        await _log_in(client)
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
        await _log_in(client)
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


@pytest.fixture(scope="module")
def tight_server(
    big_database: str, big_server: tuple[str, int], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The same data behind a server whose per-request time budget is far shorter than one
    export of it takes (the big_server fixture has seeded the database by now)."""
    with _one_connection_server(big_database, tmp_path_factory, TIGHT_BUDGET_MS) as (base, _):
        yield base


async def test_an_export_outlives_the_per_request_time_budget(tight_server: str) -> None:
    """The export's COPY runs far past the statement_timeout every request has, and the whole
    export still arrives (the pool's budget once cancelled it midway); the server's one pooled
    connection serves the next request with its budget as before."""
    async with httpx.AsyncClient(base_url=tight_server, timeout=120) as client:
        await _log_in(client)
        started = time.perf_counter()
        exported = await client.get("/api/exports/invoices.csv")
        elapsed_ms = (time.perf_counter() - started) * 1000
        after = await client.get("/api/invoices", params={"page": 1})
    assert exported.status_code == 200
    assert exported.content.count(b"\n") == ROWS + 13 + 1
    # Meaningful only if the export took longer than the budget it outlived.
    assert elapsed_ms > TIGHT_BUDGET_MS, elapsed_ms
    assert after.status_code == 200
