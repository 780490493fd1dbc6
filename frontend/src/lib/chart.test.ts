import { describe, expect, it } from "vitest";
import { generateYAxis } from "./chart";

describe("generateYAxis", () => {
  it("rounds the highest month up to the next 1000", () => {
    const demo = [2000, 1800, 2200, 2500, 2300, 3200, 3500, 3700, 2500, 2800, 3000, 4800];
    expect(generateYAxis(demo)).toEqual({ labels: ["$5K", "$4K", "$3K", "$2K", "$1K", "$0K"], top: 5000 });
  });

  it("keeps an exact thousand", () => {
    expect(generateYAxis([3000]).labels).toEqual(["$3K", "$2K", "$1K", "$0K"]);
  });

  it("never divides by zero", () => {
    expect(generateYAxis([]).top).toBe(1000);
    expect(generateYAxis([0, 0]).labels).toEqual(["$1K", "$0K"]);
  });
});
