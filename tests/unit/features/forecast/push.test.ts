import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  type ChaseCandidate,
  chaseList,
  dsoReductionNeeded,
  offPath,
  overdueToClear,
  plannedValue,
  receivablesAtDso,
  shapeFromLastYear,
} from "~/features/forecast/push";

const WAN = 1_000_000; // 1 万元 in fen

describe("what the push must collect", () => {
  it("clears the overdue the forecast leaves above the target: 6,454万 projected, 6,000万 wanted → 454万", () => {
    expect(overdueToClear(6_454 * WAN, 6_000 * WAN)).toBe(454 * WAN);
    expect(overdueToClear(5_900 * WAN, 6_000 * WAN)).toBe(0);
  });

  it("allows target × sales ÷ 90 of receivables: 45 days on 900万 of sales → 450万; 520万 projected needs 70万 less", () => {
    expect(receivablesAtDso(45, 900 * WAN)).toBe(450 * WAN);
    expect(dsoReductionNeeded(520 * WAN, 45, 900 * WAN)).toBe(70 * WAN);
    expect(dsoReductionNeeded(400 * WAN, 45, 900 * WAN)).toBe(0);
  });

  it("rounds the allowed receivables to the fen, half away from zero", () => {
    // 30 days × 1.00 ÷ 90 = 0.333… fen → 0; 45 × 1 fen ÷ 90 = 0.5 → 1
    expect(receivablesAtDso(30, 1)).toBe(0);
    expect(receivablesAtDso(45, 1)).toBe(1);
  });

  it("has no DSO target without sales", () => {
    expect(dsoReductionNeeded(100, 45, 0)).toBeNull();
  });
});

describe("the chase list", () => {
  const candidates: ChaseCandidate[] = [
    { key: "INV-1", amount: 100_000, probability: 0.9 }, // 90,000 expected
    { key: "INV-2", amount: 300_000, probability: 0.2 }, // 60,000
    { key: "INV-3", amount: 80_000, probability: 1 }, // 80,000
    { key: "INV-4", amount: 60_000, probability: 1 }, // 60,000, ties INV-2 on expected, smaller amount
  ];

  it("ranks by amount × probability and marks the rows from the top that close the gap", () => {
    const rows = chaseList(candidates, 150_000);
    expect(rows.map((row) => [row.candidate.key, row.expected, row.cumulative, row.closesGap])).toEqual([
      ["INV-1", 90_000, 90_000, true],
      ["INV-3", 80_000, 170_000, true],
      ["INV-2", 60_000, 230_000, false],
      ["INV-4", 60_000, 290_000, false],
    ]);
  });

  it("marks nothing without a gap, and everything when all of it falls short", () => {
    expect(chaseList(candidates, 0).some((row) => row.closesGap)).toBe(false);
    expect(chaseList(candidates, 1_000_000).every((row) => row.closesGap)).toBe(true);
  });

  const candidate = fc.record({
    key: fc.string({ minLength: 1, maxLength: 4 }),
    amount: fc.integer({ min: 1, max: 10_000_000 }),
    probability: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  it("marks the shortest prefix of the ranking that reaches the gap, whatever the input order (against a naive search)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.key, maxLength: 12 }), fc.integer({ min: 0, max: 30_000_000 }), (list, gap) => {
        const rows = chaseList(list, gap);
        const reversed = chaseList([...list].reverse(), gap);
        expect(reversed.map((row) => row.candidate.key)).toEqual(rows.map((row) => row.candidate.key));
        // Naive: try every prefix length, take the shortest whose expected amounts reach the gap.
        const expected = rows.map((row) => row.expected);
        const positive = expected.filter((value) => value > 0).length;
        let shortest = positive;
        for (let n = 0; n <= expected.length; n++) {
          if (expected.slice(0, n).reduce((a, b) => a + b, 0) >= gap) {
            shortest = n;
            break;
          }
        }
        const marked = rows.filter((row) => row.closesGap).length;
        expect(marked).toBe(gap > 0 ? Math.min(shortest, positive) : 0);
        // Ranked: expected amounts never rise down the list.
        expected.forEach((value, i) => expect(i === 0 || value <= (expected[i - 1] ?? Infinity)).toBe(true));
      }),
    );
  });
});

describe("the planned path", () => {
  const quarter = { start: { date: "2026-10-01", value: 9_649 }, end: { date: "2026-12-31", value: 6_454 } };

  it("moves straight from the quarter's start to the target on the due date", () => {
    expect(plannedValue(quarter, "2026-10-01")).toBe(9_649);
    expect(plannedValue(quarter, "2026-12-31")).toBe(6_454);
    // 2026-11-15 is 45 of 91 days along
    expect(plannedValue(quarter, "2026-11-15")).toBeCloseTo(9_649 - (3_195 * 45) / 91, 9);
  });

  it("holds the start before the start and the target after the due date", () => {
    expect(plannedValue(quarter, "2026-09-15")).toBe(9_649);
    expect(plannedValue(quarter, "2027-01-02")).toBe(6_454);
  });

  it("follows last year's shape: most of the change in the quarter's last month", () => {
    // last year: flat for two months, then the whole drop in December (values per step of the quarter)
    const shape = shapeFromLastYear([100, 100, 100, 40]);
    expect(shape).toEqual({ kind: "last-year", shape: [0, 0, 0, 1] });
    // Two thirds of the way through, last year had not moved yet.
    expect(plannedValue({ start: { date: "2026-10-01", value: 90 }, end: { date: "2026-12-31", value: 60 } }, "2026-11-30", shape)).toBeCloseTo(90 - 30 * Math.max(0, (60 / 91) * 3 - 2), 9);
    expect(plannedValue({ start: { date: "2026-10-01", value: 90 }, end: { date: "2026-12-31", value: 60 } }, "2026-12-31", shape)).toBe(60);
  });

  it("is straight when last year did not move", () => {
    expect(shapeFromLastYear([5, 5, 5])).toEqual({ kind: "straight" });
    expect(shapeFromLastYear([])).toEqual({ kind: "straight" });
  });

  it("calls an overdue above its path at risk, a collection rate below it too", () => {
    expect(offPath(8_000, 7_500, "down")).toBe(true);
    expect(offPath(7_400, 7_500, "down")).toBe(false);
    expect(offPath(7_600, 7_500, "down", 200)).toBe(false);
    expect(offPath(0.8, 0.85, "up")).toBe(true);
    expect(offPath(0.9, 0.85, "up")).toBe(false);
  });
});
