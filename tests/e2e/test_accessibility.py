"""WCAG 2.1 AA on every screen, logged in and out, phone and desktop, checked by axe-core (the npm
package, injected into the page), plus titles, headings and the skip link (issue 13, point 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD
from tests.e2e.later_screens import (
    DEMO_CUSTOMER,
    DEMO_INVOICE,
    LATER_SCREENS,
    Subjects,
    add_payments,
    bearer,
    open_screen,
)
from tests.support import report

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LOGGED_OUT = ["/", "/login", "/no-such-page"]
LOGGED_IN = [
    "/dashboard",
    "/dashboard/invoices",
    "/dashboard/invoices?query=pending",
    "/dashboard/customers",
    "/dashboard/invoices/create",
    "/dashboard/invoices/d6e15727-9fe1-4961-8c5b-ea44a9bd81aa/edit",
]
TITLES = {
    "/": "Acme · Invoicing dashboard",
    "/login": "Log in · Acme",
    "/no-such-page": "Page not found · Acme",
    "/dashboard": "Dashboard · Acme",
    "/dashboard/invoices": "Invoices · Acme",
    "/dashboard/invoices?query=pending": "Invoices matching “pending” · Acme",
    "/dashboard/customers": "Customers · Acme",
    "/dashboard/invoices/create": "Create Invoice · Acme",
    f"/dashboard/invoices/{DEMO_INVOICE}": "INV-000010 · Acme",
    f"/dashboard/customers/{DEMO_CUSTOMER}": "Lee Robinson · Acme",
    f"/dashboard/customers/{DEMO_CUSTOMER}/edit": "Edit Lee Robinson · Acme",
    f"/dashboard/customers/{DEMO_CUSTOMER}/statement": "Statement for Lee Robinson · Acme",
    "/dashboard/customers/create": "Create Customer · Acme",
    "/dashboard/import": "Import customers · Acme",
    "/dashboard/settings/api-keys": "API keys · Acme",
}


def _context(browser: Browser, server: str, size: str, logged_in: bool) -> BrowserContext:
    # The dashboard's CSP forbids inline script; axe is injected as one, so only these
    # contexts bypass the CSP (the app's own code runs unchanged).
    context = browser.new_context(base_url=server, viewport=SIZES[size], bypass_csp=True)
    context.set_default_timeout(10_000)
    if logged_in:
        assert context.request.post(
            "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        ).ok
    return context


@pytest.fixture(scope="module")
def contexts(browser: Browser, server: str) -> Iterator[dict[tuple[str, bool], BrowserContext]]:
    made = {
        (size, logged_in): _context(browser, server, size, logged_in)
        for size in SIZES
        for logged_in in (False, True)
    }
    yield made
    for context in made.values():
        context.close()


def _settled(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    expect(page.get_by_test_id("progress")).to_have_count(0)


@pytest.fixture(scope="module")
def subjects(contexts: dict[tuple[str, bool], BrowserContext]) -> Subjects:
    """The demo's Lee Robinson invoice with a partial payment and a voided one."""
    request = contexts["desktop", True].request
    add_payments(request, bearer(request), DEMO_INVOICE)
    return Subjects(invoice=DEMO_INVOICE, customer=DEMO_CUSTOMER)


def _axe(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, list[dict[str, object]]] = page.evaluate(
        """async (tags) => await axe.run(document, { runOnly: { type: "tag", values: tags } })""",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    )
    return result["violations"]


def _findings(path: str, violations: list[dict[str, object]]) -> list[str]:
    """Every finding in words, of any impact (serious and critical are the WCAG 2.1 AA floor;
    the moderate and minor ones, such as content outside a landmark, are held at zero too)."""
    found: list[str] = []
    for violation in violations:
        nodes = violation["nodes"]
        assert isinstance(nodes, list)
        targets = [n["target"] for n in nodes][:3]
        found.append(f"{path}: {violation['id']} ({violation['impact']}) {targets}")
    return found


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("logged_in", [False, True], ids=["logged-out", "logged-in"])
def test_axe_finds_no_violation(
    contexts: dict[tuple[str, bool], BrowserContext], size: str, logged_in: bool
) -> None:
    page = contexts[size, logged_in].new_page()
    found: list[str] = []
    for path in LOGGED_IN if logged_in else LOGGED_OUT:
        _settled(page, path)
        found += _findings(path, _axe(page))
    page.close()
    assert not found, "\n".join(found)
    screens = len(LOGGED_IN if logged_in else LOGGED_OUT)
    report(
        f"axe-core on {screens} {'logged-in' if logged_in else 'logged-out'} screens at {size}"
        " size: no violation of any impact"
    )


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", LATER_SCREENS)
def test_axe_finds_no_violation_on_the_later_screens(
    contexts: dict[tuple[str, bool], BrowserContext], subjects: Subjects, size: str, screen: str
) -> None:
    page = contexts[size, True].new_page()
    open_screen(page, screen, subjects)
    found = _findings(screen, _axe(page))
    page.close()
    assert not found, "\n".join(found)
    report(f"axe-core on the {screen} screen at {size} size: no violation of any impact")


def test_every_page_has_its_own_title_and_one_h1(
    contexts: dict[tuple[str, bool], BrowserContext],
) -> None:
    seen: dict[str, str] = {}
    for path, title in TITLES.items():
        page = contexts["desktop", path.startswith("/dashboard")].new_page()
        _settled(page, path)
        expect(page).to_have_title(title)
        expect(page.locator("h1")).to_have_count(1)
        seen[path] = page.title()
        page.close()
    assert len(set(seen.values())) == len(seen)


def test_landing_page_has_an_h1(contexts: dict[tuple[str, bool], BrowserContext]) -> None:
    page = contexts["phone", False].new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome to Acme.")


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    contexts: dict[tuple[str, bool], BrowserContext],
) -> None:
    page = contexts["desktop", True].new_page()
    _settled(page, "/dashboard/invoices")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    box = skip.bounding_box()
    assert box is not None and box["width"] > 50  # shown while focused, not 1 px
    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is inside the content (the search box), not the side navigation.
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()
