import { describe, expect, it } from "vitest";
import { exportUrl } from "./upload";

describe("exportUrl", () => {
  it("exports the whole list without a search", () => {
    expect(exportUrl("invoices", "")).toBe("/api/exports/invoices.csv");
    expect(exportUrl("invoices", "lee", "overdue")).toBe("/api/exports/invoices.csv?query=lee&status=overdue");
  });
  it("carries the current search, encoded", () => {
    expect(exportUrl("customers", "lee & co/ü")).toBe("/api/exports/customers.csv?query=lee+%26+co%2F%C3%BC");
  });
});
