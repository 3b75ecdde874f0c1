import { describe, expect, it } from "vitest";

import { AHEAD_WEEKS, compareWithActual, mondayOnOrBefore, mondaysToFreeze, wape } from "~/features/forecast/frozen";

describe("the weeks frozen", () => {
  it("finds the Monday on or before a date", () => {
    expect(mondayOnOrBefore("2026-12-07")).toBe("2026-12-07");
    expect(mondayOnOrBefore("2026-12-13")).toBe("2026-12-07");
    expect(mondayOnOrBefore("2027-01-02")).toBe("2026-12-28");
    expect(mondayOnOrBefore("1970-01-01")).toBe("1969-12-29");
  });

  it("lists this week's Monday and the ones before it, newest first", () => {
    expect(mondaysToFreeze("2026-12-09", 2)).toEqual(["2026-12-07", "2026-11-30", "2026-11-23"]);
  });
});

describe("forecast against actual", () => {
  it("scores WAPE as Σ|forecast − actual| ÷ Σ actual, and has none when nothing came in", () => {
    expect(wape([{ forecast: 120, actual: 100 }, { forecast: 50, actual: 100 }])).toBeCloseTo(70 / 200, 12);
    expect(wape([{ forecast: 10, actual: 0 }])).toBeNull();
    expect(wape([])).toBeNull();
  });

  it("puts each week's own forecast and the one made weeks ahead beside what came in", () => {
    const frozen = [
      { frozenOn: "2026-11-30", week: 1, start: "2026-11-30", end: "2026-12-06", expected: 900, low: 800, high: 1000, reconstructed: false },
      { frozenOn: "2026-11-23", week: 1, start: "2026-11-23", end: "2026-11-29", expected: 500, low: 400, high: 600, reconstructed: true },
      { frozenOn: "2026-11-23", week: 2, start: "2026-11-30", end: "2026-12-06", expected: 700, low: 600, high: 800, reconstructed: true },
      { frozenOn: "2026-11-09", week: AHEAD_WEEKS, start: "2026-11-30", end: "2026-12-06", expected: 1500, low: 1000, high: 2000, reconstructed: false },
    ];
    const accuracy = compareWithActual(["2026-11-30", "2026-11-23", "2026-11-16"], frozen, new Map([["2026-11-30", 1000], ["2026-11-23", 300]]));
    expect(accuracy.rows.map((r) => [r.start, r.end, r.forecast, r.ahead, r.actual, r.error, r.inRange])).toEqual([
      ["2026-11-30", "2026-12-06", 900, 1500, 1000, 100, true],
      ["2026-11-23", "2026-11-29", 500, null, 300, -200, false],
      ["2026-11-16", "2026-11-22", null, null, 0, null, null],
    ]);
    expect(accuracy.rows[0]?.errorShare).toBeCloseTo(0.1, 12);
    expect(accuracy.wape).toBeCloseTo(300 / 1300, 12);
    expect(accuracy.wapeAhead).toBeCloseTo(500 / 1000, 12);
    expect([accuracy.weeksScored, accuracy.weeksInRange, accuracy.anyReconstructed]).toEqual([2, 1, true]);
  });
});
