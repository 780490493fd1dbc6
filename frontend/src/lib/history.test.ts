import { describe, expect, it } from "vitest";
import { actorLabel, formatDateTime, historySentence } from "./history";

describe("formatDateTime", () => {
  it.each([
    ["2026-11-26T14:03:09Z", "UTC", "Nov 26, 2026 14:03"],
    ["2026-11-26T00:00:00+00:00", "UTC", "Nov 26, 2026 00:00"],
    ["2026-11-26T23:30:00Z", "Asia/Tokyo", "Nov 27, 2026 08:30"],
    ["2026-01-05T09:07:00.123456Z", "UTC", "Jan 5, 2026 09:07"],
  ])("%s in %s -> %s", (iso, zone, text) => {
    expect(formatDateTime(iso, zone)).toBe(text);
  });

  it("leaves text that is not a moment as it is", () => {
    expect(formatDateTime("yesterday")).toBe("yesterday");
  });
});

describe("historySentence", () => {
  it("reads as the issue asks", () => {
    expect(
      historySentence({ kind: "user", name: "User" }, "changed the amount from $12.50 to $15.00", "2026-11-26T14:03:00Z", "UTC"),
    ).toBe("User changed the amount from $12.50 to $15.00 on Nov 26, 2026 14:03");
  });

  it("says who is staff and which key acted", () => {
    expect(actorLabel({ kind: "staff", name: "alice" })).toBe("alice (staff)");
    expect(actorLabel({ kind: "apiKey", name: "CI" })).toBe("API key “CI”");
    expect(actorLabel({ kind: "system", name: "System" })).toBe("System");
  });
});
