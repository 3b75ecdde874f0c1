import { describe, expect, it } from "vitest";

import { baselineDateFor, baselineInForce, needsFinalBaseline } from "~/domain/plan-kpi";

// A quarter beginning 2026-04-01: its eve, the baseline's date, is 2026-03-31.
const START = "2026-04-01";

describe("baselines", () => {
  it.each([
    ["drafted ahead: as of the day the link is made", "2026-02-10", "2026-02-10"],
    ["on the eve itself", "2026-03-31", "2026-03-31"],
    ["once begun: the eve", "2026-04-01", "2026-03-31"],
    ["long after", "2026-09-01", "2026-03-31"],
  ])("baselineDateFor, %s", (_label, today, expected) => {
    expect(baselineDateFor(START, today)).toBe(expected);
  });

  it.each([
    ["provisional, quarter not begun", "2026-02-10", "2026-03-31", false],
    ["provisional, quarter begun", "2026-02-10", "2026-04-01", true],
    ["final", "2026-03-31", "2026-05-01", false],
    ["missing, quarter begun", null, "2026-04-01", true],
    ["missing, quarter not begun", null, "2026-03-01", false],
  ])("needsFinalBaseline, %s", (_label, baselineDate, today, expected) => {
    expect(needsFinalBaseline(baselineDate, START, today)).toBe(expected);
  });

  it.each([
    ["not begun: the provisional one as stored", "2026-02-10", "2026-03-20", { date: "2026-02-10", stored: true }],
    ["not begun, none yet", null, "2026-03-20", { date: null, stored: true }],
    ["begun, the job has stored the eve", "2026-03-31", "2026-04-02", { date: "2026-03-31", stored: true }],
    ["begun, still provisional: the eve is read", "2026-02-10", "2026-04-02", { date: "2026-03-31", stored: false }],
    ["begun, none yet: the eve is read", null, "2026-04-02", { date: "2026-03-31", stored: false }],
  ])("baselineInForce, %s", (_label, baselineDate, today, expected) => {
    expect(baselineInForce({ baselineDate }, START, today)).toEqual(expected);
  });
});
