"""Browser tests: the built dashboard against a real server (fresh database, demo data)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD
from tests.support import (
    CHROMIUM_ARGS,
    chromium_path,
    create_database,
    drop_database,
    off_loop,
    serve,
)

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"


def _chromium_path() -> str:
    try:
        return chromium_path()
    except RuntimeError as error:
        pytest.fail(str(error))


def _ensure_frontend_built() -> None:
    if (FRONTEND / "dist" / "index.html").is_file():
        return
    if not (FRONTEND / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on a free port with a fresh database holding the demo data, one per module."""
    _ensure_frontend_built()
    database_url = off_loop(create_database, "acme_e2e")
    log = tmp_path_factory.mktemp("server") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            yield url
    finally:
        off_loop(drop_database, database_url)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=_chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, server: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def user_page(context: BrowserContext, page: Page) -> Page:
    """A page whose browser context holds the demo user's session (logged in through the API)."""
    response = context.request.post(
        "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.ok, response.text()
    return page
