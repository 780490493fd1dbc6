"""Create, edit and delete invoices through the forms (this module has its own database)."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, Route, expect

from tests.e2e.helpers import search_box, table_rows


def test_create_with_an_empty_form_shows_every_message(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    page.get_by_role("link", name="Create Invoice").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices/create$"))
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_have_text(
        re.compile(r"Invoices\s*/\s*Create Invoice")
    )
    page.get_by_role("button", name="Create Invoice").click()

    customer = page.get_by_role("combobox", name="Choose customer")
    amount = page.get_by_label("Choose an amount")
    expect(page.locator("#customer-error")).to_have_text("Please select a customer.")
    expect(page.locator("#amount-error")).to_have_text("Please enter an amount greater than $0.")
    expect(page.locator("#status-error")).to_have_text("Please select an invoice status.")
    expect(page.get_by_test_id("form-message")).to_have_text(
        "Missing Fields. Failed to Create Invoice."
    )
    expect(customer).to_have_attribute("aria-invalid", "true")
    expect(customer).to_have_attribute("aria-describedby", "customer-error")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_attribute("aria-describedby", "amount-error")
    expect(page.get_by_label("Pending")).to_have_attribute("aria-invalid", "true")
    expect(customer).to_be_focused()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices/create$"))


def test_create_an_invoice_then_find_it_by_its_dollar_figure(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices/create")
    # The customer picker is a search-as-you-type combobox, usable with the keyboard.
    customer = page.get_by_role("combobox", name="Choose customer")
    # It asks the server for a few matches, never for every customer.
    with page.expect_request(
        lambda r: (
            "/api/customers/options?" in r.url and "query=amy" in r.url and "limit=20" in r.url
        )
    ):
        customer.fill("amy")
    expect(page.get_by_role("option")).to_have_count(1)
    expect(page.get_by_role("option")).to_contain_text("Amy Burns")
    expect(page.get_by_role("option").get_by_text("amy@burns.com")).to_be_visible()
    customer.press("ArrowDown")
    customer.press("Enter")
    expect(customer).to_have_value("Amy Burns")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.get_by_label("Choose an amount").fill("157.95")
    page.get_by_label("Paid").check()
    page.get_by_role("button", name="Create Invoice").click()

    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    search_box(page).fill("157.95")
    expect(page).to_have_url(re.compile(r"\?query=157\.95&page=1$"))
    # The demo data's $157.95 invoice of Evil Rabbit and the new one.
    expect(table_rows(page)).to_have_count(2)
    new_row = table_rows(page).filter(has_text="Amy Burns")
    expect(new_row.locator("td").nth(2)).to_have_text("$157.95", use_inner_text=True)
    expect(new_row.locator("td").nth(4)).to_have_text("Paid", use_inner_text=True)


def test_edit_keeps_the_date(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?query=novotny")
    row = table_rows(page).filter(has_text="$448.00")
    expect(row.locator("td").nth(3)).to_have_text("Sep 10, 2023", use_inner_text=True)
    row.get_by_role("link", name="Edit the $448.00 invoice of Michael Novotny").click()

    expect(page).to_have_url(re.compile(r"/dashboard/invoices/[0-9a-f-]{36}/edit$"))
    expect(page.get_by_role("combobox", name="Choose customer")).to_have_value("Michael Novotny")
    amount = page.get_by_label("Choose an amount")
    expect(amount).to_have_value("448.00")
    expect(page.get_by_label("Paid")).to_be_checked()
    amount.fill("450.50")
    page.get_by_label("Pending").check()
    page.get_by_role("button", name="Edit Invoice").click()

    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    search_box(page).fill("450.50")
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first.locator("td")).to_have_text(
        # Back to pending, long past its due date: the Overdue pill beside Pending.
        [
            "Michael Novotny",
            "michael@novotny.com",
            "$450.50",
            "Sep 10, 2023",
            re.compile(r"^Pending\s*Overdue$"),
            "",
        ],
        use_inner_text=True,
    )


def test_edit_with_an_invalid_amount_shows_its_message(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?query=lee")
    table_rows(page).first.get_by_role("link", name=re.compile(r"^Edit ")).click()
    amount = page.get_by_label("Choose an amount")
    expect(amount).not_to_have_value("")
    amount.fill("0")
    page.get_by_role("button", name="Edit Invoice").click()
    expect(page.locator("#amount-error")).to_have_text("Please enter an amount greater than $0.")
    expect(page.get_by_test_id("form-message")).to_have_text(
        "Missing Fields. Failed to Update Invoice."
    )
    expect(amount).to_be_focused()


def test_delete_asks_first_and_stays_on_the_page(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?page=2")
    row = table_rows(page).filter(has_text="Delba de Oliveira")
    expect(row.locator("td").nth(2)).to_have_text("$203.48", use_inner_text=True)
    delete = row.get_by_role("button", name="Delete the $203.48 invoice of Delba de Oliveira")

    delete.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete the $203.48 invoice of Delba de Oliveira?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()  # the safe choice
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(row).to_have_count(1)

    delete.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Delete").click()
    expect(dialog).to_be_hidden()
    expect(row).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/dashboard/invoices\?page=2$"))
    expect(table_rows(page)).to_have_count(6)
    page.reload()
    expect(table_rows(page)).to_have_count(6)
    expect(table_rows(page).filter(has_text="$203.48")).to_have_count(0)


def test_unknown_invoice_shows_the_404_screen(user_page: Page) -> None:
    page = user_page
    for invoice_id in (str(uuid.uuid4()), "not-a-uuid"):
        page.goto(f"/dashboard/invoices/{invoice_id}/edit")
        expect(page.get_by_role("heading", name="404 Not Found")).to_be_visible()
        expect(page.get_by_text("Could not find the requested invoice.")).to_be_visible()
    page.get_by_role("link", name="Go Back").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(table_rows(page)).to_have_count(6)


def test_a_failed_page_offers_try_again(user_page: Page) -> None:
    page = user_page
    failures = {"left": 1}

    def fail_once(route: Route) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=500, content_type="application/json", body='{"detail": "boom"}')
        else:
            route.continue_()

    page.route("**/api/customers?*", fail_once)
    page.goto("/dashboard/customers")
    expect(page.get_by_role("heading", name="Something went wrong!")).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)
    page.get_by_role("button", name="Try again").click()
    expect(table_rows(page)).to_have_count(6)


def test_editing_an_invoice_changed_meanwhile_is_refused(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?query=345.77")
    table_rows(page).first.get_by_role("link", name=re.compile(r"^Edit ")).click()
    amount = page.get_by_label("Choose an amount")
    expect(amount).to_have_value("345.77")
    invoice_id = page.url.rsplit("/", 2)[-2]

    # Someone else changes the invoice after the form was loaded.
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "acme_csrf")
    response = page.request.patch(
        f"/api/invoices/{invoice_id}", data={"amount": 34600}, headers={"X-CSRF-Token": csrf}
    )
    assert response.ok, response.text()

    amount.fill("350.00")
    page.get_by_role("button", name="Edit Invoice").click()
    expect(page.get_by_test_id("form-message")).to_have_text(
        "This invoice was changed by someone else. Reload to see the latest version."
    )
    expect(page).to_have_url(re.compile(r"/edit$"))
    page.reload()
    expect(amount).to_have_value("346.00")
