"""The invoice lifecycle in the browser: the invoice page, payments, voids, overdue, printing
(this module has its own database)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page, expect

from src.ops.seed import invoice_id
from tests.e2e.helpers import table_rows

LEE_PENDING = str(invoice_id(5))  # $542.46, pending since 2023-07-16: long overdue
AMY_PAID = str(invoice_id(2))  # $30.40, paid
SHOTS = Path("/tmp/acme-lifecycle-shots")


def _shot(page: Page, name: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def test_overview_shows_overdue_money_and_aging(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard")
    expect(page.get_by_test_id("overdue-summary")).to_have_text("$1,256.32 overdue in 5 invoices")
    aging = page.get_by_test_id("aging")
    expect(aging).to_contain_text("Over 90 days$1,256.32")
    expect(aging).to_contain_text("Not yet due$0.00")
    # The cards keep the demo's figures.
    expect(page.get_by_test_id("card-value").nth(0)).to_have_text("$1,006.26")
    expect(page.get_by_test_id("card-value").nth(1)).to_have_text("$1,256.32")
    page.get_by_test_id("overdue-summary").click()
    expect(page).to_have_url(re.compile(r"status=overdue"))
    expect(table_rows(page)).to_have_count(5)


def test_status_tabs_filter_the_list_and_rows_lead_to_the_invoice(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    expect(table_rows(page)).to_have_count(6)
    page.get_by_role("link", name="Overdue", exact=True).click()
    expect(page).to_have_url(re.compile(r"status=overdue"))
    expect(table_rows(page)).to_have_count(5)
    expect(table_rows(page).get_by_test_id("overdue-pill")).to_have_count(5)
    page.get_by_role("link", name="Paid", exact=True).click()
    expect(table_rows(page)).to_have_count(6)
    expect(page.locator("table").get_by_test_id("overdue-pill")).to_have_count(0)
    # The filter survives a reload and combines with the search text.
    page.goto("/dashboard/invoices?status=paid&query=lee")
    expect(table_rows(page)).to_have_count(1)
    link = table_rows(page).get_by_test_id("invoice-link")
    expect(link).to_have_attribute("data-number", "INV-000001")
    link.click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("invoice-number")).to_have_text("INV-000001")


def test_partial_payment_then_the_rest_then_a_void(user_page: Page, tmp_path: Path) -> None:
    page = user_page
    page.goto(f"/dashboard/invoices/{LEE_PENDING}")
    expect(page.get_by_test_id("invoice-number")).to_have_text("INV-000010")
    status = page.get_by_test_id("invoice-status")
    expect(status).to_contain_text("Pending")
    expect(status.get_by_test_id("overdue-pill")).to_be_visible()
    expect(page.get_by_test_id("invoice-due")).to_have_text("Aug 15, 2023")
    _shot(page, "invoice-overdue", tmp_path)

    page.get_by_label("Amount (USD)").fill("200")
    page.get_by_label("Method").select_option("card")
    page.get_by_label("Note (optional)").fill("first instalment")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_test_id("payment-row")).to_have_count(1)
    expect(page.get_by_test_id("invoice-paid")).to_have_text("$200.00")
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$342.46")
    expect(status).to_contain_text("Pending")

    # More than the balance is refused before it is sent.
    page.get_by_label("Amount (USD)").fill("400")
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator("#payment-amount-error")).to_contain_text("$342.46")
    expect(page.get_by_test_id("payment-row")).to_have_count(1)

    page.get_by_role("button", name=re.compile(r"Pay the balance")).click()
    expect(page.get_by_label("Amount (USD)")).to_have_value("342.46")
    page.get_by_role("button", name="Record payment").click()
    expect(status).to_contain_text("Paid")
    expect(status.get_by_test_id("overdue-pill")).to_have_count(0)
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$0.00")
    expect(page.get_by_role("button", name="Record payment")).to_have_count(0)
    _shot(page, "invoice-paid", tmp_path)

    # Void the first payment, with a confirmation and a reason.
    page.get_by_role("button", name="Void the $200.00 payment", exact=False).click()
    dialog = page.get_by_role("dialog", name="Void payment")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Void payment").click()
    expect(dialog).to_contain_text("Please give a reason")
    dialog.get_by_label("Reason").fill("card charged back")
    dialog.get_by_role("button", name="Void payment").click()
    expect(dialog).to_be_hidden()
    expect(status).to_contain_text("Pending")
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$200.00")
    expect(page.get_by_test_id("payment-row").first).to_contain_text("Void: card charged back")
    # The list shows the new state too.
    page.goto("/dashboard/invoices?query=INV-000010")
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page)).to_contain_text("Pending")


def test_a_double_click_records_one_payment(user_page: Page) -> None:
    page = user_page
    page.goto(f"/dashboard/invoices/{invoice_id(6)}")  # Evil Rabbit, $6.66
    page.get_by_label("Amount (USD)").fill("1.00")
    page.get_by_role("button", name="Record payment").dblclick()
    expect(page.get_by_test_id("invoice-paid")).to_have_text("$1.00")
    page.reload()
    expect(page.get_by_test_id("payment-row")).to_have_count(1)


def test_the_printed_invoice_is_the_sheet_alone(user_page: Page, tmp_path: Path) -> None:
    page = user_page
    page.goto(f"/dashboard/invoices/{AMY_PAID}")
    expect(page.get_by_test_id("invoice-number")).to_have_text("INV-000002")
    page.emulate_media(media="print")
    shot = _shot(page, "invoice-print", tmp_path)
    sheet = page.get_by_role("article", name="Invoice INV-000002")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("Acme")
    expect(sheet).to_contain_text("Amy Burns")
    expect(sheet).to_contain_text("$30.40")
    expect(sheet).to_contain_text("Balance due $0.00 by Nov 28, 2022")
    # Navigation, buttons and forms are not printed.
    expect(page.get_by_role("link", name="Invoices", exact=True).first).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_role("link", name="Edit invoice")).to_be_hidden()
    box = sheet.bounding_box()
    assert box is not None and box["x"] < 5 and box["y"] < 5  # the sheet starts the page
    assert shot.stat().st_size > 10_000
    page.emulate_media(media="screen")
    expect(page.get_by_role("button", name="Print")).to_be_visible()


def test_a_new_invoice_takes_the_due_date_given_in_the_form(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices/create")
    customer = page.get_by_role("combobox", name="Choose customer")
    customer.fill("amy")
    expect(page.get_by_role("option")).to_have_count(1)
    customer.press("ArrowDown")
    customer.press("Enter")
    page.get_by_label("Choose an amount").fill("12.34")
    page.get_by_label("Pending").check()
    page.get_by_label(re.compile(r"^Due date")).fill("2000-01-01")
    page.get_by_role("button", name="Create Invoice").click()
    expect(page.locator("#dueDate-error")).to_contain_text("not be before the invoice date")
    page.get_by_label(re.compile(r"^Due date")).fill("2099-12-31")
    page.get_by_role("button", name="Create Invoice").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    page.goto("/dashboard/invoices?query=12.34")
    table_rows(page).get_by_test_id("invoice-link").click()
    expect(page.get_by_test_id("invoice-due")).to_have_text("Dec 31, 2099")
    expect(page.get_by_test_id("invoice-number")).to_have_text(re.compile(r"^INV-0000\d\d$"))
