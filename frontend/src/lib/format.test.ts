import { describe, expect, it } from "vitest";
import { amountProblem, centsToDollarsInput, formatCurrency, formatDate, initials, parseDollarsToCents, formatCount, formatNumber } from "./format";

describe("formatCurrency", () => {
  it.each([
    [0, "$0.00"],
    [5, "$0.05"],
    [666, "$6.66"],
    [15795, "$157.95"],
    [100626, "$1,006.26"],
    [123456789, "$1,234,567.89"],
    [100000000, "$1,000,000.00"],
    [-1250, "-$12.50"],
  ])("%i cents -> %s", (cents, text) => {
    expect(formatCurrency(cents)).toBe(text);
  });

  it("refuses fractions of a cent", () => {
    expect(() => formatCurrency(1.5)).toThrow(RangeError);
  });
});

describe("parseDollarsToCents", () => {
  it.each([
    ["157.95", 15795],
    ["0.29", 29],
    ["1.00", 100],
    ["5", 500],
    ["5.", 500],
    ["5.5", 550],
    [".5", 50],
    ["$1,006.26", 100626],
    [" 42.90 ", 4290],
    ["0", 0],
    ["00012.30", 1230],
    ["21474836.47", 2147483647],
  ])("%s -> %i", (text, cents) => {
    expect(parseDollarsToCents(text)).toBe(cents);
  });

  it("is exact where float multiplication is not", () => {
    // 157.95 * 100 === 15794.999999999998 in floating point
    expect(parseDollarsToCents("157.95")).toBe(15795);
    expect(parseDollarsToCents("1.15")).toBe(115);
    expect(parseDollarsToCents("4.35")).toBe(435);
  });

  it.each(["", " ", ".", "abc", "1.234", "-5", "1e3", "1,00", "12,34.5", "$", "1.2.3", "١٢"])(
    "rejects %j",
    (text) => {
      expect(parseDollarsToCents(text)).toBeNull();
    },
  );

  it("round-trips with centsToDollarsInput", () => {
    for (const cents of [1, 29, 500, 15795, 100626, 2147483647]) {
      expect(parseDollarsToCents(centsToDollarsInput(cents))).toBe(cents);
    }
    expect(centsToDollarsInput(500)).toBe("5.00");
  });
});

describe("formatDate", () => {
  it.each([
    ["2022-12-06", "Dec 6, 2022"],
    ["2022-06-05", "Jun 5, 2022"],
    ["2023-01-01", "Jan 1, 2023"],
    ["2023-12-31", "Dec 31, 2023"],
    ["2023-09-10T23:30:00-10:00", "Sep 10, 2023"],
  ])("%s -> %s", (iso, text) => {
    expect(formatDate(iso)).toBe(text);
  });

  it("does not depend on the time zone", () => {
    const before = process.env.TZ;
    try {
      for (const tz of ["Pacific/Kiritimati", "America/Adak", "UTC"]) {
        process.env.TZ = tz;
        expect(formatDate("2022-12-06")).toBe("Dec 6, 2022");
        expect(formatDate("2023-01-01")).toBe("Jan 1, 2023");
      }
    } finally {
      process.env.TZ = before;
    }
  });

  it("leaves unknown text alone", () => {
    expect(formatDate("soon")).toBe("soon");
    expect(formatDate("2022-13-01")).toBe("2022-13-01");
  });
});

describe("initials", () => {
  it("takes the first and last word", () => {
    expect(initials("Delba de Oliveira")).toBe("DO");
    expect(initials("evil")).toBe("E");
    expect(initials("  ")).toBe("?");
  });
});

describe("formatNumber", () => {
  it.each([0, 7, 999, 1000, 1000013, -1234567, 2 ** 53 - 1, 1234.5])("%d reads as the browser would write it", (n) => {
    expect(formatNumber(n)).toBe(n.toLocaleString("en-US"));
  });
});

describe("formatCount", () => {
  it("counts exactly, or says the count is a lower bound", () => {
    expect(formatCount(13, false, "invoice")).toBe("13 invoices");
    expect(formatCount(1, false, "invoice")).toBe("1 invoice");
    expect(formatCount(0, false, "customer")).toBe("0 customers");
    expect(formatCount(50000, true, "invoice")).toBe("50,000+ invoices");
    expect(formatCount(600000, false, "invoice", true)).toBe("about 600,000 invoices");
  });
});

describe("amountProblem states the rule a typed amount breaks", () => {
  it.each([
    ["", "Please enter an amount greater than $0."],
    ["   ", "Please enter an amount greater than $0."],
    ["0", "Please enter an amount greater than $0."],
    ["0.00", "Please enter an amount greater than $0."],
    ["-5", "Please enter an amount greater than $0."],
    ["abc", "Please enter the amount as a number, such as 157.95."],
    ["1e5", "Please enter the amount as a number, such as 157.95."],
    ["12,34", "Please enter the amount as a number, such as 157.95."],
    [".", "Please enter the amount as a number, such as 157.95."],
    ["true", "Please enter the amount as a number, such as 157.95."],
    ["1.234", "Please enter the amount with at most two decimals (cents)."],
    ["99999999999", "Please enter an amount of at most $21,474,836.47."],
    ["21474836.48", "Please enter an amount of at most $21,474,836.47."],
  ])("%j -> %s", (input, message) => {
    expect(amountProblem(input)).toBe(message);
  });

  it.each(["157.95", "$1,006.26", "5", ".5", "21474836.47", " 12.3 "])("%j is fine", (input) => {
    expect(amountProblem(input)).toBeNull();
  });
});

describe("amountProblem with a limit (a payment: at most the balance due)", () => {
  const balance = { cents: 34246, name: "the balance due" };
  it.each([
    ["342.47", "Please enter an amount of at most the balance due, $342.46."],
    ["99999999999", "Please enter an amount of at most the balance due, $342.46."],
    ["1.234", "Please enter the amount with at most two decimals (cents)."],
    ["abc", "Please enter the amount as a number, such as 157.95."],
    ["-5", "Please enter an amount greater than $0."],
    ["0", "Please enter an amount greater than $0."],
  ])("%j -> %s", (input, message) => {
    expect(amountProblem(input, balance)).toBe(message);
  });

  it.each(["342.46", "0.01", "$342"])("%j is fine", (input) => {
    expect(amountProblem(input, balance)).toBeNull();
  });

  it("never allows more than the largest amount, whatever the limit", () => {
    expect(amountProblem("21474836.48", { cents: 2 ** 40, name: "the limit" })).toBe(
      "Please enter an amount of at most the limit, $21,474,836.47.",
    );
  });
});
