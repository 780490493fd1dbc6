"""A customer address that names no customer says so on every customer page, the printable
statement included (it used to show "Something went wrong"), and never reaches a real customer
through a look-alike id."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import ConsoleMessage, Page, expect

from src.ops.seed import CUSTOMERS


def test_every_customer_page_of_an_unknown_customer_says_not_found(user_page: Page) -> None:
    page = user_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if _script_error(m) else None)
    real = CUSTOMERS[1][0]  # starts with a digit: 3958dc9e-…
    # A fullwidth first digit: the same id to the eye and to uuid.UUID, not to the API.
    look_alike = chr(ord(real[0]) + 0xFEE0) + real[1:]
    for customer in (str(uuid.uuid4()), "not-an-id", look_alike):
        for suffix in ("", "/edit", "/statement"):
            page.goto(f"/dashboard/customers/{customer}{suffix}")
            expect(page.get_by_role("heading", name="404 Not Found")).to_be_visible()
            expect(page.get_by_text("Could not find the requested customer.")).to_be_visible()
            expect(page).to_have_title("Customer not found · Acme")
    page.get_by_role("link", name="Go Back").click()
    expect(page).to_have_url(re.compile(r"/dashboard/customers$"))
    assert errors == []


def _script_error(message: ConsoleMessage) -> bool:
    # The 404 answers themselves are logged by the browser as failed loads; a script error is not.
    return message.type == "error" and "Failed to load resource" not in message.text
