import { describe, expect, it } from "vitest";
import { safeCallbackUrl, searchText } from "./url";

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

describe("searchText", () => {
  it("keeps what a person types, accents and emoji included", () => {
    expect(searchText("Dec 6, 2022")).toBe("Dec 6, 2022");
    expect(searchText("José 👩‍💻 100%_")).toBe("José 👩‍💻 100%_");
    expect(searchText(null)).toBe("");
  });

  it("turns pasted tabs, line breaks and NULs into spaces", () => {
    expect(searchText("lee\tpaid\r\nx\u0000y\u0085")).toBe("lee paid  x y ");
  });
});
