/** Y-axis of the revenue chart: the top is the highest month rounded up to the next 1000 dollars. */
export function generateYAxis(revenues: number[]): { labels: string[]; top: number } {
  const highest = revenues.length ? Math.max(...revenues) : 0;
  const top = Math.max(1000, Math.ceil(highest / 1000) * 1000);
  const labels: string[] = [];
  for (let value = top; value >= 0; value -= 1000) labels.push(`$${value / 1000}K`);
  return { labels, top };
}
