import { describe, expect, it } from "vitest";

import {
  type Collection,
  type PaymentPromise,
  brokenBetween,
  equalInstalments,
  evaluatePromises,
  promiseKeptRate,
  scheduleProblems,
} from "~/features/credit/collection-actions/promises";

const promise = (id: number, madeOn: string, dueOn: string, amount: number): PaymentPromise => ({ id, kind: "promise", madeOn, dueOn, amount });
const paid = (date: string, amount: number): Collection => ({ date, amount });

describe("evaluatePromises", () => {
  it.each<[string, PaymentPromise[], Collection[], string, [string, number, string | null][]]>([
    ["paid in full on the due date: kept", [promise(1, "2026-03-01", "2026-03-15", 1000)], [paid("2026-03-15", 1000)], "2026-03-31", [["kept", 1000, "2026-03-15"]]],
    ["paid early: kept on the day of payment, even before the due date", [promise(1, "2026-03-01", "2026-03-15", 1000)], [paid("2026-03-05", 1200)], "2026-03-10", [["kept", 1000, "2026-03-05"]]],
    ["nothing yet, due date not passed: pending", [promise(1, "2026-03-01", "2026-03-15", 1000)], [], "2026-03-15", [["pending", 0, null]]],
    ["due date passed unpaid: broken the next day", [promise(1, "2026-03-01", "2026-03-15", 1000)], [], "2026-03-16", [["broken", 0, null]]],
    ["partly paid by the date: broken", [promise(1, "2026-03-01", "2026-03-15", 1000)], [paid("2026-03-10", 999)], "2026-03-31", [["broken", 999, null]]],
    ["paid a day late: still broken (no grace)", [promise(1, "2026-03-01", "2026-03-15", 1000)], [paid("2026-03-16", 1000)], "2026-03-31", [["broken", 0, null]]],
    ["money received before the promise was made does not count", [promise(1, "2026-03-01", "2026-03-15", 1000)], [paid("2026-02-28", 1000)], "2026-03-31", [["broken", 0, null]]],
    ["payments after the as-of date are not known yet", [promise(1, "2026-03-01", "2026-03-15", 1000)], [paid("2026-03-14", 1000)], "2026-03-13", [["pending", 0, null]]],
    [
      "instalments fill soonest-due first, the remainder flows on",
      [promise(1, "2026-03-01", "2026-03-31", 1000), promise(2, "2026-03-01", "2026-04-30", 1000)],
      [paid("2026-03-20", 1500), paid("2026-04-25", 500)],
      "2026-05-31",
      [
        ["kept", 1000, "2026-03-20"],
        ["kept", 1000, "2026-04-25"],
      ],
    ],
    [
      "one payment is not counted twice for overlapping promises",
      [promise(1, "2026-03-01", "2026-03-31", 1000), promise(2, "2026-03-10", "2026-03-31", 1000)],
      [paid("2026-03-20", 1000)],
      "2026-04-01",
      [
        ["kept", 1000, "2026-03-20"],
        ["broken", 0, null],
      ],
    ],
    [
      "a broken first instalment does not swallow money meant for the next",
      [promise(1, "2026-03-01", "2026-03-31", 1000), promise(2, "2026-03-01", "2026-04-30", 1000)],
      [paid("2026-04-10", 1000)],
      "2026-05-01",
      [
        ["broken", 0, null],
        ["kept", 1000, "2026-04-10"],
      ],
    ],
  ])("%s", (_label, promises, collections, asOf, expected) => {
    expect(evaluatePromises(promises, collections, asOf).map((r) => [r.status, r.paid, r.keptOn])).toEqual(expected);
  });
});

describe("promiseKeptRate and brokenBetween", () => {
  const promises = [
    promise(1, "2026-01-01", "2026-01-31", 100),
    promise(2, "2026-01-01", "2026-02-28", 100),
    promise(3, "2026-01-01", "2026-03-31", 100),
    promise(4, "2026-01-01", "2026-04-30", 100),
  ];
  const results = evaluatePromises(promises, [paid("2026-01-15", 100), paid("2026-03-30", 100)], "2026-04-15");

  it("counts kept over kept + broken in the period, pending left out", () => {
    expect(results.map((r) => r.status)).toEqual(["kept", "broken", "kept", "pending"]);
    expect(promiseKeptRate(promises, results, "2026-01-01", "2026-06-30")).toEqual({ kept: 2, broken: 1, rate: 2 / 3 });
    expect(promiseKeptRate(promises, results, "2026-02-01", "2026-02-28")).toEqual({ kept: 0, broken: 1, rate: 0 });
    expect(promiseKeptRate(promises, results, "2026-05-01", "2026-06-30")).toEqual({ kept: 0, broken: 0, rate: null });
    expect(brokenBetween(promises, results, "2026-01-01", "2026-06-30")).toBe(1);
    expect(brokenBetween(promises, results, "2026-03-01", "2026-06-30")).toBe(0);
  });
});

describe("scheduleProblems", () => {
  const today = "2026-06-30";
  it.each<[string, { dueOn: string; amount: number }[], number | undefined, string[]]>([
    ["a valid schedule", [{ dueOn: "2026-06-30", amount: 500 }, { dueOn: "2026-07-31", amount: 500 }], 1000, []],
    ["a promise dated in the past", [{ dueOn: "2026-06-29", amount: 500 }], undefined, ["0.dueOn: collectionActions.validation.dateInPast"]],
    ["dates not increasing", [{ dueOn: "2026-07-31", amount: 500 }, { dueOn: "2026-07-31", amount: 500 }], undefined, ["1.dueOn: collectionActions.validation.instalmentOrder"]],
    ["a zero amount", [{ dueOn: "2026-07-31", amount: 0 }], undefined, ["0.amount: collectionActions.validation.amountPositive"]],
    ["instalments not adding up to the agreement", [{ dueOn: "2026-07-31", amount: 400 }], 500, ["-1.total: collectionActions.validation.scheduleTotal"]],
    ["no instalments", [], undefined, ["-1.total: collectionActions.validation.scheduleEmpty"]],
  ])("%s", (_label, instalments, total, expected) => {
    expect(scheduleProblems(instalments, today, total).map((p) => `${p.index}.${p.field}: ${p.message}`)).toEqual(expected);
  });
});

describe("equalInstalments", () => {
  it.each([
    [1000, 3, [333, 333, 334]],
    [1000, 1, [1000]],
    [2, 3, [0, 0, 2]],
  ])("%d in %d", (total, count, parts) => {
    expect(equalInstalments(total, count)).toEqual(parts);
  });
  it("refuses non-positive input", () => {
    expect(() => equalInstalments(0, 2)).toThrow(RangeError);
  });
});
