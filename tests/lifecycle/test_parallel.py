"""Against a real server with real concurrency: bursts of payments, creates and retries."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.support import create_database, drop_database, report, serve

DEMO = {"email": "user@nextmail.com", "password": "123456"}
EVIL_RABBIT = "d6e15727-9fe1-4961-8c5b-ea44a9bd81aa"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    database_url = create_database("acme_parallel")
    log = tmp_path_factory.mktemp("parallel") / "server.log"
    try:
        # One client holding 100 requests at once is the point here: lift the per-client bound
        # (tests/ops/test_concurrency.py covers that bound) so the row locks alone are measured.
        with serve(database_url, log, CLIENT_MAX_IN_FLIGHT="1000") as (url, _):
            yield url, database_url
    finally:
        drop_database(database_url)


async def _client(url: str) -> httpx.AsyncClient:
    async with httpx.AsyncClient(base_url=url, timeout=60) as anonymous:
        token = (await anonymous.post("/api/auth/login", json=DEMO)).json()["token"]
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    return httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, limits=limits, timeout=60
    )


async def _burst_of_payments(url: str, database_url: str) -> tuple[Counter[int], int, int]:
    async with await _client(url) as http:
        created = await http.post(
            "/api/invoices", json={"customerId": EVIL_RABBIT, "amount": 5000, "status": "pending"}
        )
        invoice = created.json()["id"]
        # 100 payments of $1.00 on a $50.00 invoice: exactly 50 can be accepted.
        answers = await asyncio.gather(
            *(
                http.post(
                    f"/api/invoices/{invoice}/payments", json={"amount": 100, "method": "cash"}
                )
                for _ in range(100)
            )
        )
        status = (await http.get(f"/api/invoices/{invoice}")).json()["status"]
    conn = await asyncpg.connect(database_url)
    try:
        paid = await conn.fetchval(
            "SELECT coalesce(sum(amount), 0) FROM payments"
            " WHERE invoice_id = $1 AND voided_at IS NULL",
            uuid.UUID(invoice),
        )
        kept = await conn.fetchval(
            "SELECT amount_paid FROM invoices WHERE id = $1", uuid.UUID(invoice)
        )
    finally:
        await conn.close()
    assert status == "paid"
    return Counter(a.status_code for a in answers), int(paid), int(kept)


def test_100_parallel_payments_never_overpay(server: tuple[str, str]) -> None:
    statuses, paid, kept = asyncio.run(_burst_of_payments(*server))
    report(f"parallel payments: 100 x $1.00 on a $50.00 invoice -> {dict(statuses)}")
    assert statuses == Counter({201: 50, 409: 50})
    assert paid == kept == 5000


async def _burst_of_creates(url: str, database_url: str) -> tuple[Counter[int], list[int], int]:
    async with await _client(url) as http:
        bodies = [
            # Every third one names a customer that does not exist: it fails after taking a
            # number inside its transaction, which must give the number back.
            {
                "customerId": EVIL_RABBIT if n % 3 else str(uuid.uuid4()),
                "amount": 100 + n,
                "status": "paid" if n % 2 else "pending",
            }
            for n in range(90)
        ]
        answers = await asyncio.gather(*(http.post("/api/invoices", json=b) for b in bodies))
    conn = await asyncpg.connect(database_url)
    try:
        numbers = [r["number"] for r in await conn.fetch("SELECT number FROM invoices ORDER BY 1")]
        last = await conn.fetchval("SELECT last_number FROM invoice_numbers")
        retired = await conn.fetchval("SELECT count(*) FROM deleted_invoice_numbers")
    finally:
        await conn.close()
    assert retired == 0
    return Counter(a.status_code for a in answers), numbers, int(last)


def test_parallel_and_failed_creates_leave_no_gap(server: tuple[str, str]) -> None:
    statuses, numbers, last = asyncio.run(_burst_of_creates(*server))
    report(f"parallel creates: 90 at once (30 failing) -> {dict(statuses)}; numbers 1..{last}")
    assert statuses == Counter({201: 60, 400: 30})
    assert numbers == list(range(1, last + 1))  # unique, and no number skipped


async def _burst_of_retries(url: str, database_url: str) -> tuple[Counter[int], int, set[str]]:
    key = {"Idempotency-Key": f"burst-{uuid.uuid4()}"}
    body = {"customerId": EVIL_RABBIT, "amount": 777_77, "status": "pending"}
    async with await _client(url) as http:
        answers = await asyncio.gather(
            *(http.post("/api/invoices", json=body, headers=key) for _ in range(100))
        )
    conn = await asyncpg.connect(database_url)
    try:
        made = await conn.fetchval("SELECT count(*) FROM invoices WHERE amount = 77777")
    finally:
        await conn.close()
    ids = {a.json()["id"] for a in answers if a.status_code == 201}
    return Counter(a.status_code for a in answers), int(made), ids


def test_100_parallel_identical_requests_with_one_key_create_one(server: tuple[str, str]) -> None:
    statuses, made, ids = asyncio.run(_burst_of_retries(*server))
    report(f"idempotent burst: 100 identical creates with one key -> {dict(statuses)}, {made} made")
    assert statuses == Counter({201: 100})
    assert made == 1
    assert len(ids) == 1


def test_log_is_clean(server: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> None:
    logs = list(Path(tmp_path_factory.getbasetemp()).glob("parallel*/server.log"))
    assert logs
    text = logs[0].read_text(errors="replace").lower()
    assert "deadlock" not in text
    assert "traceback" not in text
