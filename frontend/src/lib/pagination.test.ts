import { describe, expect, it } from "vitest";
import { generatePagination, parsePage } from "./pagination";

describe("generatePagination", () => {
  it("shows every page up to 7", () => {
    expect(generatePagination(1, 1)).toEqual([1]);
    expect(generatePagination(2, 3)).toEqual([1, 2, 3]);
    expect(generatePagination(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(generatePagination(1, 0)).toEqual([]);
  });

  it("near the start: 1,2,3,...,n-1,n", () => {
    expect(generatePagination(1, 10)).toEqual([1, 2, 3, "...", 9, 10]);
    expect(generatePagination(3, 10)).toEqual([1, 2, 3, "...", 9, 10]);
  });

  it("near the end: 1,2,...,n-2,n-1,n", () => {
    expect(generatePagination(8, 10)).toEqual([1, 2, "...", 8, 9, 10]);
    expect(generatePagination(10, 10)).toEqual([1, 2, "...", 8, 9, 10]);
  });

  it("in the middle: 1,...,p-1,p,p+1,...,n", () => {
    expect(generatePagination(4, 10)).toEqual([1, "...", 3, 4, 5, "...", 10]);
    expect(generatePagination(7, 10)).toEqual([1, "...", 6, 7, 8, "...", 10]);
    expect(generatePagination(5000, 16667)).toEqual([1, "...", 4999, 5000, 5001, "...", 16667]);
  });

  it("clamps a page outside the range", () => {
    expect(generatePagination(99, 8)).toEqual([1, 2, "...", 6, 7, 8]);
    expect(generatePagination(-3, 8)).toEqual([1, 2, 3, "...", 7, 8]);
  });
});

describe("parsePage", () => {
  it.each([
    [null, 1],
    ["", 1],
    ["3", 3],
    ["0", 1],
    ["-1", 1],
    ["2.5", 1],
    ["abc", 1],
  ])("%j -> %i", (value, page) => {
    expect(parsePage(value)).toBe(page);
  });
});
