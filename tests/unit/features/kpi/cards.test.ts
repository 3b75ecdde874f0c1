import { describe, expect, it } from "vitest";

import { DASHBOARD_CARDS, type KpiCard, type ScalarKpiKey, kpiCards, kpiChange, targetView } from "~/features/kpi/cards";
import { kpiDefinition } from "~/features/kpi/register";
import { allKpiValuesWith } from "../../support/kpi-values";

describe("kpiChange", () => {
  it.each([
    // current, previous, unit, better -> delta, direction, tone
    [100, 80, "money", "down", 20, "up", "bad"],
    [80, 100, "money", "down", -20, "down", "good"],
    [0.52, 0.5, "ratio", "up", 0.52 - 0.5, "up", "good"],
    [0.48, 0.5, "ratio", "up", 0.48 - 0.5, "down", "bad"],
    [45.2, 50, "days", "down", 45.2 - 50, "down", "good"],
    [71, 70, "percent", "up", 1, "up", "good"],
    [12, 9, "count", "down", 3, "up", "bad"],
    [100, 100, "money", "down", 0, "flat", "neutral"],
    // smaller than what the card shows (a tenth of a day, a tenth of a point): no change
    [45.04, 45, "days", "down", 45.04 - 45, "flat", "neutral"],
    [0.5004, 0.5, "ratio", "up", 0.5004 - 0.5, "flat", "neutral"],
    [70.04, 70, "percent", "up", 70.04 - 70, "flat", "neutral"],
    // a change that shows as +0.1 is a change
    [45.06, 45, "days", "down", 45.06 - 45, "up", "bad"],
  ] as const)("%s vs %s (%s, better %s)", (current, previous, unit, better, delta, direction, tone) => {
    const change = kpiChange(current, previous, unit, better);
    expect(change.delta).toBeCloseTo(delta, 10);
    expect(change).toMatchObject({ previous, direction, tone });
  });

  it.each([
    [null, 40],
    [40, null],
    [null, null],
  ])("has no change when a value is missing (%s vs %s)", (current, previous) => {
    expect(kpiChange(current, previous, "days", "down")).toEqual({ previous, delta: null, direction: null, tone: "neutral" });
  });
});

describe("targetView", () => {
  it.each([
    // value, target, better -> status, remaining
    [40, 45, "down", "met", 0],
    [45, 45, "down", "met", 0],
    [50, 45, "down", "not-met", -5],
    [0.9, 0.85, "up", "met", 0],
    [0.8, 0.85, "up", "not-met", 0.85 - 0.8],
    [null, 45, "down", "unknown", null],
  ] as const)("%s against %s (better %s)", (value, target, better, status, remaining) => {
    const view = targetView(value, { value: target, source: "Q3 collection drive" }, better);
    expect(view.status).toBe(status);
    expect(view.value).toBe(target);
    expect(view.source).toBe("Q3 collection drive");
    if (remaining === null) expect(view.remaining).toBeNull();
    else expect(view.remaining).toBeCloseTo(remaining, 10);
  });
});

const values = allKpiValuesWith;

/** The cards by key; a card the test reads but the dashboard lacks fails the test. */
function cardsByKey(cards: KpiCard[]): Record<ScalarKpiKey, KpiCard> {
  const byKey = new Map(cards.map((card) => [card.key, card]));
  return new Proxy({} as Record<ScalarKpiKey, KpiCard>, {
    get: (_target, key) => {
      const card = byKey.get(key as ScalarKpiKey);
      if (!card) throw new Error(`no ${String(key)} card`);
      return card;
    },
  });
}

