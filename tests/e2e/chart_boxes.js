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
