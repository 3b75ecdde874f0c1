import { describe, expect, it } from "vitest";

import { baselineDateFor, baselineInForce, needsFinalBaseline, targetFromInput, targetToInput } from "~/features/plans/kpi";

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

describe("targetFromInput: a typed target to the engine's unit", () => {
  it.each([
    // money: yuan to minor units, exactly
    ["8000000", 800_000_000],
    ["8,000,000", 800_000_000],
    ["8,000,000.50", 800_000_050],
    ["¥8,000,000", 800_000_000],
    ["￥ 8 000 000", 800_000_000],
    ["800万", 800_000_000],
    ["800 万元", 800_000_000],
    ["800.5万", 800_500_000],
    ["0.000001万", 1],
    ["1.5亿", 15_000_000_000],
    ["0.08亿元", 800_000_000],
    ["8000000元", 800_000_000],
    ["0.29", 29],
    [".5", 50],
    ["0", 0],
    ["-0", 0],
    ["90071992547409.91", 9_007_199_254_740_991],
  ])("money %j is %d fen", (text, minor) => {
    expect(targetFromInput("money", text)).toEqual({ ok: true, value: minor });
  });

  it.each([
    ["", "plans.validation.money"],
    ["abc", "plans.validation.money"],
    ["8,00,000", "plans.validation.money"],
    ["800万万", "plans.validation.money"],
    ["万", "plans.validation.money"],
    ["800千", "plans.validation.money"],
    ["1.", "plans.validation.money"],
    ["-5", "plans.validation.notNegative"],
    ["-5万", "plans.validation.notNegative"],
    ["0.001", "plans.validation.fen"],
    ["0.0000001万", "plans.validation.fen"],
    ["90071992547409.92", "plans.validation.tooLarge"],
    ["1000000亿", "plans.validation.tooLarge"],
  ])("money %j is refused with %s", (text, message) => {
    expect(targetFromInput("money", text)).toEqual({ ok: false, message });
  });

  it.each([
    ["ratio", "95", 0.95],
    ["ratio", "95%", 0.95],
    ["ratio", "12.5", 0.125],
    ["ratio", "0.1", 0.001],
    ["percent", "97.5", 97.5],
    ["percent", "97.5％", 97.5],
    ["days", "45", 45],
    ["days", "45.5", 45.5],
    ["days", "1,200", 1200],
    ["count", "12", 12],
  ] as const)("%s %j is %d", (unit, text, value) => {
    expect(targetFromInput(unit, text)).toEqual({ ok: true, value });
  });

  it.each([
    ["ratio", "95万", "plans.validation.number"],
    ["ratio", "12.34567", "plans.validation.number"],
    ["days", "45%", "plans.validation.number"],
    ["days", "-3", "plans.validation.notNegative"],
    ["count", "2.5", "plans.validation.wholeNumber"],
    ["days", "", "plans.validation.number"],
  ] as const)("%s %j is refused with %s", (unit, text, message) => {
    expect(targetFromInput(unit, text)).toEqual({ ok: false, message });
  });

  it.each([
    ["money", 800_000_000, "8000000"],
    ["money", 800_000_050, "8000000.50"],
    ["ratio", 0.125, "12.5"],
    ["days", 45, "45"],
  ] as const)("%s %d is shown again as %j and reads back the same", (unit, value, text) => {
    expect(targetToInput(unit, value)).toBe(text);
    expect(targetFromInput(unit, text)).toEqual({ ok: true, value });
  });
});
