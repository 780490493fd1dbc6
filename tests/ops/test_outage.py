"""The database goes away mid-run and comes back: the app answers 503 quickly, then recovers
without a restart. Uses an embedded PostgreSQL server that the test stops and starts."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from src.db import embedded_server
from tests.support import create_database, drop_database, report, serve, with_database

DEMO = {"email": "user@nextmail.com", "password": "123456"}


@pytest.fixture
def own_database() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="acme-outage-"))
    folder.chmod(0o755)
    yield folder
    server = embedded_server(folder)
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


def test_outage_gives_quick_503s_and_the_app_recovers_alone(
    own_database: Path, tmp_path: Path
) -> None:
    server = embedded_server(own_database)
    dsn = str(server.get_uri())
    with (
        serve(dsn, tmp_path / "server.log") as (url, _),
        httpx.Client(base_url=url, timeout=15) as http,
    ):
        demo = {"email": "user@nextmail.com", "password": "123456"}
        token = http.post("/api/auth/login", json=demo).json()["token"]
        http.cookies.clear()  # a login with a session cookie would end that session
        # A second session, not used before the outage: checking it needs the database.
        unused = http.post("/api/auth/login", json=demo).json()["token"]
        http.cookies.clear()
        http.headers["Authorization"] = f"Bearer {token}"
        assert http.get("/api/dashboard").status_code == 200

        server.cleanup()  # the database stops
        started = time.monotonic()
        for path, bearer in (
            ("/api/dashboard", token),
            ("/api/invoices", token),
            ("/api/customers", token),
            ("/api/auth/me", unused),
        ):
            response = http.get(path, headers={"Authorization": f"Bearer {bearer}"})
            assert response.status_code == 503, (path, response.text)
            assert response.json() == {"detail": "Service temporarily unavailable."}
        ready = http.get("/ready")
        assert ready.status_code == 503
        assert http.get("/health").status_code == 200
        slowest = time.monotonic() - started
        assert slowest < 10, f"503s took {slowest:.1f} s"

        restarted = time.monotonic()
        server = embedded_server(own_database)  # the database comes back
        while http.get("/ready").status_code != 200:
            assert time.monotonic() - restarted < 30, "the app did not recover"
            time.sleep(0.05)
        recovery = time.monotonic() - restarted
        dashboard = http.get("/api/dashboard")
        assert dashboard.status_code == 200
        assert dashboard.json()["cards"]["invoiceCount"] == 13
        report(
            f"outage: 6 answers while the database was down in {slowest * 1000:.0f} ms;"
            f" ready again {recovery:.2f} s after the database restarted (no app restart)"
        )


# ---- connections killed under the app (pg_terminate_backend) -----------------------------

APP_BACKENDS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = $1 AND application_name = 'acme-dashboard' AND pid <> pg_backend_pid()"
)


def _database_name(url: str) -> str:
    return url.split("?")[0].rsplit("/", 1)[-1]


async def _kill_app_connections(database_url: str) -> int:
    connection = await asyncpg.connect(with_database(database_url, "postgres"))
    try:
        rows = await connection.fetch(APP_BACKENDS, _database_name(database_url))
    finally:
        await connection.close()
    return len(rows)


@pytest.fixture
def fresh_database() -> Iterator[str]:
    url = create_database("acme_outage")
    yield url
    drop_database(url)


async def _warm_pool(http: httpx.AsyncClient, parallel: int) -> None:
    """Enough parallel requests that the pool holds several idle connections afterwards."""
    answers = await asyncio.gather(*(http.get("/api/invoices?query=lee") for _ in range(parallel)))
    assert {a.status_code for a in answers} == {200}


def test_the_first_requests_after_idle_connections_were_killed_succeed(
    fresh_database: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with serve(fresh_database, log) as (url, _):

        async def scenario() -> tuple[int, list[int]]:
            async with httpx.AsyncClient(base_url=url, timeout=15) as http:
                login = await http.post("/api/auth/login", json=DEMO)
                http.cookies.clear()
                http.headers["Authorization"] = f"Bearer {login.json()['token']}"
                await _warm_pool(http, 6)
                killed = await _kill_app_connections(fresh_database)
                # The very next requests, reads and a write, after every pooled connection died.
                first = [
                    (await http.get("/api/dashboard")).status_code,
                    (await http.get("/api/invoices?query=lee")).status_code,
                    (await http.get("/api/auth/me")).status_code,
                ]
                invoice = (await http.get("/api/invoices?query=lee")).json()["items"][0]
                await _kill_app_connections(fresh_database)
                edit = await http.patch(f"/api/invoices/{invoice['id']}", json={"amount": 4321})
                first.append(edit.status_code)
                return killed, first

        killed, statuses = asyncio.run(scenario())
    assert killed >= 2, "the pool held too few connections to test anything"
    assert statuses == [200, 200, 200, 200]
    assert "Traceback" not in log.read_text()
    report(f"outage: {killed} idle pooled connections killed; the next 4 requests all answered 200")


def test_connections_killed_mid_request_give_503_with_retry_after_never_500(
    fresh_database: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with serve(fresh_database, log) as (url, _):

        async def scenario() -> Counter[int]:
            statuses: Counter[int] = Counter()
            async with httpx.AsyncClient(base_url=url, timeout=15) as http:
                tokens = []
                for _ in range(4):  # four users, so the per-client limit is not what answers
                    login = await http.post("/api/auth/login", json=DEMO)
                    tokens.append(login.json()["token"])
                    http.cookies.clear()  # a login with a session cookie would end that session
                paths = ["/api/dashboard", "/api/invoices?query=2022", "/api/customers?query=a"]
                for round_ in range(12):
                    requests = [
                        http.get(
                            paths[(round_ + n) % len(paths)],
                            headers={"Authorization": f"Bearer {tokens[n % len(tokens)]}"},
                        )
                        for n in range(16)
                    ]
                    answers, _ = await asyncio.gather(
                        asyncio.gather(*requests), _kill_app_connections(fresh_database)
                    )
                    for answer in answers:
                        statuses[answer.status_code] += 1
                        if answer.status_code == 503:
                            assert answer.headers["Retry-After"].isdigit()
                            assert answer.json() == {"detail": "Service temporarily unavailable."}
            return statuses

        statuses = asyncio.run(scenario())
    assert set(statuses) <= {200, 503}, statuses
    assert statuses[200] > 0
    text = log.read_text()
    assert "Traceback" not in text and "unhandled error" not in text
    report(
        f"outage: 192 requests while backends were being killed: {statuses[200]} answered 200,"
        f" {statuses[503]} answered 503 + Retry-After, none 500"
    )


def test_a_statement_past_the_time_budget_is_a_quick_503_not_a_hang(
    fresh_database: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with serve(fresh_database, log, DB_STATEMENT_TIMEOUT_MS="300") as (url, _):

        async def scenario() -> tuple[httpx.Response, float, int]:
            async with httpx.AsyncClient(base_url=url, timeout=15) as http:
                login = await http.post("/api/auth/login", json=DEMO)
                http.cookies.clear()
                http.headers["Authorization"] = f"Bearer {login.json()['token']}"
                blocker = await asyncpg.connect(fresh_database)
                try:
                    # Someone holds the invoices table (a long migration, a stuck admin job).
                    transaction = blocker.transaction()
                    await transaction.start()
                    await blocker.execute("LOCK TABLE invoices IN ACCESS EXCLUSIVE MODE")
                    started = time.monotonic()
                    stuck = await http.get("/api/invoices?query=lee")
                    waited = time.monotonic() - started
                    await transaction.rollback()
                finally:
                    await blocker.close()
                after = await http.get("/api/invoices?query=lee")
                return stuck, waited, after.status_code

        stuck, waited, after = asyncio.run(scenario())
    assert stuck.status_code == 503
    assert stuck.headers["Retry-After"].isdigit()
    assert "took too long" in stuck.json()["detail"]
    assert waited < 5, f"the request hung {waited:.1f} s"
    assert after == 200
    assert "Traceback" not in log.read_text()
    report(f"statement budget 300 ms: a blocked search answered 503 after {waited * 1000:.0f} ms")
