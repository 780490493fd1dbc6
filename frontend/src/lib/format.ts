const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Formats integer cents as US dollars: 123456789 -> "$1,234,567.89". */
export function formatCurrency(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be an integer, got ${cents}`);
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toString();
  const rest = (abs % 100).toString().padStart(2, "0");
  const grouped = dollars.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}$${grouped}.${rest}`;
}

/**
 * Parses a dollar amount typed by a person into integer cents, without floating point:
 * "157.95" -> 15795, "$1,006.26" -> 100626, "5" -> 500, ".5" -> 50.
 * Returns null for anything that is not a non-negative amount with at most two decimals.
 */
export function parseDollarsToCents(input: string): number | null {
  let text = input.trim();
  if (text.startsWith("$")) text = text.slice(1).trim();
  if (text.includes(",")) {
    if (!/^\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) return null;
    text = text.replace(/,/g, "");
  }
  const match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  const whole = match[1] ?? "";
  const fraction = match[2];
  if (whole === "" && (fraction === undefined || fraction === "")) return null;
  const wholeDigits = whole.replace(/^0+(?=\d)/, "");
  if (wholeDigits.length > 13) return null;
  const cents = Number(wholeDigits || "0") * 100 + Number((fraction ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Integer cents as the text of an amount input: 15795 -> "157.95", 500 -> "5.00". */
export function centsToDollarsInput(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}${Math.floor(abs / 100)}.${(abs % 100).toString().padStart(2, "0")}`;
}

/**
 * Formats a calendar date "YYYY-MM-DD" (or the date part of an ISO timestamp) as "Dec 6, 2022".
 * The parts are read from the text, so the browser's time zone can never shift the day.
 */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return isoDate;
  const [, year, month, day] = match;
  const name = MONTHS[Number(month) - 1];
  if (!name) return isoDate;
  return `${name} ${Number(day)}, ${Number(year)}`;
}

/** Initials for an avatar fallback: "Delba de Oliveira" -> "DO". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? "?";
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

/**
 * 1000013 -> "1,000,013". Integers are grouped by hand: the first toLocaleString call of a page
 * loads the browser's number-formatting data (several ms on the way to the first screen).
 */
export function formatNumber(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString("en-US");
  const digits = Math.abs(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return count < 0 ? `-${digits}` : digits;
}

/**
 * "13 invoices", "1 invoice", "10,000+ invoices" when the server capped a broad count, or
 * "about 600,000 invoices" when it estimated one (totalIsEstimate).
 */
export function formatCount(total: number, capped: boolean, noun: string, estimate = false): string {
  const plural = total === 1 && !capped && !estimate ? noun : `${noun}s`;
  return `${estimate ? "about " : ""}${formatNumber(total)}${capped ? "+" : ""} ${plural}`;
}

/** The largest amount an invoice can hold: PostgreSQL's integer, in cents ($21,474,836.47). */
export const MAX_CENTS = 2 ** 31 - 1;

/** A lower upper bound than MAX_CENTS, named in the message: { cents: 34246, name: "the balance due" }. */
export interface AmountLimit {
  cents: number;
  name: string;
}

/**
 * What is wrong with a typed amount, as the rule it breaks, or null when it is a valid amount:
 * a number, at most two decimals, more than $0, at most the largest amount (or `limit`, when given:
 * "Please enter an amount of at most the balance due, $342.46.").
 */
export function amountProblem(input: string, limit?: AmountLimit): string | null {
  const text = input.trim().replace(/^\$\s*/, "");
  if (text === "") return "Please enter an amount greater than $0.";
  if (/^-\s*\$?\s*[\d.,]+$/.test(text)) return "Please enter an amount greater than $0.";
  if (!/^(\d{1,3}(,\d{3})+|\d*)(\.\d*)?$/.test(text) || !/\d/.test(text)) {
    return "Please enter the amount as a number, such as 157.95.";
  }
  if (/\.\d{3,}$/.test(text)) return "Please enter the amount with at most two decimals (cents).";
  const cents = parseDollarsToCents(text);
  const max = limit ? Math.min(limit.cents, MAX_CENTS) : MAX_CENTS;
  if (cents === null || cents > max) {
    const bound = limit ? `${limit.name}, ${formatCurrency(max)}` : formatCurrency(max);
    return `Please enter an amount of at most ${bound}.`;
  }
  if (cents <= 0) return "Please enter an amount greater than $0.";
  return null;
}
