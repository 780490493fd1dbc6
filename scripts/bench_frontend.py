"""Frontend budgets: JS/CSS shipped to the overview (gzip), "data visible" on every screen, and
LCP/CLS of two screens in Chromium.

"Data visible" is the time from the start of the navigation until the screen shows its data (a
figure, a row, the form), on a full page load; for a client-side navigation it is the time from
the arrival of the API answer until its data is on screen.

Beside each screen's figure stands the browser's own share on this machine: the same screen
served as a static page (its rendered HTML with the same stylesheet and fonts, no script and no
data request) from a plain file server, measured the same way. No page of this look loads faster
here, so the difference is what the app's code and data cost; the budget holds only on a machine
where that reference leaves room for it.

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
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ViewportSize, sync_playwright

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


VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


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
    return [load_until_visible(browser, url, path, login=True) for _ in range(runs)]


# The screen as the app drew it, without what makes it an app: its scripts and module preloads.
SNAPSHOT = """() => {
  const copy = document.documentElement.cloneNode(true);
  copy.querySelectorAll("script, link[rel=modulepreload]").forEach((e) => e.remove());
  return "<!doctype html>" + copy.outerHTML;
}"""
# Headers of the app's document that the static copy keeps: the same security policy costs the
# same (a Cross-Origin-Opener-Policy, for one, puts a page opened from a blank tab in a new
# process: 40 ms here).
NOT_COPIED = {"content-length", "content-type", "content-encoding", "date", "server", "etag"}


def snapshot(browser: Browser, url: str, path: str) -> tuple[bytes, list[tuple[str, str]]]:
    """The screen at `path` once loaded, as static HTML (same stylesheet and font preloads), and
    the headers the app serves its document with."""
    context = browser.new_context(base_url=url, viewport=VIEWPORTS["desktop"])
    context.request.post("/api/auth/login", data=DEMO)
    page = context.new_page()
    response = page.goto(path)
    assert response is not None
    headers = [
        (name, value) for name, value in response.headers.items() if name.lower() not in NOT_COPIED
    ]
    page.wait_for_selector(DATA_SCREENS[path].split(", ")[0] + " >> visible=true")
    page.wait_for_load_state("networkidle")
    html: str = page.evaluate(SNAPSHOT)
    context.close()
    return html.encode(), headers


@contextmanager
def static_pages(pages: dict[str, tuple[bytes, list[tuple[str, str]]]]) -> Iterator[str]:
    """A plain file server: the snapshots by path (with their headers), and the build's files
    (frontend/dist) as they are."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # connections kept alive, as by the app's server

        def do_GET(self) -> None:
            file = DIST / urlsplit(self.path).path.lstrip("/")
            headers: list[tuple[str, str]] = []
            if self.path in pages:
                body, headers = pages[self.path]
                headers = [*headers, ("Content-Type", "text/html; charset=utf-8")]
            elif file.resolve().is_relative_to(DIST.resolve()) and file.is_file():
                body = file.read_bytes()
                kind = {".css": "text/css", ".woff2": "font/woff2", ".svg": "image/svg+xml"}
                headers = [("Content-Type", kind.get(file.suffix, "application/octet-stream"))]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            for name, value in [*headers, ("Content-Length", str(len(body)))]:
                self.send_header(name, value)
            self.end_headers()
            # A page closed before it had every file: nothing to report.
            with suppress(ConnectionError):
                self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def reference(browser: Browser, url: str, runs: int) -> dict[str, float]:
    """Per screen: median ms until the same screen, as a static page, shows the same data."""
    pages = {path: snapshot(browser, url, path) for path in DATA_SCREENS}
    with static_pages(pages) as static_url:
        return {
            path: statistics.median(
                load_until_visible(browser, static_url, path) for _ in range(runs)
            )
            for path in DATA_SCREENS
        }


def load_until_visible(browser: Browser, url: str, path: str, login: bool = False) -> float:
    """One full page load of `path` in a new context: ms until its data is visible."""
    context = browser.new_context(base_url=url, viewport=VIEWPORTS["desktop"], bypass_csp=True)
    if login:
        context.request.post("/api/auth/login", data=DEMO)
    # From the start of the document, before any of the page's own scripts.
    context.add_init_script(script=f"({WATCH})({DATA_SCREENS[path]!r})")
    page = context.new_page()
    with page.expect_console_message(lambda m: m.text == DATA_VISIBLE):
        page.goto(path, wait_until="commit")
    visible: float = page.evaluate("window.__dataAt")
    if login and path in API_OF:
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
    return visible


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
        floor = reference(browser, url, args.runs)
        for path in DATA_SCREENS:
            times = data_visible(browser, url, path, args.runs)
            median = statistics.median(times)
            rows.append(
                (
                    f"data visible {path} (median of {args.runs}, max {max(times):.0f} ms;"
                    f" as a static page {floor[path]:.0f} ms)",
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
