"""Imports and exports while others write: the dashboard totals still equal SUM/COUNT, no 5xx."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import asyncpg
import httpx
import pytest

from scripts.concurrency import DEMO, run
from tests.support import create_database, drop_database, report, serve

SECONDS = 6.0


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database_url = create_database("acme_csv_concurrency")
    log = tmp_path_factory.mktemp("csv-concurrency") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            yield url, database_url
    finally:
        drop_database(database_url)


async def _csv_traffic(url: str, seconds: float) -> dict[int, int]:
    """Imports (customers, then their invoices) and full exports, over and over."""
    statuses: dict[int, int] = {}
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        token = (await client.post("/api/auth/login", json=DEMO)).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        deadline = time.monotonic() + seconds
        round_ = 0
        while time.monotonic() < deadline:
            round_ += 1
            customers = "name,email\n" + "".join(
                f"Importer {round_}-{n},imp{round_}-{n}@csv.example\n" for n in range(200)
            )
            invoices = "date,customer_email,amount,status\n" + "".join(
                f"2024-03-{1 + n % 28:02d},imp{round_}-{n % 200}@csv.example,{n + 1}.25,"
                f"{'paid' if n % 3 else 'pending'}\n"
                for n in range(600)
            )
            headers = {"Content-Type": "text/csv"}
            for path, body in (
                ("/api/imports/customers", customers),
                ("/api/imports/invoices", invoices),
            ):
                response = await client.post(path, content=body, headers=headers)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            export = await client.get("/api/exports/invoices.csv")
            statuses[export.status_code] = statuses.get(export.status_code, 0) + 1
    return statuses


def test_imports_and_exports_among_writers_keep_the_totals(
    busy_server: tuple[str, str],
) -> None:
    url, database_url = busy_server

    async def both() -> tuple[object, dict[int, int]]:
        return await asyncio.gather(run(url, database_url, 6, SECONDS), _csv_traffic(url, SECONDS))

    outcome, statuses = asyncio.run(both())
    report(f"CSV among writers for {SECONDS:.0f} s: answers {statuses}")
    assert statuses.get(200, 0) >= 3  # at least one full round went in
    assert set(statuses) <= {200, 409}, statuses
    assert outcome.server_errors == []  # type: ignore[attr-defined]
    assert outcome.orphans == 0  # type: ignore[attr-defined]
    # Read once everyone has finished (the writers' own check can run while an import commits).
    cards, actual = asyncio.run(_totals(url, database_url))
    assert cards == actual


async def _totals(url: str, database_url: str) -> tuple[dict[str, int], dict[str, int]]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        token = (await client.post("/api/auth/login", json=DEMO)).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        cards = (await client.get("/api/dashboard")).json()["cards"]
    connection = await asyncpg.connect(database_url)
    try:
        row = await connection.fetchrow(
            # Collected: what live payments cover; Pending: the balances (partial payments too).
            "SELECT coalesce(sum(amount_paid), 0) AS collected,"
            " coalesce(sum(amount - amount_paid), 0) AS pending,"
            " count(*) AS invoice_count, (SELECT count(*) FROM customers) AS customer_count"
            " FROM invoices"
        )
    finally:
        await connection.close()
    actual = {
        "collected": row["collected"],
        "pending": row["pending"],
        "invoiceCount": row["invoice_count"],
        "customerCount": row["customer_count"],
    }
    return cards, actual
