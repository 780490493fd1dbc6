"""Login, redirects and sign out."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD, log_in, table_rows


def test_login_with_good_credentials_opens_the_dashboard(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    log_in(page, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_login_with_bad_credentials_says_invalid_credentials(page: Page) -> None:
    page.goto("/login")
    log_in(page, DEMO_EMAIL, "wrong-password")
    expect(page.get_by_role("alert")).to_have_text("Invalid credentials.")
    expect(page).to_have_url(re.compile(r"/login$"))
    # The same answer for an unknown email.
    log_in(page, "nobody@nextmail.com", DEMO_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text("Invalid credentials.")


def test_login_follows_a_same_site_callback_url(page: Page) -> None:
    page.goto("/login?callbackUrl=%2Fdashboard%2Fcustomers%3Fquery%3Dor")
    log_in(page, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/customers\?query=or$"))
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()


def test_login_ignores_a_callback_url_to_another_site(page: Page) -> None:
    page.goto("/login?callbackUrl=%2F%2Fevil.example%2Fsteal")
    log_in(page, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/dashboard$"))


def test_logged_in_user_opening_login_goes_to_the_dashboard(user_page: Page) -> None:
    user_page.goto("/login")
    expect(user_page).to_have_url(re.compile(r"/dashboard$"))
    expect(user_page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_logged_out_user_is_sent_to_login_with_a_callback_url(page: Page) -> None:
    page.goto("/dashboard/invoices?page=2")
    expect(page).to_have_url(re.compile(r"/login\?callbackUrl=%2Fdashboard%2Finvoices%3Fpage%3D2$"))
    log_in(page, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/invoices\?page=2$"))
    row = table_rows(page).filter(has_text="Evil Rabbit")
    expect(row.locator("td")).to_have_text(
        # Unpaid long past its due date: the Overdue pill beside Pending.
        [
            "Evil Rabbit",
            "evil@rabbit.com",
            "$157.95",
            "Dec 6, 2022",
            re.compile(r"^Pending\s*Overdue$"),
            "",
        ],
        use_inner_text=True,
    )


def test_sign_out_then_back_does_not_show_data(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    # The name cell reads "Michael Novotny, INV-000013" (the invoice's number for screen readers).
    expect(page.get_by_role("cell", name=re.compile(r"^Michael Novotny\b")).first).to_be_visible()
    page.get_by_role("button", name="Sign Out").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(r"/login\?callbackUrl=%2Fdashboard%2Finvoices$"))
    expect(page.get_by_text("Michael Novotny")).to_have_count(0)
    # The session is gone on the server too.
    assert page.request.get("/api/auth/me").status == 401


def test_an_expired_session_mid_use_leads_to_login_and_back(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    expect(table_rows(page)).to_have_count(6)
    # The session ends while the page sits open: once nothing is in flight, so that the next
    # request is the click's (a request still on its way would send the user to log in first).
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page).to_have_url(re.compile(r"/login\?callbackUrl=%2Fdashboard%2Fcustomers$"))
    log_in(page, DEMO_EMAIL, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/customers$"))
    expect(table_rows(page)).to_have_count(6)
