"""The overview's aging boxes, the customer statement, the invoice cards, the invoice form's
status box and the lists' search boxes at every width from 320 to 1920 px, with the largest
amount an invoice may hold and a long name and email: money whole inside its box, nothing past
its panel, no sideways scrolling, short names whole on the cards (their pills wrap below
instead), and search placeholders whole (the actions move to a row below instead).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD, logged_in_page
from tests.e2e.later_screens import add_payments, bearer
from tests.e2e.layout import WIDTHS, layout_problems
from tests.support import report

LARGEST = 2_147_483_647  # cents: $21,474,836.47, the largest amount an invoice may hold
NAME = "Bartholomew Featherstonehaugh-Kowalczyk"
EMAIL = "bartholomew.featherstonehaugh-kowalczyk.accounts-payable@consolidated-holdings.example"
# Two pending invoices of the largest amount, a quarter of one paid: what is not yet due.
OWED_TEXT = f"${(2 * LARGEST - LARGEST // 4) / 100:,.2f}"


def _money(cents: int) -> str:
    return f"${cents / 100:,.2f}"


@pytest.fixture(scope="module")
def customer(browser: Browser, server: str) -> str:
    """A customer with a long name and email owing two invoices of the largest amount (a
    quarter of one paid, and a voided payment) and one such invoice paid: their id."""
    context = browser.new_context(base_url=server)
    try:
        headers = bearer(context.request)
        context.clear_cookies()
        made = context.request.post(
            "/api/customers", headers=headers, data={"name": NAME, "email": EMAIL}
        )
        assert made.status == 201, made.text()
        customer_id: str = made.json()["id"]
        for status in ("paid", "pending", "pending"):
            invoice = context.request.post(
                "/api/invoices",
                headers=headers,
                data={"customerId": customer_id, "amount": LARGEST, "status": status},
            )
            assert invoice.status == 201, invoice.text()
        add_payments(context.request, headers, invoice.json()["id"])
        return customer_id
    finally:
        context.close()


@pytest.fixture
def sized_page(browser: Browser, server: str, customer: str, width: int) -> Iterator[Page]:
    """A logged-in page `width` px wide."""
    with logged_in_page(browser, server, width) as page:
        yield page


def _settle(page: Page) -> None:
    expect(page.locator("[aria-busy=true]")).to_have_count(0)
    page.evaluate("document.fonts.ready")


def _page_width(page: Page) -> tuple[int, int]:
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    return scroll, inner


# For each element matched by `selector`: its text, its box, the box of its nearest ancestor
# matching `within`, less that ancestor's padding, and whether its content is cut.
_BOXES = """([selector, within]) => [...document.querySelectorAll(selector)]
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    const r = el.getBoundingClientRect();
    const outer = el.parentElement.closest(within);
    const o = outer.getBoundingClientRect();
    const s = getComputedStyle(outer);
    return {
      text: el.textContent.trim(),
      left: r.left, right: r.right,
      inLeft: o.left + parseFloat(s.paddingLeft), inRight: o.right - parseFloat(s.paddingRight),
      cut: el.scrollWidth > el.clientWidth,
    };
  })"""


def _boxes(page: Page, selector: str, within: str) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.evaluate(_BOXES, [selector, within])
    return boxes


def _outside(boxes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The boxes cut off or reaching past their container's padding (half a pixel of rounding)."""
    return [
        b
        for b in boxes
        if b["cut"] or b["left"] < b["inLeft"] - 0.5 or b["right"] > b["inRight"] + 0.5
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_unpaid_invoice_boxes_hold_their_whole_figures(sized_page: Page, width: int) -> None:
    page = sized_page
    page.goto("/dashboard")
    aging = page.get_by_test_id("aging")
    expect(aging).to_contain_text(f"Not yet due{OWED_TEXT}")
    expect(aging).to_contain_text("Over 90 days$1,256.32")
    _settle(page)
    figures = _boxes(page, "[data-testid=aging] dd", "[data-testid=aging] > div")
    assert len(figures) == 5 and figures[0]["text"] == OWED_TEXT
    assert _outside(figures) == []
    boxes = _boxes(page, "[data-testid=aging] > div", "section")
    assert _outside(boxes) == []
    assert _page_width(page)[0] <= width
    assert layout_problems(page) == []
    report(f"aging boxes at {width} px: {OWED_TEXT} whole inside its box")


@pytest.mark.parametrize("width", WIDTHS)
def test_statement_stays_on_the_screen_with_its_money_whole(
    sized_page: Page, customer: str, width: int
) -> None:
    page = sized_page
    page.goto(f"/dashboard/customers/{customer}/statement")
    expect(page.get_by_test_id("statement-customer")).to_have_text(NAME)
    expect(page.get_by_test_id("statement-owed")).to_have_text(OWED_TEXT)
    expect(page.get_by_test_id("statement-payment")).to_have_count(3)
    _settle(page)
    scroll, inner = _page_width(page)
    assert scroll <= inner, f"the page scrolls sideways: {scroll} px in {inner} px"
    # The logo and the customer's block (with the whole email, wrapped) within the page's padding.
    header = _boxes(page, "main > header > div", "main")
    assert len(header) == 2 and _outside(header) == []
    expect(page.get_by_text(EMAIL, exact=True)).to_be_visible()
    logo, block = page.locator("main > header > div").all()
    logo_box, block_box = logo.bounding_box(), block.bounding_box()
    assert logo_box is not None and block_box is not None
    if width < 640:  # on a phone the block stacks under the logo
        assert block_box["y"] >= logo_box["y"] + logo_box["height"], (logo_box, block_box)
    else:
        assert block_box["x"] >= logo_box["x"] + logo_box["width"], (logo_box, block_box)
    # Each table inside the grey panel, each figure whole inside its table.
    tables = _boxes(page, "[data-testid=statement] table", "[data-testid=statement]")
    assert len(tables) == 3 and _outside(tables) == []
    money = _boxes(page, "[data-testid=statement] td:last-child", "table")
    assert len(money) >= 5 + 2 + 3 and _outside(money) == []
    assert {_money(LARGEST), OWED_TEXT} <= {m["text"] for m in money}
    assert layout_problems(page) == []
    report(f"statement at {width} px: {scroll} px wide, every table inside its panel")


def test_printed_statement_keeps_its_header_beside_the_logo(
    browser: Browser, server: str, customer: str
) -> None:
    """On paper (about 720 px wide) the buttons go and the customer's block stays on the right."""
    context = browser.new_context(base_url=server, viewport={"width": 720, "height": 900})
    try:
        context.request.post(
            "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        page = context.new_page()
        page.goto(f"/dashboard/customers/{customer}/statement")
        expect(page.get_by_test_id("statement-owed")).to_have_text(OWED_TEXT)
        page.emulate_media(media="print")
        expect(page.get_by_role("button", name="Print")).to_be_hidden()
        logo, block = page.locator("main > header > div").all()
        logo_box, block_box = logo.bounding_box(), block.bounding_box()
        assert logo_box is not None and block_box is not None
        assert block_box["x"] >= logo_box["x"] + logo_box["width"]
        assert block.evaluate("(el) => getComputedStyle(el).textAlign") == "right"
        assert _page_width(page)[0] <= 720
    finally:
        context.close()


@pytest.mark.parametrize("width", [w for w in WIDTHS if w < 1024])  # cards below 1024 px
def test_invoice_cards_show_short_names_whole_and_wrap_their_pills(
    sized_page: Page, width: int
) -> None:
    page = sized_page
    page.goto("/dashboard/invoices?status=overdue&page=1")
    cards = page.get_by_test_id("invoice-card")
    expect(cards).to_have_count(5)
    expect(page.get_by_test_id("overdue-pill")).to_have_count(5)
    _settle(page)
    names = _boxes(
        page, "[data-testid=invoice-card] [data-testid=invoice-link]", "[data-testid=invoice-card]"
    )
    assert [n["text"] for n in names] == [
        "Balazs Orban",
        "Lee Robinson",
        "Evil Rabbit",
        "Evil Rabbit",
        "Delba de Oliveira",
    ]
    assert _outside(names) == [], names
    pills = _boxes(
        page, "[data-testid=invoice-card] span.rounded-full.text-xs", "[data-testid=invoice-card]"
    )
    assert len(pills) == 10 and _outside(pills) == []
    # The long name still ends in "…" on a phone, whole on hover and for screen readers.
    page.goto(f"/dashboard/invoices?query={NAME.split()[0]}&page=1")
    expect(cards).to_have_count(3)
    link = page.get_by_title(NAME, exact=True).first
    expect(link).to_have_text(NAME)
    if width <= 390:
        assert link.evaluate("(el) => el.scrollWidth > el.clientWidth")
    money = _boxes(
        page, "[data-testid=invoice-card] [data-testid=money]", "[data-testid=invoice-card]"
    )
    assert [m["text"] for m in money] == [_money(LARGEST)] * 3 and _outside(money) == []
    assert layout_problems(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_invoice_form_status_box_lines_up_with_the_fields(sized_page: Page, width: int) -> None:
    page = sized_page
    page.goto("/dashboard/invoices/create")
    expect(page.get_by_label("Choose an amount")).to_be_visible()
    _settle(page)
    amount = page.get_by_label("Choose an amount").bounding_box()
    status = page.locator("fieldset > div").first.bounding_box()
    assert amount is not None and status is not None
    assert abs(status["x"] - amount["x"]) <= 0.5, (amount, status)
    assert abs(status["x"] + status["width"] - amount["x"] - amount["width"]) <= 0.5, (
        amount,
        status,
    )
    pills = _boxes(page, "fieldset label", "fieldset > div")
    assert len(pills) == 2 and _outside(pills) == []
    assert layout_problems(page) == []


# The room a search box leaves for its text (its width less its padding) and the width of its
# placeholder in the box's own font.
_PLACEHOLDER = """() => {
  const input = document.querySelector("input[type=search]");
  const s = getComputedStyle(input);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  return {
    text: input.placeholder,
    room: input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight),
    needed: context.measureText(input.placeholder).width,
  };
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("screen", ["/dashboard/invoices", "/dashboard/customers"])
def test_search_boxes_show_their_whole_placeholder(
    sized_page: Page, screen: str, width: int
) -> None:
    page = sized_page
    page.goto(screen)
    _settle(page)
    box = page.evaluate(_PLACEHOLDER)
    assert box["needed"] <= box["room"], f"{box['text']!r} cut at {width} px: {box}"
    assert _page_width(page)[0] <= width
    report(f"{screen} at {width} px: {box['text']!r} whole ({box['room']:.0f} px of room)")
