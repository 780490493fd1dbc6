"""The back office in Chromium against a real server: staff log in and fix an invoice."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support import ROOT, create_database, drop_database, off_loop, serve

STAFF_USERNAME = "e2e-staff"
STAFF_PASSWORD = "e2e-staff-password"
SCREENSHOTS = ROOT / "test-results"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server on a fresh database (demo data) with one staff account made by the CLI."""
    database_url = off_loop(create_database, "acme_e2e_admin")
    log = tmp_path_factory.mktemp("admin-server") / "server.log"
    try:
        with serve(database_url, log) as (url, _):
            subprocess.run(
                [sys.executable, "-m", "src.ops.cli", "staff", "--username", STAFF_USERNAME,
                 "--password", STAFF_PASSWORD],
                cwd=ROOT,
                env={**os.environ, "APP_ENV": "test", "DATABASE_URL": database_url},
                check=True,
                capture_output=True,
            )  # fmt: skip
            yield url
    finally:
        off_loop(drop_database, database_url)


@pytest.fixture
def admin_page(browser: Browser, admin_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=admin_server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"admin-{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def test_staff_log_in_open_the_invoices_and_find_lee_robinson(admin_page: Page) -> None:
    page = admin_page
    page.goto("/admin")  # no slash: redirected to /admin/
    expect(page).to_have_url(re.compile(r"/admin/"))
    expect(page.get_by_text("Acme back office")).to_be_visible()
    page.locator("input:not([type=password])").first.fill(STAFF_USERNAME)
    page.locator("input[type=password]").fill(STAFF_PASSWORD)
    page.get_by_role("button", name=re.compile("log ?in", re.I)).click()

    page.get_by_role("link", name=re.compile(r"^\s*invoices\s*$", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"#/invoices/"))
    rows = page.locator("table tbody tr:has(input[type=checkbox][value])")
    expect(rows.filter(has_text="Lee Robinson")).to_have_count(2)
    assert shot(page, "invoices").stat().st_size > 0
    expect(rows).to_have_count(13)
    expect(rows.first).to_contain_text("Michael Novotny")  # newest first

    rows.filter(has_text="Lee Robinson").filter(has_text="54246").locator(
        'a[href^="#/invoices/"]'
    ).click()
    expect(page).to_have_url(re.compile(r"#/invoices/[0-9a-f-]{36}/"))
    expect(page.locator("select").filter(has_text="Pending").first).to_be_visible()
    assert shot(page, "invoice-edit").stat().st_size > 0

    amount = page.locator("input[name=amount]")
    amount.fill("-5")
    page.get_by_role("button", name=re.compile("save", re.I)).click()
    expect(
        page.get_by_text(re.compile("amount in cents, a whole number greater than 0"))
    ).to_be_visible()
    assert shot(page, "invoice-refused").stat().st_size > 0
    amount.fill("54300")
    page.get_by_role("button", name=re.compile("save", re.I)).click()
    expect(page.get_by_text(re.compile("success", re.I)).first).to_be_visible()
    page.goto("/admin/#/invoices/")
    expect(rows.filter(has_text="Lee Robinson").filter(has_text="54300")).to_have_count(1)
