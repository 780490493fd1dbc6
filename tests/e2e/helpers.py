"""Shared steps of the browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Locator, Page

DEMO_EMAIL = "user@nextmail.com"
DEMO_PASSWORD = "123456"


@contextmanager
def logged_in_page(browser: Browser, server: str, width: int = 1280) -> Iterator[Page]:
    """A page of a new context `width` px wide, holding the demo user's session."""
    context = browser.new_context(base_url=server, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    response = context.request.post(
        "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.ok, response.text()
    yield context.new_page()
    context.close()


def log_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def table_rows(page: Page) -> Locator:
    """The data rows of the table on the page (desktop layout)."""
    return page.locator("table tbody tr")


def search_box(page: Page) -> Locator:
    return page.get_by_role("searchbox", name="Search")
