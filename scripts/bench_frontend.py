"""Frontend budgets: JS/CSS shipped to the overview (gzip), "data visible" on every screen, and
LCP/CLS of two screens in Chromium.

"Data visible" is the time from the start of the navigation until the screen shows its data (a
figure, a row, the form), on a full page load; for a client-side navigation it is the time from
the arrival of the API answer until its data is on screen.

Usage: uv run python scripts/bench_frontend.py [URL] [--runs N]

With a URL, measures that running server (e.g. `make run` on http://127.0.0.1:8000); without
one, starts a server on a free port with a fresh database holding the demo data. Reads the built
files from frontend/dist (build first: `cd frontend && npm run build`). Exits 1 when a budget is
exceeded.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import (  # noqa: E402 - the project root is on the path only now
    CHROMIUM_ARGS,
    chromium_path,
    create_database,
    drop_database,
    serve,
)

DIST = ROOT / "frontend" / "dist"
DEMO = {"email": "user@nextmail.com", "password": "123456"}
BUDGETS = {
    "js_kb": 120.0,
    "css_kb": 20.0,
    "lcp_s": 1.0,
    "cls": 0.05,
    "data_ms": 200.0,
    "after_answer_ms": 100.0,
}
# Every screen, and what shows that its data is on screen (the selector must match only then).
DATA_SCREENS = {
    "/dashboard": "[data-testid=latest-invoice]",
    "/dashboard/invoices": "table tbody td[data-testid=money], [data-testid=invoice-card]",
    "/dashboard/invoices?query=lee": (
        "table tbody td[data-testid=money], [data-testid=invoice-card]"
    ),
    "/dashboard/customers": "table tbody td[data-testid=money], [data-testid=customer-card]",
    "/dashboard/invoices/create": "#amount",
}
# Records when the selector first matches a visible element (checked on every DOM change) and
# says so on the console. Waiting for that message, rather than polling with wait_for_function,
# keeps Playwright from injecting its own script (30-70 ms of main-thread work) in the middle of
# the page's start.
DATA_VISIBLE = "data visible"
WATCH = """
(selector) => {
  window.__dataAt = null;
  const seen = () =>
    [...document.querySelectorAll(selector)].some((e) => e.getClientRects().length);
  const observer = new MutationObserver(() => check());
  const check = () => {
    if (window.__dataAt !== null || !seen()) return;
    window.__dataAt = performance.now();
    observer.disconnect();
    console.debug("DATA_VISIBLE");
  };
  observer.observe(document, { childList: true, subtree: true });
  check();
}
""".replace("DATA_VISIBLE", DATA_VISIBLE)
# Screens, and what shows that their data has arrived.
SCREENS = {
    "/dashboard": "[data-testid=latest-invoice] >> visible=true",
    "/dashboard/invoices": "main >> text=/\\$\\d/ >> visible=true",
}

OBSERVER = """
window.__perf = { lcp: 0, cls: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    window.__perf.lcp = entry.renderTime || entry.loadTime || entry.startTime;
}).observe({ type: "largest-contentful-paint", buffered: true });
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (!entry.hadRecentInput) window.__perf.cls += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


def gzip_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=9)) / 1024


@contextmanager
def own_server() -> Iterator[str]:
    database_url = create_database("acme_bench")
    try:
        with (
            tempfile.TemporaryDirectory() as folder,
            serve(database_url, Path(folder) / "server.log") as (url, _),
        ):
            yield url
    finally:
        drop_database(database_url)


def asset_sizes(browser: Browser, url: str) -> tuple[float, float, list[str]]:
    """Gzip size of the JS and CSS files Chromium loads for /dashboard, read from frontend/dist."""
    context = browser.new_context(base_url=url)
    context.request.post("/api/auth/login", data=DEMO)
    page = context.new_page()
    loaded: list[str] = []
    page.on("response", lambda r: loaded.append(urlsplit(r.url).path))
    page.goto("/dashboard")
    page.wait_for_selector(SCREENS["/dashboard"])
    page.wait_for_load_state("networkidle")
    context.close()
    files = sorted({p for p in loaded if p.startswith("/assets/") and p.endswith((".js", ".css"))})
    missing = [p for p in files if not (DIST / p.lstrip("/")).is_file()]
    if missing:
        sys.exit(f"{missing} not in {DIST}: is the server serving this build?")
    js = sum(gzip_kb(DIST / p.lstrip("/")) for p in files if p.endswith(".js"))
    css = sum(gzip_kb(DIST / p.lstrip("/")) for p in files if p.endswith(".css"))
    return js, css, files


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def vitals(
    browser: Browser, url: str, path: str, runs: int, viewport: str
) -> tuple[list[float], list[float]]:
    lcps: list[float] = []
    clss: list[float] = []
    for _ in range(runs):
        context = browser.new_context(base_url=url, viewport=VIEWPORTS[viewport])
        context.request.post("/api/auth/login", data=DEMO)
        context.add_init_script(OBSERVER)
        page = context.new_page()
        page.goto(path)
        page.wait_for_selector(SCREENS[path])
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready.then(() => undefined)")
        page.wait_for_timeout(500)  # let late paints and shifts be reported
        perf = page.evaluate("window.__perf")
        lcps.append(perf["lcp"] / 1000)
        clss.append(perf["cls"])
        context.close()
    return lcps, clss


API_OF = {
    "/dashboard": "/api/dashboard",
    "/dashboard/invoices": "/api/invoices?",
    "/dashboard/invoices?query=lee": "/api/invoices?",
    "/dashboard/customers": "/api/customers?",
}
# (request sent, answer in) per screen, ms after the navigation started: shows whether the data
# waited for the code.
REQUEST_TIMES: dict[str, list[tuple[float, float]]] = {}


