import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./url";

describe("safeCallbackUrl", () => {
  it("follows paths on this site", () => {
    expect(safeCallbackUrl("/dashboard/invoices?page=2")).toBe("/dashboard/invoices?page=2");
    expect(safeCallbackUrl("/dashboard/customers")).toBe("/dashboard/customers");
  });

  it.each([null, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "dashboard", "javascript:alert(1)"])(
    "refuses %j",
    (value) => {
      expect(safeCallbackUrl(value)).toBe("/dashboard");
    },
  );
});
