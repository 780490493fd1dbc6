"""Customers managed in the dashboard (create, edit with a picture, delete), the CSV export
buttons and the import screen, in Chromium against a real server (its own database and data
folder). Screenshots of each step are written to test-results/screenshots/."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import _ensure_frontend_built
from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD, table_rows
from tests.support import ROOT, create_database, drop_database, off_loop, serve

SHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The usual test server, with a data folder of its own for the uploaded pictures."""
    _ensure_frontend_built()
    database_url = off_loop(create_database, "acme_e2e")
    folder = tmp_path_factory.mktemp("server")
    try:
        with serve(database_url, folder / "server.log", DATA_DIR=str(folder / "data")) as (url, _):
            yield url
    finally:
        off_loop(drop_database, database_url)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def picture_file(folder: Path) -> Path:
    path = folder / "face.png"
    image = Image.new("RGB", (400, 300), (240, 180, 40))
    for x in range(150, 250):
        for y in range(100, 200):
            image.putpixel((x, y), (30, 60, 200))
    image.save(path)
    return path


def test_create_edit_with_a_picture_then_delete_a_customer(user_page: Page, tmp_path: Path) -> None:
    page = user_page
    page.goto("/dashboard/customers")
    page.get_by_role("link", name="Create Customer").click()
    expect(page).to_have_url(re.compile(r"/dashboard/customers/create$"))
    page.get_by_role("button", name="Create Customer").click()
    expect(page.locator("#name-error")).to_have_text("Please enter a name (1 to 255 characters).")
    expect(page.locator("#email-error")).to_have_text("Please enter a valid email address.")
    expect(page.get_by_label("Name")).to_be_focused()

    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Email").fill("EVIL@rabbit.com")  # taken, in another letter case
    page.get_by_role("button", name="Create Customer").click()
    expect(page.locator("#email-error")).to_have_text("A customer with this email already exists.")
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    shot(page, "customer-create-conflict")

    page.get_by_label("Email").fill("grace@hopper.example")
    page.get_by_role("button", name="Create Customer").click()
    expect(page).to_have_url(re.compile(r"/dashboard/customers/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("customer-name")).to_have_text("Grace Hopper")
    customer_url = page.url

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Name").fill("Grace B. Hopper")
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("hello")
    page.locator("#avatar").set_input_files(str(not_an_image))
    expect(page.locator("#avatar-error")).to_contain_text("PNG, JPEG or WebP")
    page.locator("#avatar").set_input_files(str(picture_file(tmp_path)))
    expect(page.locator("#avatar-error")).to_be_empty()
    expect(page.get_by_test_id("avatar-preview")).to_be_visible()
    shot(page, "customer-edit-avatar")
    page.get_by_role("button", name="Save Customer").click()
    expect(page).to_have_url(customer_url)
    expect(page.get_by_test_id("customer-name")).to_have_text("Grace B. Hopper")
    avatar = page.get_by_label("Contact details").locator("img")
    expect(avatar).to_have_attribute("src", re.compile(r"^/api/avatars/[0-9a-f-]+\.webp$"))
    assert avatar.evaluate("img => img.complete && img.naturalWidth") == 256
    shot(page, "customer-page")

    # An invoice of theirs, so the confirmation has something to count.
    page.goto("/dashboard/invoices/create")
    picker = page.get_by_role("combobox", name="Choose customer")
    picker.fill("grace b")
    page.get_by_role("option").first.click()
    page.get_by_label("Choose an amount").fill("12.50")
    page.get_by_label("Pending").check()
    page.get_by_role("button", name="Create Invoice").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))

    page.goto(customer_url)
    expect(page.get_by_label("Totals")).to_contain_text("$12.50")
    expect(page.get_by_test_id("statement-owed")).to_have_text("$12.50")
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog", name="Delete customer")
    expect(dialog).to_contain_text(
        "Delete Grace B. Hopper? Their 1 invoice ($12.50) will be deleted too."
    )
    shot(page, "customer-delete-confirm")
    dialog.get_by_role("button", name="Delete customer and 1 invoice").click()
    expect(page).to_have_url(re.compile(r"/dashboard/customers$"))
    page.goto("/dashboard/customers?query=hopper")
    expect(page.get_by_text("No customers match “hopper”.")).to_be_visible()