def data_visible(browser: Browser, url: str, path: str, runs: int) -> list[float]:
    """Milliseconds from the start of a full page load until the screen's data is visible."""
    times: list[float] = []
    for _ in range(runs):
        context = browser.new_context(base_url=url, viewport=VIEWPORTS["desktop"], bypass_csp=True)
        context.request.post("/api/auth/login", data=DEMO)
        # From the start of the document, before any of the page's own scripts.
        context.add_init_script(script=f"({WATCH})({DATA_SCREENS[path]!r})")
        page = context.new_page()
        with page.expect_console_message(lambda m: m.text == DATA_VISIBLE):
            page.goto(path, wait_until="commit")
        times.append(page.evaluate("window.__dataAt"))
        if path in API_OF:
            sent, answered = page.evaluate(
                """(api) => {
                  const entry = performance.getEntriesByType("resource")
                    .find((e) => e.name.includes(api));
                  return entry ? [entry.startTime, entry.responseEnd] : [NaN, NaN];
                }""",
                API_OF[path],
            )
            REQUEST_TIMES.setdefault(path, []).append((sent, answered))
        context.close()
    return times


def after_answer(browser: Browser, url: str, runs: int) -> list[float]:
    """Client-side navigation overview -> invoices: ms from the API answer to its rows on screen."""
    times: list[float] = []
    for _ in range(runs):
        context = browser.new_context(base_url=url, viewport=VIEWPORTS["desktop"], bypass_csp=True)
        context.request.post("/api/auth/login", data=DEMO)
        page = context.new_page()
        page.goto("/dashboard")
        page.wait_for_selector(SCREENS["/dashboard"])
        page.wait_for_load_state("networkidle")
        page.evaluate(WATCH, DATA_SCREENS["/dashboard/invoices"])
        with page.expect_console_message(lambda m: m.text == DATA_VISIBLE):
            page.click("nav[aria-label=Main] a[href='/dashboard/invoices']")
        answered = page.evaluate(
            """() => performance.getEntriesByType("resource")
                 .filter((e) => e.name.includes("/api/invoices?"))
                 .map((e) => e.responseEnd).pop()"""
        )
        times.append(page.evaluate("window.__dataAt") - answered)
        context.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", help="a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument(
        "--runs", type=int, default=5, help="page loads per screen (median reported)"
    )
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        sys.exit("frontend/dist is missing: run `cd frontend && npm run build` first")

    rows: list[tuple[str, str, str, bool]] = []
    with own_server() if args.url is None else _given(args.url) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        js, css, files = asset_sizes(browser, url)
        rows.append(
            (
                "JS loaded by /dashboard (gzip)",
                f"{js:.1f} KB",
                f"{BUDGETS['js_kb']:.0f} KB",
                js <= BUDGETS["js_kb"],
            )
        )
        rows.append(
            (
                "CSS loaded by /dashboard (gzip)",
                f"{css:.1f} KB",
                f"{BUDGETS['css_kb']:.0f} KB",
                css <= BUDGETS["css_kb"],
            )
        )
        for path in DATA_SCREENS:
            times = data_visible(browser, url, path, args.runs)
            median = statistics.median(times)
            rows.append(
                (
                    f"data visible {path} (median of {args.runs}, max {max(times):.0f} ms)",
                    f"{median:.0f} ms",
                    f"{BUDGETS['data_ms']:.0f} ms",
                    median <= BUDGETS["data_ms"],
                )
            )
        times = after_answer(browser, url, args.runs)
        median = statistics.median(times)
        rows.append(
            (
                f"client navigation: answer to rows (median of {args.runs},"
                f" max {max(times):.0f} ms)",
                f"{median:.0f} ms",
                f"{BUDGETS['after_answer_ms']:.0f} ms",
                median <= BUDGETS["after_answer_ms"],
            )
        )
        for viewport in VIEWPORTS:
            for path in SCREENS:
                lcps, clss = vitals(browser, url, path, args.runs, viewport)
                lcp, cls = statistics.median(lcps), max(clss)
                where = f"{path} {viewport}"
                rows.append(
                    (
                        f"LCP {where} (median of {args.runs}, max {max(lcps):.2f} s)",
                        f"{lcp:.2f} s",
                        f"{BUDGETS['lcp_s']:.1f} s",
                        lcp <= BUDGETS["lcp_s"],
                    )
                )
                rows.append(
                    (
                        f"CLS {where} (worst of {args.runs})",
                        f"{cls:.3f}",
                        f"{BUDGETS['cls']:.2f}",
                        cls <= BUDGETS["cls"],
                    )
                )
        browser.close()

    print(f"Frontend budgets against {url}")
    for path, pairs in REQUEST_TIMES.items():
        sent = statistics.median(p[0] for p in pairs)
        answered = statistics.median(p[1] for p in pairs)
        print(f"  {path}: data request sent at {sent:.0f} ms, answer in at {answered:.0f} ms")
    print(f"  files loaded by /dashboard: {', '.join(Path(f).name for f in files)}")
    width = max(len(r[0]) for r in rows)
    print(f"{'metric':<{width}}  {'measured':>10}  {'budget':>8}  result")
    for name, value, budget, ok in rows:
        print(f"{name:<{width}}  {value:>10}  {budget:>8}  {'ok' if ok else 'OVER BUDGET'}")
    return 0 if all(r[3] for r in rows) else 1


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url.rstrip("/")


if __name__ == "__main__":
    raise SystemExit(main())
