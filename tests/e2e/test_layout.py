"""Every screen at every width from phone to wide desktop: nothing cut off, every action in reach,
chart labels legible and apart, card figures whole, money never truncated (issue 13, points 2-3).

The data includes a customer with a very long name and the largest amount the API accepts, so
that truncation and overflow show up if they can happen at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.helpers import DEMO_EMAIL, DEMO_PASSWORD
from tests.e2e.later_screens import LATER_SCREENS, Subjects, add_payments, open_screen
from tests.e2e.layout import WIDTHS, chart_boxes, layout_problems, reachable
from tests.support import report

LONG_NAME = (
    "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh of Consolidated"
    " International Holdings"
)
LARGEST = 2_147_483_647  # cents: $21,474,836.47, the largest amount the API accepts
LARGEST_TEXT = "$21,474,836.47"
DEMO_PENDING = 125_632  # cents: the demo's pending total
# Two pending invoices of the largest amount, a quarter of one paid: the biggest Pending card.
PENDING_TEXT = f"${(2 * LARGEST - LARGEST // 4 + DEMO_PENDING) / 100:,.2f}"

SCREENS = [
    "/",
    "/login",
    "/dashboard",
    "/dashboard/invoices",
    "/dashboard/invoices?query=2022",
    "/dashboard/customers",
    "/dashboard/invoices/create",
]


@pytest.fixture(scope="module")
def long_data(browser: Browser, server: str) -> Subjects:
    """A customer with a very long name and invoices of the largest amount, dated today: one
    paid, two pending, one of those with a partial payment (long note) and a voided one."""
    context = browser.new_context(base_url=server)
    try:
        token = context.request.post(
            "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        ).json()["token"]
        context.clear_cookies()
        bearer = {"Authorization": f"Bearer {token}"}
        customer = context.request.post(
            "/api/customers",
            headers=bearer,
            data={"name": LONG_NAME, "email": "maximiliana.featherstonehaugh@holdings.example"},
        )
        assert customer.status == 201, customer.text()
        for status in ("pending", "paid", "pending"):
            invoice = context.request.post(
                "/api/invoices",
                headers=bearer,
                data={"customerId": customer.json()["id"], "amount": LARGEST, "status": status},
            )
            assert invoice.status == 201, invoice.text()
        add_payments(context.request, bearer, invoice.json()["id"])
        return Subjects(invoice=invoice.json()["id"], customer=customer.json()["id"])
    finally:
        context.close()


def _context(browser: Browser, server: str, width: int, logged_in: bool) -> BrowserContext:
    context = browser.new_context(base_url=server, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    if logged_in:
        response = context.request.post(
            "/api/auth/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        )
        assert response.ok
    return context


def _open(page: Page, path: str) -> None:
    page.goto(path)
    if path == "/dashboard":
        expect(page.get_by_test_id("latest-invoice").first).to_be_visible()
        expect(page.get_by_test_id("revenue-bar").first).to_be_visible()
    elif path.startswith(("/dashboard/invoices?", "/dashboard/customers")) or path.endswith(
        "/invoices"
    ):
        expect(page.get_by_test_id("result-count")).not_to_be_empty()
    elif path.endswith("/create"):
        expect(page.get_by_label("Choose an amount")).to_be_visible()
    else:
        expect(page.locator("h1").first).to_be_visible()
    page.evaluate("document.fonts.ready")


@pytest.fixture(scope="module")
def width_pages(
    browser: Browser, server: str, long_data: Subjects
) -> Iterator[dict[tuple[int, bool], Page]]:
    contexts: dict[tuple[int, bool], BrowserContext] = {}
    pages: dict[tuple[int, bool], Page] = {}
    for width in WIDTHS:
        for logged_in in (False, True):
            contexts[width, logged_in] = _context(browser, server, width, logged_in)
            pages[width, logged_in] = contexts[width, logged_in].new_page()
    yield pages
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_screen_scrolls_sideways_or_cuts_anything_off(
    width_pages: dict[tuple[int, bool], Page], width: int
) -> None:
    problems: list[str] = []
    for path in SCREENS:
        page = width_pages[width, path.startswith("/dashboard")]
        _open(page, path)
        problems += [f"{path}: {p}" for p in layout_problems(page)]
    assert not problems, "\n".join(problems)
    report(f"layout: {len(SCREENS)} screens at {width} px without overflow or cut-off content")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_invoice_action_is_in_reach(
    width_pages: dict[tuple[int, bool], Page], width: int
) -> None:
    page = width_pages[width, True]
    _open(page, "/dashboard/invoices")
    for name in ("Edit", "Delete"):
        actions = page.get_by_role("link" if name == "Edit" else "button", name=name)
        visible = [a for a in actions.all() if a.is_visible()]
        assert len(visible) == 6, (name, len(visible))
    for text in ("Pending", "Paid"):
        assert any(e.is_visible() for e in page.get_by_text(text, exact=True).all()), text
    missed = reachable(
        page, "main a[aria-label^='Edit'], main button[aria-label^='Delete'], main a[href]"
    )
    assert missed == []
    page.get_by_role("button", name="Delete").locator("visible=true").first.click()
    expect(page.get_by_role("dialog", name="Delete invoice")).to_be_visible()
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_status_pills_line_up_in_the_table(
    width_pages: dict[tuple[int, bool], Page], width: int
) -> None:
    page = width_pages[width, True]
    _open(page, "/dashboard/invoices")
    # Each row's first visible pill in the status column (Paid, Pending, or Overdue alone where
    # the status pill gives way): their left edges in one line. Below 1024 px, cards instead.
    lefts: list[float] = page.evaluate(
        """() => [...document.querySelectorAll("table tbody tr")]
             .filter((row) => row.getClientRects().length)
             .map((row) => [...row.cells].at(-2))
             .map((cell) => [...cell.querySelectorAll("span.rounded-full")]
               .find((pill) => pill.getClientRects().length))
             .map((pill) => pill.getBoundingClientRect().left)"""
    )
    overdue = page.get_by_test_id("overdue-pill").locator("visible=true").count()
    if width >= 1024:
        assert len(lefts) == 6 and overdue > 0, (lefts, overdue)
        assert max(lefts) - min(lefts) < 0.5, lefts
    else:
        assert lefts == []


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_labels_are_legible_and_apart(
    width_pages: dict[tuple[int, bool], Page], width: int
) -> None:
    page = width_pages[width, True]
    _open(page, "/dashboard")
    boxes = chart_boxes(page)
    months, ticks, bars = boxes["months"], boxes["ticks"], boxes["bars"]
    assert len(months) == len(bars) == 12
    assert [t["text"] for t in ticks] == ["$5K", "$4K", "$3K", "$2K", "$1K", "$0K"]
    for label in months + ticks:
        assert label["size"] >= 12, label
    # Month labels: one under each bar, at least 2 px apart, never wider than the bar's column.
    for left, right in pairwise(months):
        assert left["right"] + 2 <= right["left"], (left, right)
    for label, bar in zip(months, bars, strict=True):
        centre = (label["left"] + label["right"]) / 2
        assert bar["left"] - 1 <= centre <= bar["right"] + 1, (label, bar)
        assert label["top"] >= bar["bottom"], (label, bar)
    # The y-axis labels sit left of the first bar and do not touch each other.
    first_bar = min(b["left"] for b in bars)
    for tick in ticks:
        assert tick["right"] <= first_bar - 2, (tick, first_bar)
    for upper, lower in pairwise(ticks):
        assert upper["bottom"] <= lower["top"], (upper, lower)
    # The bars stand on the $0K line: its label is level with their feet (within its own height).
    zero = ticks[-1]
    feet = max(b["bottom"] for b in bars)
    assert zero["top"] - 2 <= feet <= zero["bottom"] + 8, (zero, feet)
    words = [m["text"] for m in months]
    assert words in (
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        list("JFMAMJJASOND"),
    )
    expect(page.get_by_test_id("chart-period")).to_have_text("Jan \u2013 Dec 2023")
    report(f"chart at {width} px: month labels {'/'.join(words[:2])}…, smallest gap measured")


@pytest.mark.parametrize("width", WIDTHS)
def test_cards_are_aligned_with_whole_figures(
    width_pages: dict[tuple[int, bool], Page], width: int
) -> None:
    page = width_pages[width, True]
    _open(page, "/dashboard")
    figures = page.get_by_test_id("card-value")
    expect(figures).to_have_count(4)
    boxes = [f.bounding_box() for f in figures.all()]
    assert all(b is not None for b in boxes)
    rows: dict[int, list[dict[str, float]]] = {}
    cards = page.locator("section").filter(has=page.get_by_test_id("card-value"))
    for card, box in zip(cards.all(), boxes, strict=True):
        card_box = card.bounding_box()
        assert card_box is not None and box is not None
        rows.setdefault(round(card_box["y"]), []).append(box)
    for row in rows.values():
        assert len({round(b["y"]) for b in row}) == 1, f"figure boxes at different heights: {row}"
        assert len({round(b["height"]) for b in row}) == 1
    for figure in figures.all():
        whole = figure.evaluate("(el) => el.scrollWidth <= el.clientWidth")
        assert whole, figure.text_content()
    # The pending card holds twice the largest amount the API accepts, less a quarter of it
    # paid, plus the demo's pending total.
    expect(page.get_by_role("region", name="Pending")).to_contain_text(PENDING_TEXT)


@pytest.mark.parametrize("width", WIDTHS)
def test_money_is_whole_and_long_names_truncate_with_the_full_name_on_hover(
    width_pages: dict[tuple[int, bool], Page], width: int
) -> None:
    page = width_pages[width, True]
    # The longest figure each screen shows: an invoice's amount, or the customer's pending total.
    longest = {
        "/dashboard": LARGEST_TEXT,
        "/dashboard/invoices": LARGEST_TEXT,
        "/dashboard/customers?query=Maximiliana": f"${(2 * LARGEST - LARGEST // 4) / 100:,.2f}",
    }
    for path, figure in longest.items():
        _open(page, path)
        amounts = [m for m in page.get_by_test_id("money").all() if m.is_visible()]
        assert amounts, path
        assert any(m.text_content() == figure for m in amounts), path
        for amount in amounts:
            text = amount.text_content() or ""
            assert "…" not in text and amount.evaluate(
                "(el) => el.scrollWidth <= el.clientWidth"
            ), (path, text)
        names = [n for n in page.get_by_title(LONG_NAME, exact=True).all() if n.is_visible()]
        assert names, path
        for name in names:
            assert name.text_content() == LONG_NAME  # whole for screen readers
    if width <= 390:
        truncated = page.get_by_title(LONG_NAME, exact=True).locator("visible=true").first
        assert truncated.evaluate("(el) => el.scrollWidth > el.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("screen", LATER_SCREENS)
def test_later_screens_keep_everything_whole_and_in_reach(
    width_pages: dict[tuple[int, bool], Page], long_data: Subjects, width: int, screen: str
) -> None:
    """The invoice page, customer page and form, import and API keys, with the long name, the
    largest amounts and a long payment note: no sideways scroll, nothing cut, money whole."""
    page = width_pages[width, True]
    open_screen(page, screen, long_data)
    problems = layout_problems(page)
    assert not problems, "\n".join(problems)
    # Every link, button and field is where a click at its centre lands on it (a dialog, when
    # one is open, is what is in reach).
    scope = "dialog[open] " if screen == "invoice-void" else "main "
    missed = reachable(page, ", ".join(scope + t for t in ("a[href]", "button", "input", "select")))
    assert missed == [], missed
    if screen.startswith("invoice"):
        for figure in ("invoice-amount", "invoice-balance"):
            text = page.get_by_test_id(figure).text_content() or ""
            assert text.startswith("$") and "…" not in text, (figure, text)
        expect(page.get_by_test_id("invoice-amount")).to_have_text(LARGEST_TEXT)
    if screen == "customer":
        paid = f"${(LARGEST + LARGEST // 4) / 100:,.2f}"  # the paid invoice and the quarter
        expect(page.get_by_label("Totals")).to_contain_text(paid)
    if screen == "invoice-void":
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
    report(f"layout: the {screen} screen at {width} px whole and in reach")
