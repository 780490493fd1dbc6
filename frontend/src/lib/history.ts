const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface HistoryActor {
  kind: string;
  id?: string | null;
  name: string;
}

/**
 * A moment as the dashboard shows dates, with the time in the viewer's zone:
 * "2026-11-26T14:03:09Z" -> "Nov 26, 2026 14:03" (in UTC).
 */
export function formatDateTime(iso: string, timeZone?: string): string {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(moment);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const month = MONTHS[Number(part("month")) - 1] ?? part("month");
  return `${month} ${part("day")}, ${part("year")} ${part("hour")}:${part("minute")}`;
}

/** Who made a change, as a sentence starts: "User", "alice (staff)", "API key “CI”". */
export function actorLabel(actor: HistoryActor): string {
  switch (actor.kind) {
    case "staff":
      return `${actor.name} (staff)`;
    case "apiKey":
      return actor.name.startsWith("API key") ? actor.name : `API key “${actor.name}”`;
    default:
      return actor.name;
  }
}

/** "User changed the amount from $12.50 to $15.00 on Nov 26, 2026 14:03" */
export function historySentence(actor: HistoryActor, summary: string, at: string, timeZone?: string): string {
  return `${actorLabel(actor)} ${summary} on ${formatDateTime(at, timeZone)}`;
}
