"""The dashboard's router as people drive it: the last click wins over a screen still loading, a
click with a modifier key stays the browser's (a new tab), the navigation marks the screen shown,
and a screen whose code cannot be loaded says so and recovers."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

CUSTOMERS_CODE = re.compile(r"/assets/Customers-[^/]*\.js$")


def _nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def _overview(page: Page) -> None:
    page.goto("/dashboard")
    expect(page.get_by_test_id("latest-invoice").first).to_be_visible()


def test_the_last_click_wins_over_a_screen_still_loading(user_page: Page) -> None:
    page = user_page
    _overview(page)
    held: list[Route] = []
    page.route(CUSTOMERS_CODE, lambda route: held.append(route))
    _nav(page).get_by_role("link", name="Customers").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    # The overview stays, at its own address, until the customers' code is in.
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_test_id("latest-invoice").first).to_be_visible()

    _nav(page).get_by_role("link", name="Invoices").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(page.locator("table tbody tr")).to_have_count(6)
    assert held, "the customers' code was not asked for"
    with page.expect_response(CUSTOMERS_CODE):  # the held code arrives, late
        for route in held:
            route.continue_()
    page.wait_for_load_state("networkidle")
    # The late code changed nothing: still the invoices, at their address, with their title.
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(page).to_have_title("Invoices · Acme")
    expect(page.get_by_test_id("progress")).to_have_count(0)


def test_a_click_with_a_modifier_key_opens_a_tab_and_leaves_this_one(
    user_page: Page, context: BrowserContext
) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    expect(page.locator("table tbody tr")).to_have_count(6)
    with context.expect_page() as opened:
        _nav(page).get_by_role("link", name="Customers").click(modifiers=["Control"])
    tab = opened.value
    expect(tab).to_have_url(re.compile(r"/dashboard/customers$"))
    expect(tab.locator("table tbody tr").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(page).to_have_title("Invoices · Acme")
    tab.close()


def test_the_navigation_marks_the_screen_shown(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices/create")
    expect(page.locator("#amount")).to_be_visible()
    home = _nav(page).get_by_role("link", name="Home")
    invoices = _nav(page).get_by_role("link", name="Invoices")
    # A screen under the invoices marks "Invoices"; "Home" is only the overview itself.
    expect(invoices).to_have_attribute("aria-current", "page")
    expect(home).not_to_have_attribute("aria-current", "page")
    home.click()
    expect(page.get_by_test_id("latest-invoice").first).to_be_visible()
    expect(home).to_have_attribute("aria-current", "page")
    expect(invoices).not_to_have_attribute("aria-current", "page")


def test_a_screen_whose_code_cannot_load_says_so_and_recovers(user_page: Page) -> None:
    page = user_page
    _overview(page)
    page.route(CUSTOMERS_CODE, lambda route: route.abort())
    _nav(page).get_by_role("link", name="Customers").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Something went wrong")
    expect(alert).not_to_contain_text("Error")  # no stack trace, no error text
    expect(page).to_have_url(re.compile(r"/dashboard/customers$"))
    page.unroute(CUSTOMERS_CODE)
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("table tbody tr").first).to_be_visible()
    expect(page).to_have_title("Customers · Acme")
