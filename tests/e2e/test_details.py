"""Details that make the dashboard feel finished (issue 13, point 7): plurals, progress while a
screen loads, a quiet console for logged-out visitors, a favicon for every area."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, Response, Route, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD
from tests.support import report


def test_a_customer_with_one_invoice_says_1_invoice(browser: Browser, server: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    try:
        token = context.request.post(
            "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        ).json()["token"]
        bearer = {"Authorization": f"Bearer {token}"}
        customer = context.request.post(
            "/api/customers",
            headers=bearer,
            data={"name": "Solo Singular", "email": "solo@singular.example"},
        ).json()
        created = context.request.post(
            "/api/invoices",
            headers=bearer,
            data={"customerId": customer["id"], "amount": 100, "status": "paid"},
        )
        assert created.status == 201
        page = context.new_page()
        page.goto("/dashboard/customers?query=Solo")
        card = page.get_by_test_id("customer-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("1 invoice")
        expect(card).not_to_contain_text("1 invoices")
        expect(page.get_by_test_id("result-count")).to_have_text("1 customer")
        page.goto("/dashboard/customers?query=Balazs")
        expect(page.get_by_test_id("customer-card")).to_contain_text("3 invoices")
    finally:
        context.close()


def test_logged_out_visits_log_no_console_error(page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in ("/", "/login", "/login?callbackUrl=%2Fdashboard%2Finvoices"):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
    assert errors == [] and failed == []
    # A logged-out visit to the dashboard goes to the login page, still without a red line.
    page.goto("/dashboard/invoices")
    expect(page).to_have_url(re.compile(r"/login\?callbackUrl=%2Fdashboard%2Finvoices$"))
    page.wait_for_load_state("networkidle")
    assert errors == [] and failed == []


def test_progress_shows_within_100_ms_of_a_navigation(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard")
    expect(page.get_by_test_id("latest-invoice").first).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_count(0)

    held: list[Route] = []
    page.route("**/api/invoices?*", lambda route: held.append(route))
    page.evaluate(
        """() => {
          window.__progressAt = null;
          new MutationObserver(() => {
            if (window.__progressAt === null && document.querySelector("[data-testid=progress]"))
              window.__progressAt = performance.now();
          }).observe(document.body, { childList: true, subtree: true });
          window.__clickAt = performance.now();
          document.querySelector("nav[aria-label=Main] a[href='/dashboard/invoices']").click();
        }"""
    )
    expect(page.get_by_test_id("progress")).to_be_visible()
    delay = page.evaluate("window.__progressAt - window.__clickAt")
    assert delay <= 100, delay
    # Held answer: the progress stays until the data is there, then goes.
    expect(page.get_by_test_id("progress")).to_be_visible()
    page.wait_for_timeout(50)  # still held: the bar must not have gone by itself
    expect(page.get_by_test_id("progress")).to_be_visible()
    for route in held:
        route.continue_()
    page.unroute("**/api/invoices?*")
    expect(page.locator("table tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("progress")).to_have_count(0)
    report(f"navigation progress bar shown {delay:.0f} ms after the click")


def test_progress_shows_on_a_full_load_while_the_data_is_on_its_way(user_page: Page) -> None:
    page = user_page
    held: list[Route] = []
    page.route("**/api/dashboard", lambda route: held.append(route))
    page.goto("/dashboard")
    expect(page.get_by_test_id("progress")).to_be_visible()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    for route in held:
        route.continue_()
    expect(page.get_by_test_id("latest-invoice").first).to_be_visible()
    expect(page.get_by_test_id("progress")).to_have_count(0)


def test_favicon_ico_is_served_for_the_admin_and_every_other_page(page: Page) -> None:
    response = page.request.get("/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    missing: list[str] = []

    def note(r: Response) -> None:
        if r.status == 404:
            missing.append(r.url)

    page.on("response", note)
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")
    assert missing == []
