"""Measurements of the rendered page, taken from element boxes in Chromium (shared by the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

WIDTHS = [320, 390, 768, 1024, 1280, 1920]
HERE = Path(__file__).parent

# Everything wrong with the layout of the page as it is now, in words.
# (The .js files beside this one are evaluated in the page.)
_PROBLEMS = (HERE / "layout_problems.js").read_text()

_CHART = (HERE / "chart_boxes.js").read_text()


def layout_problems(page: Page) -> list[str]:
    problems: list[str] = page.evaluate(_PROBLEMS)
    return problems


def chart_boxes(page: Page) -> dict[str, list[dict[str, Any]]]:
    boxes: dict[str, list[dict[str, Any]]] = page.evaluate(_CHART)
    return boxes


def reachable(page: Page, selector: str) -> list[str]:
    """Names of the matching visible elements that a click at their centre would not hit."""
    missed: list[str] = page.evaluate(
        """(selector) => {
          const missed = [];
          for (const el of document.querySelectorAll(selector)) {
            const r0 = el.getBoundingClientRect();
            if (r0.width === 0 || r0.height === 0) continue;
            el.scrollIntoView({ block: "center", inline: "center" });
            const r = el.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            const label = el.getAttribute("aria-label") || el.textContent;
            if (!hit || !el.contains(hit)) missed.push(label);
          }
          return missed;
        }""",
        selector,
    )
    return missed
