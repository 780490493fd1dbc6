"""The invoice form says which rule an amount breaks, and a field's message goes away as soon as
the field is fixed, not only at the next submit (issue 13, point 4, the form part)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

AMOUNTS = [
    ("99999999999", "Please enter an amount of at most $21,474,836.47."),
    ("1.234", "Please enter the amount with at most two decimals (cents)."),
    ("abc", "Please enter the amount as a number, such as 157.95."),
    ("true", "Please enter the amount as a number, such as 157.95."),
    ("0", "Please enter an amount greater than $0."),
    ("-3", "Please enter an amount greater than $0."),
    ("", "Please enter an amount greater than $0."),
]


@pytest.mark.parametrize(("typed", "message"), AMOUNTS)
def test_amount_message_states_the_rule_it_breaks(
    user_page: Page, typed: str, message: str
) -> None:
    page = user_page
    page.goto("/dashboard/invoices/create")
    page.get_by_label("Choose an amount").fill(typed)
    page.get_by_role("button", name="Create Invoice").click()
    expect(page.locator("#amount-error")).to_have_text(message)


def test_field_errors_disappear_as_soon_as_each_field_is_fixed(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices/create")
    page.get_by_role("button", name="Create Invoice").click()
    form_message = page.get_by_test_id("form-message")
    expect(form_message).to_have_text("Missing Fields. Failed to Create Invoice.")

    amount = page.get_by_label("Choose an amount")
    amount.fill("12.345")
    # Still wrong: the message now names the rule the new text breaks.
    expect(page.locator("#amount-error")).to_have_text(
        "Please enter the amount with at most two decimals (cents)."
    )
    amount.fill("12.34")
    expect(page.locator("#amount-error")).to_be_empty()
    expect(amount).not_to_have_attribute("aria-invalid", "true")

    page.get_by_label("Paid").check()
    expect(page.locator("#status-error")).to_be_empty()
    expect(page.locator("#customer-error")).to_have_text("Please select a customer.")
    expect(form_message).to_have_text("Missing Fields. Failed to Create Invoice.")

    customer = page.get_by_role("combobox", name="Choose customer")
    customer.fill("amy")
    expect(page.get_by_role("option")).to_have_count(1)
    expect(page.get_by_role("option")).to_contain_text("Amy Burns")
    customer.press("ArrowDown")
    customer.press("Enter")
    expect(customer).to_have_value("Amy Burns")
    expect(page.locator("#customer-error")).to_be_empty()
    # Every field is fixed: the form-level message has gone too, before any new submit.
    expect(form_message).to_have_count(0)


def test_customer_options_appear_right_after_the_amount_is_fixed(user_page: Page) -> None:
    """Issue 15's form: submit the empty form, type 12.34, then "amy" in the customer picker.
    Leaving the picker (the submit had focused it) must not close the list opened on return."""
    page = user_page
    page.goto("/dashboard/invoices/create")
    page.get_by_role("button", name="Create Invoice").click()
    customer = page.get_by_role("combobox", name="Choose customer")
    expect(customer).to_be_focused()
    page.get_by_label("Choose an amount").fill("12.34")
    customer.fill("amy")
    option = page.get_by_role("option", name="Amy Burns")
    expect(option).to_be_visible()
    expect(customer).to_have_attribute("aria-expanded", "true")
    option.click()
    expect(customer).to_have_value("Amy Burns")
    expect(page.locator("#customer-error")).to_be_empty()
    expect(page.locator("#amount-error")).to_be_empty()
    page.get_by_label("Pending").check()
    page.get_by_role("button", name="Create Invoice").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(
        page.get_by_role("row").filter(has_text="Amy Burns").filter(has_text="$12.34")
    ).to_have_count(1)


def test_a_valid_field_does_not_get_an_error_while_typing(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices/create")
    page.get_by_label("Choose an amount").fill("abc")
    # No submit yet: nothing is flagged while the person is still typing.
    expect(page.locator("#amount-error")).to_be_empty()