def pay_part(page: Page, customer_url: str) -> str:
    """A $42.46 card payment and a voided $100.00 cheque on the customer's open invoice, through
    the API with a bearer token; the invoice's number."""
    token = page.request.post(
        "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    customer_id = customer_url.rstrip("/").rsplit("/", 1)[-1]
    invoices = page.request.get(f"/api/customers/{customer_id}/invoices", headers=bearer).json()
    invoice = next(i for i in invoices["items"] if i["status"] == "pending")
    url = f"/api/invoices/{invoice['id']}/payments/"
    for amount, method in ((4246, "card"), (10000, "check")):
        made = page.request.post(
            url, headers=bearer, data={"amount": amount, "method": method, "date": "2026-01-15"}
        )
        assert made.status == 201, made.text()
    void = page.request.post(
        f"{url}{made.json()['id']}/void", headers=bearer, data={"reason": "Cheque bounced"}
    )
    assert void.ok, void.text()
    return str(invoice["number"])


def test_printable_statement(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/customers?query=lee")
    page.get_by_role("link", name="Lee Robinson").first.click()
    expect(page.get_by_test_id("customer-name")).to_have_text("Lee Robinson")
    customer_url = page.url
    number = pay_part(page, customer_url)
    page.get_by_role("link", name="Statement").click()
    expect(page).to_have_url(re.compile(r"/statement$"))
    expect(page.get_by_test_id("statement-customer")).to_have_text("Lee Robinson")
    expect(page.get_by_test_id("statement-owed")).to_have_text("$500.00")
    # The payments are the payment rows (newest first), the voided one marked with its reason.
    payments = page.get_by_role("region", name="Payments").locator("tbody tr")
    card = payments.filter(has_text="Card")
    expect(card).to_contain_text(number)
    expect(card).to_contain_text("$42.46")
    expect(card).to_contain_text("Jan 15, 2026")
    expect(payments.filter(has_text="Check")).to_contain_text("Void: Cheque bounced")
    owing = page.get_by_role("region", name="Open invoices").locator("tbody tr")
    expect(owing.filter(has_text=number)).to_contain_text("$500.00")
    expect(owing.filter(has_text=number)).to_contain_text("of $542.46")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    shot(page, "statement-print")
    page.emulate_media(media="screen")
    page.goto(customer_url)  # the same statement on the customer's page
    statement = page.get_by_test_id("statement")
    expect(statement).to_contain_text("Void: Cheque bounced")
    statement.screenshot(path=str(SHOTS / "customer-statement.png"))  # the page scrolls inside


def test_export_buttons_download_the_current_search(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?query=lee")
    expect(table_rows(page)).to_have_count(2)
    shot(page, "invoices-export")
    with page.expect_download() as info:
        page.get_by_test_id("export-invoices").click()
    download = info.value
    assert re.fullmatch(r"invoices-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert [r["customer_name"] for r in rows] == ["Lee Robinson", "Lee Robinson"]
    page.goto("/dashboard/customers?query=or")
    with page.expect_download() as info:
        page.get_by_test_id("export-customers").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert [r["name"] for r in rows] == ["Balazs Orban"]
    shot(page, "customers-export")


def test_import_dry_run_with_errors_then_import(user_page: Page, tmp_path: Path) -> None:
    page = user_page
    bad = tmp_path / "customers.csv"
    bad.write_text(
        "name,email\nAda Lovelace,ada@lovelace.example\nBroken,not-an-email\n"
        "Evil Copy,EVIL@RABBIT.COM\n"
    )
    page.goto("/dashboard/customers")
    page.get_by_role("link", name="Import CSV").click()
    expect(page).to_have_url(re.compile(r"/dashboard/import\?kind=customers$"))
    page.locator("#file").set_input_files(str(bad))
    page.get_by_role("button", name="Check file").click()
    result = page.get_by_test_id("dry-run")
    expect(result).to_contain_text("3 rows read; 2 problems on 2 lines. Nothing was imported")
    errors = result.get_by_role("table", name="Rows with errors").locator("tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text("'not-an-email' is not a valid email address.")
    expect(errors.nth(1)).to_contain_text("A customer with this email already exists.")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    shot(page, "import-dry-run-errors")

    good = tmp_path / "fixed.csv"
    good.write_text(
        "name,email\nAda Lovelace,ada@lovelace.example\nAlan Turing,alan@turing.example\n"
    )
    page.locator("#file").set_input_files(str(good))
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_test_id("dry-run")).to_contain_text("2 customers ready to import")
    shot(page, "import-dry-run-ok")
    page.get_by_role("button", name="Import 2 customers").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("Imported 2 customers.")
    shot(page, "import-done")
    page.goto("/dashboard/customers?query=.example")
    expect(table_rows(page)).to_have_count(2)


def test_logged_out_export_link_is_refused(page: Page, server: str) -> None:
    response = page.request.get(f"{server}/api/exports/invoices.csv")
    assert response.status == 401
    assert DEMO_EMAIL and DEMO_PASSWORD  # the demo login is what the other tests use
