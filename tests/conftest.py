from __future__ import annotations

import os
import sys

os.environ.setdefault("APP_ENV", "test")

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from litestar import Litestar

from src.db import DB, close_pool, engine_config, open_pool, stop_embedded
from src.http.app import create_app
from src.ops.migrate import migrate
from src.ops.seed import DEMO_USER, seed_demo
from src.settings import get_settings
from tests.support import create_database, drop_database


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """One fresh database for the session, built by the migrations (which tests them)."""
    url = create_database("acme_test")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
async def migrated(database_url: str) -> AsyncIterator[str]:
    DB.config = engine_config(get_settings(), database_url)
    await migrate()
    await seed_demo()
    await open_pool(min_size=1, max_size=4)
    yield database_url
    await close_pool()


@pytest.fixture
async def db(migrated: str) -> AsyncIterator[None]:
    """Each test runs in a transaction that is rolled back: tests never see each other's rows."""
    async with DB.transaction() as transaction:
        yield
        await transaction.rollback()


@pytest.fixture(scope="session")
def app() -> Litestar:
    return create_app(manage_database=False)


@pytest.fixture
async def client(app: Litestar, db: None) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def login(client: httpx.AsyncClient) -> str:
    response = await client.post(
        "/api/auth/login",
        json={"email": DEMO_USER["email"], "password": DEMO_USER["password"]},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


@pytest.fixture
async def api(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client logged in with a bearer token (no cookies), as a REST client would be."""
    token = await login(client)
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.support import FIGURES

    if FIGURES:
        terminalreporter.section("measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run after the async ones (Playwright's sync API keeps an event loop
    running in this thread while it is up), and the log check runs last of all."""

    def order(item: pytest.Item) -> int:
        path = item.path.as_posix()
        if path.endswith("tests/test_zz_logs.py"):
            return 2
        return 1 if "/tests/e2e/" in path else 0

    items.sort(key=order)


_EXIT_STATUS: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    stop_embedded()  # the test server's, when DATABASE_URL is unset
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without the interpreter's final teardown once every result is written.

    With Chromium's driver (greenlet), asyncpg and the session's event loop all loaded, the
    interpreter's own finalisation crashed now and then (SIGSEGV after the summary line), which
    turned a green run red. Results and the exit status are final by now; nothing is lost.
    """
    if _EXIT_STATUS and os.environ.get("ACME_TEST_FAST_EXIT", "1") == "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
