"""The screens added after the first accessibility and layout suites (the invoice page, the
customer page, the customer form, the import screen, the API keys page), each in the state a
person sees: shared by tests/e2e/test_accessibility.py and tests/e2e/test_layout.py."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from playwright.sync_api import APIRequestContext, Page, expect

from src.ops.seed import invoice_id
from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD

# Each later screen by name: the tests are parametrised over these.
LATER_SCREENS = [
    "invoice",
    "invoice-void",
    "customer",
    "customer-create",
    "customer-edit",
    "import",
    "import-checked",
    "api-keys",
    "api-key-created",
]

# Lee Robinson's $542.46 invoice of Jul 16, 2023: pending and long overdue in the demo data.
DEMO_INVOICE = str(invoice_id(5))
DEMO_CUSTOMER = "3958dc9e-742f-4377-85e9-fec4b6a6442a"  # Lee Robinson
# A bank reference without spaces, as people paste them: it must wrap, not widen the page.
LONG_NOTE = "Bank transfer ref. TRX20261126NL91ABNA0417164300SEPAINSTANT partial instalment"
# Key names are unique per user: each key made on the way to a screen gets a number.
_KEY_NUMBERS = itertools.count(1)  # (a fresh database per test module)
# A CSV with one good row and two bad ones: the checked screen lists what to fix.
BAD_CSV = (
    "date,customer_email,amount,status\n"
    "2024-01-02,amy@burns.com,12.50,paid\n"
    "2024-13-02,nobody-at-all-with-a-very-long-address@nowhere.example,abc,maybe\n"
    "2024-01-03,lee@robinson.com,-3,pending\n"
)


@dataclass(frozen=True)
class Subjects:
    """Which invoice and customer the later screens show."""

    invoice: str
    customer: str


def bearer(request: APIRequestContext) -> dict[str, str]:
    token = request.post(
        "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    ).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def add_payments(request: APIRequestContext, headers: dict[str, str], invoice: str) -> None:
    """A live partial payment with a long note, and a voided one: both kinds of payment row."""
    amount = request.get(f"/api/invoices/{invoice}", headers=headers).json()["amount"]
    made = []
    for cents, method, note in ((amount // 4, "bank_transfer", LONG_NOTE), (100, "card", "")):
        payment = request.post(
            f"/api/invoices/{invoice}/payments",
            headers=headers,
            data={"amount": cents, "date": "2024-01-15", "method": method, "note": note},
        )
        assert payment.status == 201, payment.text()
        made.append(payment.json()["id"])
    voided = request.post(
        f"/api/invoices/{invoice}/payments/{made[1]}/void",
        headers=headers,
        data={"reason": "card charged back by the customer's bank"},
    )
    assert voided.ok, voided.text()


def _settled(page: Page) -> None:
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    expect(page.get_by_test_id("progress")).to_have_count(0)
    page.evaluate("document.fonts.ready")


def open_screen(page: Page, screen: str, subjects: Subjects) -> None:
    """Go to `screen` and bring it to the state it is named after, with its data shown."""
    invoice, customer = subjects.invoice, subjects.customer
    if screen.startswith("invoice"):
        page.goto(f"/dashboard/invoices/{invoice}")
        _settled(page)
        expect(page.get_by_test_id("payment-row")).to_have_count(2)
        expect(page.get_by_test_id("history-entry").first).to_be_visible()
        if screen == "invoice-void":
            page.get_by_role("button", name=re.compile(r"^Void the ")).click()
            expect(page.get_by_role("dialog", name="Void payment")).to_be_visible()
    elif screen == "customer":
        page.goto(f"/dashboard/customers/{customer}")
        _settled(page)
        expect(page.get_by_test_id("statement")).to_be_visible()
        expect(page.get_by_test_id("history-entry").first).to_be_visible()
    elif screen == "customer-create":
        page.goto("/dashboard/customers/create")
        _settled(page)
        page.get_by_role("button", name="Create Customer").click()  # the errors shown too
        expect(page.get_by_test_id("form-message")).to_be_visible()
    elif screen == "customer-edit":
        page.goto(f"/dashboard/customers/{customer}/edit")
        _settled(page)
        expect(page.get_by_label("Name")).not_to_have_value("")
    elif screen.startswith("import"):
        page.goto("/dashboard/import?kind=invoices")
        _settled(page)
        if screen == "import-checked":
            page.get_by_label(re.compile(r"^CSV file")).set_input_files(
                files=[{"name": "invoices.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}]
            )
            page.get_by_role("button", name="Check file").click()
            expect(page.get_by_test_id("dry-run")).to_be_visible()
    elif screen.startswith("api-key"):
        page.goto("/dashboard/settings/api-keys")
        _settled(page)
        if screen == "api-key-created":
            name = f"Nightly export to the accounting system {next(_KEY_NUMBERS)}"
            page.get_by_label("Name").fill(name)
            page.get_by_label("Write").check()
            page.get_by_role("button", name="Create key").click()
            expect(page.get_by_label("Secret")).to_have_value(re.compile(r"^acme_"))
            expect(page.locator("[aria-busy=true]")).to_have_count(0)
    else:
        raise ValueError(screen)
