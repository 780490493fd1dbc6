"""In Chromium against a real server: an API key made in the settings, used from a script and
revoked; an invoice's history after a back-office edit."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD, logged_in_page
from tests.e2e.test_admin import STAFF_PASSWORD, STAFF_USERNAME, admin_server
from tests.support import ROOT

__all__ = ["admin_server"]  # the module-scoped server with a staff account, shared

SCREENSHOTS = ROOT / "test-results"

# The "script": a REST client using the key, as the README shows (httpx instead of curl).
SCRIPT = """
import sys, httpx
base, key = sys.argv[1], sys.argv[2]
headers = {"Authorization": f"Bearer {key}"}
page = httpx.get(f"{base}/api/invoices", params={"query": "Lee"}, headers=headers)
print("list", page.status_code)
if page.status_code == 200:
    invoice = [i for i in page.json()["items"] if i["amount"] == 1000][0]
    changed = httpx.patch(f"{base}/api/invoices/{invoice['id']}", json={"amount": 1250},
                          headers=headers)
    print("patch", changed.status_code, invoice["id"])
"""


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"audit-{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def run_script(base: str, key: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, base, key],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


@pytest.fixture
def dashboard(browser: Browser, admin_server: str) -> Iterator[Page]:
    with logged_in_page(browser, admin_server) as page:
        yield page


def test_a_key_made_in_settings_works_from_a_script_until_revoked(
    dashboard: Page, admin_server: str
) -> None:
    page = dashboard
    page.goto("/dashboard")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API keys").click()
    expect(page).to_have_url(re.compile(r"/dashboard/settings/api-keys$"))
    expect(page.get_by_text("No API keys yet.")).to_be_visible()
    page.get_by_role("button", name="Create key").click()  # no name yet
    expect(page.get_by_text("Please enter a name for the key")).to_be_visible()
    page.get_by_label("Name").fill("e2e script")
    page.get_by_label("Write").check()
    page.get_by_label("Expires").select_option(label="In 30 days")
    page.get_by_role("button", name="Create key").click()
    secret = page.get_by_label("Secret").input_value()
    assert re.fullmatch(r"acme_[A-Za-z0-9_-]{43}", secret)
    keys = page.get_by_role("list", name="API keys").get_by_test_id("api-key")
    expect(keys).to_have_count(1)
    expect(keys.first).to_contain_text("e2e script")
    expect(keys.first).to_contain_text("write")
    expect(keys.first).to_contain_text("Never used")
    expect(keys.first).to_contain_text(f"acme_…{secret[-4:]}")
    assert shot(page, "key-created").stat().st_size > 0

    out = run_script(admin_server, secret)
    assert "list 200" in out and "patch 200" in out, out
    invoice_id = out.split()[-1]

    # Shown once: after a reload the secret is nowhere on the page.
    page.reload()
    expect(keys.first).to_contain_text("Last used")
    assert secret not in page.content()

    # The change is in the invoice's history, under the key's name.
    page.goto(f"/dashboard/invoices/{invoice_id}/edit")
    history = page.get_by_test_id("history-entry")
    expect(history.first).to_have_text(
        re.compile(
            # A paid invoice whose amount grows owes the rest again: its status follows.
            r"^API key “e2e script” of User changed the amount from \$10\.00 to \$12\.50"
            r"( and the status from Paid to Pending)? on [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}$"
        )
    )

    page.goto("/dashboard/settings/api-keys")
    keys.first.get_by_role("button", name="Revoke").click()
    keys.first.get_by_role("button", name="Revoke “e2e script”").click()
    expect(page.get_by_text("No API keys yet.")).to_be_visible()
    assert shot(page, "key-revoked").stat().st_size > 0
    out = run_script(admin_server, secret)
    assert out.strip() == "list 401", out


def test_an_invoice_history_shows_a_back_office_edit(browser: Browser, admin_server: str) -> None:
    staff = browser.new_context(base_url=admin_server, viewport={"width": 1400, "height": 900})
    staff.set_default_timeout(10_000)
    admin = staff.new_page()
    admin.goto("/admin/")
    admin.locator("input:not([type=password])").first.fill(STAFF_USERNAME)
    admin.locator("input[type=password]").fill(STAFF_PASSWORD)
    admin.get_by_role("button", name=re.compile("log ?in", re.I)).click()
    admin.get_by_role("link", name=re.compile(r"^\s*invoices\s*$", re.I)).first.click()
    rows = admin.locator("table tbody tr:has(input[type=checkbox][value])")
    link = rows.filter(has_text="Delba de Oliveira").filter(has_text="20348")
    link.locator('a[href^="#/invoices/"]').click()
    expect(admin).to_have_url(re.compile(r"#/invoices/[0-9a-f-]{36}/"))
    invoice_id = re.search(r"#/invoices/([0-9a-f-]{36})/", admin.url).group(1)  # type: ignore[union-attr]
    admin.locator("input[name=amount]").fill("20500")
    admin.get_by_role("button", name=re.compile("save", re.I)).click()
    expect(admin.get_by_text(re.compile("success", re.I)).first).to_be_visible()

    # The back office's own read-only view of the trail, filtered to invoices.
    admin.goto("/admin/#/audit_log/?table_name=invoices")
    trail = admin.locator("table tbody tr:has(input[type=checkbox][value])")
    expect(trail.filter(has_text=STAFF_USERNAME).first).to_be_visible()
    assert shot(admin, "admin-trail").stat().st_size > 0
    staff.close()

    user = browser.new_context(base_url=admin_server, viewport={"width": 1280, "height": 900})
    user.set_default_timeout(10_000)
    assert user.request.post(
        "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    ).ok
    page = user.new_page()
    page.goto(f"/dashboard/invoices/{invoice_id}/edit")
    section = page.get_by_role("region", name="History")
    entries = section.get_by_test_id("history-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_have_text(
        re.compile(
            rf"^{STAFF_USERNAME} \(staff\) changed the amount from \$203\.48 to \$205\.00"
            r" on [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}$"
        )
    )
    expect(entries.last).to_contain_text("System created the invoice")
    assert shot(page, "invoice-history").stat().st_size > 0

    # The customer's own page lists its history too.
    page.goto("/dashboard/customers")
    page.get_by_role("link", name="Delba de Oliveira").first.click()
    expect(
        page.get_by_role("region", name="History").get_by_test_id("history-entry").first
    ).to_contain_text("System created the customer")
    assert shot(page, "customer-history").stat().st_size > 0
    user.close()
