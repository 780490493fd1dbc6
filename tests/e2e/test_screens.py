"""The read-only screens with the demo data: overview, invoices list, customers, phone layout."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD, search_box, table_rows


def test_overview_cards_show_the_demo_figures(user_page: Page) -> None:
    user_page.goto("/dashboard")
    expect(user_page.get_by_role("region", name="Collected")).to_contain_text("$1,006.26")
    expect(user_page.get_by_role("region", name="Pending")).to_contain_text("$1,256.32")
    expect(user_page.get_by_role("region", name="Total Invoices")).to_contain_text("13")
    expect(user_page.get_by_role("region", name="Total Customers")).to_contain_text("6")


def test_revenue_chart_has_the_y_axis_rule_and_twelve_bars(user_page: Page) -> None:
    user_page.goto("/dashboard")
    chart = user_page.get_by_role("region", name="Recent Revenue")
    expect(chart.get_by_test_id("y-axis").locator("p")).to_have_text(
        ["$5K", "$4K", "$3K", "$2K", "$1K", "$0K"]
    )
    bars = chart.get_by_test_id("revenue-bar")
    expect(bars).to_have_count(12)
    # 350 px for the $5K top: Dec ($4,800) is 336 px high, Feb ($1,800) 126 px.
    expect(bars.nth(11)).to_have_css("height", "336px")
    expect(bars.nth(1)).to_have_css("height", "126px")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    expect(chart.get_by_text(re.compile(r"^[A-Z][a-z]{2}$"))).to_have_text(months)


def test_latest_invoices_are_the_newest_five(user_page: Page) -> None:
    user_page.goto("/dashboard")
    expect(user_page.get_by_test_id("latest-invoice")).to_have_text(
        [
            re.compile(r"Michael Novotny.*\$448\.00$"),
            re.compile(r"Delba de Oliveira.*\$5\.00$"),
            re.compile(r"Balazs Orban.*\$345\.77$"),
            re.compile(r"Lee Robinson.*\$542\.46$"),
            re.compile(r"Evil Rabbit.*\$6\.66$"),
        ]
    )


def test_invoice_search_lives_in_the_url(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    expect(table_rows(page)).to_have_count(6)
    expect(page.get_by_test_id("result-count")).to_have_text("13 invoices")
    search_box(page).fill("lee")
    expect(page).to_have_url(re.compile(r"/dashboard/invoices\?query=lee&page=1$"))
    expect(table_rows(page)).to_have_count(2)
    expect(table_rows(page).locator("td").first).to_have_text("Lee Robinson", use_inner_text=True)
    expect(page.get_by_test_id("result-count")).to_have_text("2 invoices")

    page.reload()
    expect(search_box(page)).to_have_value("lee")
    expect(table_rows(page)).to_have_count(2)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/dashboard/invoices$"))
    expect(search_box(page)).to_have_value("")
    expect(table_rows(page)).to_have_count(6)

    page.go_forward()
    expect(page).to_have_url(re.compile(r"\?query=lee&page=1$"))
    expect(search_box(page)).to_have_value("lee")
    expect(table_rows(page)).to_have_count(2)


def test_invoice_search_resets_to_page_one(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices?page=2")
    expect(table_rows(page)).to_have_count(6)
    search_box(page).fill("paid")
    expect(page).to_have_url(re.compile(r"\?query=paid&page=1$"))
    expect(table_rows(page)).to_have_count(6)
    expect(
        page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Page 2")
    ).to_be_visible()


def test_pagination_to_the_third_page(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/invoices")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.get_by_role("link", name=re.compile(r"^Page \d$"))).to_have_count(2)
    pagination.get_by_role("link", name="Page 3").click()
    expect(page).to_have_url(re.compile(r"\?page=3$"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).first.locator("td")).to_have_text(
        ["Lee Robinson", "lee@robinson.com", "$10.00", "Jun 5, 2022", "Paid", ""],
        use_inner_text=True,
    )
    expect(pagination.get_by_role("link", name="Next page")).to_have_attribute(
        "aria-disabled", "true"
    )
    pagination.get_by_role("link", name="Previous page").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(table_rows(page)).to_have_count(6)


def test_customers_table_and_search(user_page: Page) -> None:
    page = user_page
    page.goto("/dashboard/customers")
    expect(table_rows(page)).to_have_count(6)
    expect(table_rows(page).filter(has_text="Balazs Orban").locator("td")).to_have_text(
        ["Balazs Orban", "balazs@orban.com", "3", "$345.77", "$174.91"], use_inner_text=True
    )
    expect(table_rows(page).filter(has_text="Michael Novotny").locator("td")).to_have_text(
        ["Michael Novotny", "michael@novotny.com", "2", "$0.00", "$773.45"], use_inner_text=True
    )
    search_box(page).fill("or")
    expect(page).to_have_url(re.compile(r"/dashboard/customers\?query=or&page=1$"))
    expect(table_rows(page)).to_have_count(1)
    expect(table_rows(page).locator("td").first).to_have_text("Balazs Orban", use_inner_text=True)


def test_phone_layout_has_a_top_bar_and_invoice_cards(browser: Browser, server: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    try:
        context.request.post(
            "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        page = context.new_page()
        page.goto("/dashboard/invoices")
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Customers")).to_be_visible()
        expect(nav.get_by_role("button", name="Sign Out")).to_be_visible()
        # The navigation is a bar above the content, not a column beside it.
        nav_box = nav.bounding_box()
        heading_box = page.get_by_role("heading", name="Invoices").bounding_box()
        assert nav_box is not None and heading_box is not None
        assert nav_box["y"] + nav_box["height"] <= heading_box["y"]
        expect(page.get_by_test_id("invoice-card")).to_have_count(6)
        expect(page.locator("table")).to_be_hidden()
        expect(page.get_by_test_id("invoice-card").first).to_contain_text("$448.00")
    finally:
        context.close()
