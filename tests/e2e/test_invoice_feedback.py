"""What the invoice screens tell a user who hits a rule, and where focus goes after a delete
(this module has its own database)."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, Route, expect

from src.ops.seed import invoice_id
from tests.e2e.helpers import search_box, table_rows

EVIL_PENDING = str(invoice_id(0))  # Evil Rabbit, $157.95, pending
DELBA_PENDING = str(invoice_id(1))  # Delba de Oliveira, $203.48, pending


def _row_delete(page: Page, index: int) -> Locator:
    return table_rows(page).nth(index).get_by_role("button", name=re.compile(r"^Delete "))


def _delete_by_keyboard(page: Page, index: int) -> None:
    """Focus a row's Delete button, Enter, Tab from Cancel to Delete, Enter: no mouse."""
    _row_delete(page, index).focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Delete invoice")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Delete")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()


def test_an_amount_below_what_is_paid_shows_the_servers_reason(user_page: Page) -> None:
    page = user_page
    page.goto(f"/dashboard/invoices/{EVIL_PENDING}")
    page.get_by_label("Amount (USD)").fill("100")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_test_id("invoice-paid")).to_have_text("$100.00")

    page.get_by_role("link", name="Edit invoice").click()
    amount = page.get_by_label("Choose an amount")
    expect(amount).to_have_value("157.95")
    amount.fill("50")
    page.get_by_role("button", name="Edit Invoice").click()
    expect(page.locator("#amount-error")).to_have_text(
        "$100.00 of this invoice is paid: its amount cannot be lower. Void a payment first."
    )
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_be_focused()
    form_message = page.get_by_test_id("form-message")
    expect(form_message).to_have_text("Failed to Update Invoice.")
    expect(page.get_by_text("Database Error")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/edit$"))

    # Fixing the amount takes the messages away.
    amount.fill("120")
    expect(page.locator("#amount-error")).to_be_empty()
    expect(form_message).to_have_count(0)

    # "Database Error" is kept for a server that failed.
    def fail(route: Route) -> None:
        if route.request.method == "PUT":
            route.fulfill(status=500, content_type="application/json", body='{"detail": "boom"}')
        else:
            route.continue_()

    page.route(f"**/api/invoices/{EVIL_PENDING}", fail)
    page.get_by_role("button", name="Edit Invoice").click()
    expect(form_message).to_have_text("Database Error: Failed to Update Invoice.")
    expect(page.locator("#amount-error")).to_be_empty()


def test_payment_amount_messages_state_the_rule_it_breaks(user_page: Page) -> None:
    page = user_page
    page.goto(f"/dashboard/invoices/{DELBA_PENDING}")
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$203.48")
    amount = page.get_by_label("Amount (USD)")
    error = page.locator("#payment-amount-error")
    cases = [
        ("1.234", "Please enter the amount with at most two decimals (cents)."),
        ("abc", "Please enter the amount as a number, such as 157.95."),
        ("99999999999", "Please enter an amount of at most the balance due, $203.48."),
        ("203.49", "Please enter an amount of at most the balance due, $203.48."),
        ("-5", "Please enter an amount greater than $0."),
        ("0", "Please enter an amount greater than $0."),
        ("", "Please enter an amount greater than $0."),
    ]
    for typed, message in cases:
        amount.fill(typed)
        page.get_by_role("button", name="Record payment").click()
        expect(error).to_have_text(message)
        expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("payment-row")).to_have_count(0)

    # The message follows the text as it is fixed, as on the invoice form.
    amount.fill("12.345")
    expect(error).to_have_text("Please enter the amount with at most two decimals (cents).")
    amount.fill("12.34")
    expect(error).to_be_empty()
    expect(amount).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$191.14")


def test_deleting_the_only_row_of_the_last_page_focuses_the_page_before(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?page=3")
    expect(table_rows(page)).to_have_count(1)
    _delete_by_keyboard(page, 0)
    expect(page).to_have_url(re.compile(r"page=2$"))
    expect(table_rows(page)).to_have_count(6)
    expect(_row_delete(page, 5)).to_be_focused()


def test_after_a_keyboard_delete_focus_stays_in_the_list(user_page: Page) -> None:
    page = user_page
    # Escape gives focus back to the row's Delete button.
    page.goto("/dashboard/invoices")
    expect(table_rows(page)).to_have_count(6)
    _row_delete(page, 1).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Delete invoice")).to_be_visible()
    page.keyboard.press("Escape")
    expect(_row_delete(page, 1)).to_be_focused()

    # A row in the middle: focus goes to the Delete button of the row that took its place.
    following = _row_delete(page, 2).get_attribute("aria-label")
    _delete_by_keyboard(page, 1)
    expect(table_rows(page)).to_have_count(6)  # one moved up from page 2
    expect(_row_delete(page, 1)).to_have_attribute("aria-label", following or "")
    expect(_row_delete(page, 1)).to_be_focused()

    # The last row: the previous row's Delete button.
    page.goto("/dashboard/invoices?query=michael")
    expect(table_rows(page)).to_have_count(2)
    _delete_by_keyboard(page, 1)
    expect(table_rows(page)).to_have_count(1)
    expect(_row_delete(page, 0)).to_be_focused()

    # The list is now empty: the search box, with the "no results" message on the screen.
    _delete_by_keyboard(page, 0)
    expect(page.get_by_text("No invoices match “michael”.")).to_be_visible()
    expect(search_box(page)).to_be_focused()