describe("kpiCards", () => {
  const current = values({
    ar_total: 1_000_00,
    dso: 60,
    bpdso: 40,
    add: 20,
    collection_rate: 0.7,
    written_off: 500,
    bad_debt_ratio: 0.01,
    customers_on_hold: 3,
    promise_kept_rate: 0.8,
    confirmation_return_rate: 0.95,
    confirmation_mismatch_rate: 0.02,
  });
  const quarter = values({ ar_total: 1_200_00, dso: null, bpdso: 35, collection_rate: 0.9, written_off: 0, customers_on_hold: 5, promise_kept_rate: 0.6 });
  const year = values({ ar_total: 900_00, dso: 70, collection_rate: 0.6, customers_on_hold: 1 });
  const previous = {
    previousQuarterEnd: { date: "2026-09-30", values: quarter },
    sameDateLastYear: { date: "2025-11-23", values: year },
  };

  it("gives the main KPIs in order, with the register's unit and better direction", () => {
    const cards = kpiCards({ current, previous });
    expect(cards.map((c) => c.key)).toEqual([
      "ar_total",
      "overdue_total",
      "overdue_ratio",
      "dso",
      "dso_countback",
      "bpdso",
      "collection_rate",
      "cei",
      "unapplied_credit",
      "customers_overdue",
      "customers_over_limit",
      "written_off",
      "customers_on_hold",
      "promise_kept_rate",
      "confirmation_return_rate",
      "provision_total",
      "expected_loss_rate",
    ]);
    for (const card of cards) {
      expect(card.unit).toBe(kpiDefinition(card.key).unit);
      expect(card.better).toBe(kpiDefinition(card.key).better);
      expect(card.value).toBe(current[card.key]);
      expect(card.target).toBeNull();
    }
    expect(DASHBOARD_CARDS).toHaveLength(cards.length);
  });

  it("compares with the previous quarter end and the same day last year, colouring by direction", () => {
    const byKey = cardsByKey(kpiCards({ current, previous }));
    expect(byKey.ar_total.comparisons).toEqual([
      { basis: "previousQuarterEnd", date: "2026-09-30", change: { previous: 1_200_00, delta: -200_00, direction: "down", tone: "good" } },
      { basis: "sameDateLastYear", date: "2025-11-23", change: { previous: 900_00, delta: 100_00, direction: "up", tone: "bad" } },
    ]);
    // no DSO at the quarter end (no sales): nothing to compare
    expect(byKey.dso.comparisons[0]?.change).toMatchObject({ previous: null, delta: null, tone: "neutral" });
    expect(byKey.dso.comparisons[1]?.change).toMatchObject({ direction: "down", tone: "good" });
    expect(byKey.collection_rate.comparisons.map((c) => c.change.tone)).toEqual(["bad", "good"]);
  });

  it("puts the companion figure on the card", () => {
    const byKey = cardsByKey(kpiCards({ current, previous }));
    expect(byKey.bpdso.secondary).toEqual({ key: "add", unit: "days", value: 20 });
    expect(byKey.written_off.secondary).toEqual({ key: "bad_debt_ratio", unit: "ratio", value: 0.01 });
    expect(byKey.ar_total.secondary).toBeNull();
    expect(byKey.confirmation_return_rate.secondary).toEqual({ key: "confirmation_mismatch_rate", unit: "ratio", value: 0.02 });
  });

  it("colours the credit cards by the register's direction: fewer holds and more promises kept are good", () => {
    const byKey = cardsByKey(kpiCards({ current, previous }));
    expect(byKey.customers_on_hold.comparisons.map((c) => c.change)).toEqual([
      { previous: 5, delta: -2, direction: "down", tone: "good" },
      { previous: 1, delta: 2, direction: "up", tone: "bad" },
    ]);
    expect(byKey.promise_kept_rate.comparisons[0]?.change).toMatchObject({ direction: "up", tone: "good" });
    // nothing was kept or broken a year ago: no comparison
    expect(byKey.promise_kept_rate.comparisons[1]?.change).toMatchObject({ previous: null, delta: null, tone: "neutral" });
  });

  it("shows a target where a plan sets one", () => {
    const cards = kpiCards({ current, previous, targets: { dso: { value: 55, source: "Q4 year-end push" } } });
    const dso = cards.find((c) => c.key === "dso");
    expect(dso?.target).toEqual({ value: 55, source: "Q4 year-end push", status: "not-met", remaining: -5 });
    expect(cards.filter((c) => c.target !== null)).toHaveLength(1);
  });
});
