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
  const text = (el) => (el.textContent || "").trim().replace(/\s+/g, " ");
  const name = (el) => `<${el.tagName.toLowerCase()}> "${text(el).slice(0, 50)}"`;
  // A text field scrolls its own long value by design (an API key's secret, a long name).
  const textField = (el) => el.matches("input, textarea, select");
  for (const el of document.querySelectorAll("body *")) {
    if (!shown(el) || srOnly(el) || textField(el)) continue;
    const s = getComputedStyle(el);
    if (s.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      // A name may end in "…" when its full text is on hover (title) and read by screen readers.
      const namedTruncation =
        s.textOverflow === "ellipsis" && el.title === text(el) && !/\$\d/.test(text(el));
      if (!namedTruncation) problems.push(`cut off: ${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
  }
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {
    if (!shown(el) || srOnly(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > vw + 1)
      problems.push(`out of reach: ${name(el) || el.getAttribute("aria-label")} at x ${Math.round(r.left)}..${Math.round(r.right)}`);
  }
  for (const el of document.querySelectorAll("[data-testid=money], [data-testid=card-value], [data-money]")) {
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
