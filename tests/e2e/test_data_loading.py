"""Each screen asks for its data once, and no later than for its code (issue 13, point 8); the
timings themselves are measured by `make bench-frontend`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, Route, expect

SCREENS = {
    "/dashboard": ("/api/dashboard", "Overview-"),
    "/dashboard/invoices": ("/api/invoices?", "Invoices-"),
    "/dashboard/invoices?query=lee&page=1": ("/api/invoices?", "Invoices-"),
    "/dashboard/customers": ("/api/customers?", "Customers-"),
}


@pytest.mark.parametrize("path", list(SCREENS))
def test_a_full_load_asks_for_the_data_once_before_the_screen_code(
    user_page: Page, path: str
) -> None:
    page = user_page
    api_path, chunk = SCREENS[path]
    order: list[str] = []

    def note(request: Request) -> None:
        url = request.url
        if api_path in url:
            order.append("data")
        elif f"/assets/{chunk}" in url:
            order.append("code")

    page.on("request", note)
    page.goto(path)
    expect(
        page.get_by_test_id("result-count").or_(page.get_by_test_id("latest-invoice").first)
    ).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert order.count("data") == 1, order
    assert order.index("data") < order.index("code"), order


def test_client_side_navigation_asks_once_and_shows_the_rows(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard")
    expect(page.get_by_test_id("latest-invoice").first).to_be_visible()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/invoices" in r.url else None)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(page.locator("table tbody tr")).to_have_count(6)
    # Both lists show six rows: wait for the customers page itself before going back.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    expect(page).to_have_url(re.compile(r"/dashboard/customers$"))
    expect(page.locator("table tbody tr")).to_have_count(6)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(page.locator("table tbody tr")).to_have_count(6)
    assert len(asked) == 2, asked  # once per visit, never twice for one visit


CODE = {
    "/dashboard": ("Overview-", "[data-testid=latest-invoice]"),
    "/dashboard/invoices?query=lee": ("Invoices-", "table tbody td[data-testid=money]"),
    "/dashboard/customers": ("Customers-", "table tbody td[data-testid=money]"),
    "/dashboard/invoices/create": ("InvoiceForm-", "#amount"),
}


@pytest.mark.parametrize("path", list(CODE))
def test_a_full_load_asks_for_the_screen_code_without_waiting_for_the_main_bundle(
    user_page: Page, path: str
) -> None:
    page = user_page
    chunk, shown = CODE[path]
    held: list[Route] = []
    page.route(re.compile(r"/assets/index-[^/]*\.js$"), lambda route: held.append(route))
    with page.expect_request(lambda r: f"/assets/{chunk}" in r.url):
        page.goto(path, wait_until="commit")
    assert held, "the main bundle was not held back"  # so the screen's code went out before it
    for route in held:
        route.continue_()
    expect(page.locator(shown).first).to_be_visible()


# Lays out the first invoice amount as soon as it is on the page and marks the fonts that have
# loaded by then.
FONTS_AT_FIRST_DATA = """
(() => {
  const observer = new MutationObserver(() => {
    const amount = document.querySelector("table tbody td[data-testid=money]");
    if (!amount || !amount.getClientRects().length) return;
    observer.disconnect();
    window.__fontsAtData = [...document.fonts]
      .filter((font) => font.status === "loaded")
      .map((font) => `${font.family} ${font.weight}`);
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"""


def test_the_first_screen_is_drawn_in_its_own_fonts(user_page: Page) -> None:
    """The page asks for its two fonts with its code, not once laid out, and they are in when the
    data shows: the text does not change font after it appears. Holding back the bundle and the
    stylesheet proves that the font requests come from the page itself."""
    page = user_page
    page.add_init_script(FONTS_AT_FIRST_DATA)
    held: list[Route] = []
    page.route(re.compile(r"/assets/index-[^/]*\.(js|css)$"), lambda route: held.append(route))
    fonts: list[str] = []
    page.on("request", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    with (
        page.expect_response(re.compile(r"/assets/inter-latin-wght-normal-[^/]*\.woff2$")),
        page.expect_response(re.compile(r"/assets/lusitana-latin-400-normal-[^/]*\.woff2$")),
    ):
        page.goto("/dashboard/invoices", wait_until="commit")
    assert len(held) == 2, "the bundle and the stylesheet were not held back"
    for route in held:
        route.continue_()
    expect(page.locator("table tbody td[data-testid=money]").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert sorted(page.evaluate("window.__fontsAtData")) == [
        "Inter Variable 100 900",
        "Lusitana 400",
    ]
    assert len(fonts) == len(set(fonts)) == 2, (
        fonts
    )  # each asked for once: the stylesheet uses the preload


@pytest.mark.parametrize(
    ("path", "card"),
    [("/dashboard/invoices", "invoice-card"), ("/dashboard/customers", "customer-card")],
)
def test_a_list_turns_from_table_to_cards_and_back_as_the_window_is_resized(
    user_page: Page, path: str, card: str
) -> None:
    """A list renders its table or its cards by the width (not both, one hidden by CSS)."""
    page = user_page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(path)
    expect(page.locator("table tbody tr")).to_have_count(6)
    expect(page.get_by_test_id(card)).to_have_count(0)
    page.set_viewport_size({"width": 800, "height": 800})
    expect(page.get_by_test_id(card)).to_have_count(6)
    expect(page.locator("table")).to_have_count(0)
    page.set_viewport_size({"width": 1024, "height": 800})  # the breakpoint itself is wide
    expect(page.locator("table tbody tr")).to_have_count(6)
    expect(page.get_by_test_id(card)).to_have_count(0)
