"""Shared steps of the browser tests."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

DEMO_EMAIL = "user@nextmail.com"
DEMO_PASSWORD = "123456"


def log_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def table_rows(page: Page) -> Locator:
    """The data rows of the table on the page (desktop layout)."""
    return page.locator("table tbody tr")


def search_box(page: Page) -> Locator:
    return page.get_by_role("searchbox", name="Search")
