"""Measurements of the rendered page, taken from element boxes in Chromium (shared by the tests)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

WIDTHS = [320, 390, 768, 1024, 1280, 1920]

# Everything that is wrong with the layout of the page as it is now, in words.
_PROBLEMS = """
() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const page = document.documentElement.scrollWidth;
  if (page > vw + 1) problems.push(`the page scrolls sideways: ${page} px wide in ${vw} px`);
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden";
  };
  // Screen-reader-only text is clipped to 1 px on purpose.
  const srOnly = (el) => {
    const s = getComputedStyle(el);
    return s.position === "absolute" && (s.clipPath === "inset(50%)" || s.clip === "rect(0px, 0px, 0px, 0px)");
  };
  const text = (el) => (el.textContent || "").trim().replace(/\\s+/g, " ");
  const name = (el) => `<${el.tagName.toLowerCase()}> "${text(el).slice(0, 50)}"`;
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || srOnly(el)) continue;
    const s = getComputedStyle(el);
    if (s.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      // A name may end in "…" when its full text is on hover (title) and read by screen readers.
      const namedTruncation =
        s.textOverflow === "ellipsis" && el.title === text(el) && !/\\$\\d/.test(text(el));
      if (!namedTruncation) problems.push(`cut off: ${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {
    if (!shown(el) || srOnly(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > vw + 1)
      problems.push(`out of reach: ${name(el) || el.getAttribute("aria-label")} at x ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  for (const el of document.querySelectorAll("[data-testid=money], [data-testid=card-value]")) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1) problems.push(`figure cut: ${name(el)}`);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX === "visible") continue;
      const box = a.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`figure hidden by a box: ${name(el)}`);
    }
  }
  return problems;
}
"""

_CHART = """
() => {
  const box = (el) => el.getBoundingClientRect();
  const visibleSpan = (label) => [...label.querySelectorAll("span")].find((s) => getComputedStyle(s).display !== "none");
  const months = [...document.querySelectorAll("[data-testid=month-label]")].map((label) => {
    const span = visibleSpan(label);
    const r = box(span);
    return { text: span.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
             size: parseFloat(getComputedStyle(span).fontSize) };
  });
  const ticks = [...document.querySelectorAll("[data-testid=y-axis] p")].map((p) => {
    const r = box(p);
    return { text: p.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
             size: parseFloat(getComputedStyle(p).fontSize) };
  });
  const bars = [...document.querySelectorAll("[data-testid=revenue-bar]")].map((b) => {
    const r = box(b);
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  });
  return { months, ticks, bars };
}
"""


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
            if (!hit || !el.contains(hit)) missed.push(el.getAttribute("aria-label") || el.textContent);
          }
          return missed;
        }""",
        selector,
    )
    return missed
