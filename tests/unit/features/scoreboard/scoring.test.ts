import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { DEFAULT_SCORING_RULES, MEASURES, type Measure, type ScoringInput, type ScoringRules, measureShares, pointsOf, scoreOwners } from "~/features/scoreboard/scoring";

const input = (over: Partial<ScoringInput> & { ownerId: number }): ScoringInput => ({
  scorable: true,
  collectionRate: 0.5,
  overdueAtStart: 100_000,
  overdueAtEnd: 50_000,
  promises: { due: 4, done: 3 },
  items: { due: 2, done: 1 },
  ...over,
});

describe("the measures' shares", () => {
  it("normalises each measure to 0–1 as documented", () => {
    expect(measureShares(input({ ownerId: 1 }))).toEqual({ collectionRate: 0.5, overdueReduction: 0.5, promisesKept: 0.75, itemsOnTime: 0.5 });
    // collecting more than was owed is capped; overdue that grew scores 0
    expect(measureShares(input({ ownerId: 1, collectionRate: 1.4, overdueAtEnd: 150_000 }))).toMatchObject({ collectionRate: 1, overdueReduction: 0 });
    // no overdue at the start: none at the end is full marks, any is none
    expect(measureShares(input({ ownerId: 1, overdueAtStart: 0, overdueAtEnd: 0 })).overdueReduction).toBe(1);
    expect(measureShares(input({ ownerId: 1, overdueAtStart: 0, overdueAtEnd: 1 })).overdueReduction).toBe(0);
    // nothing to measure
    expect(measureShares(input({ ownerId: 1, collectionRate: null, promises: { due: 0, done: 0 }, items: { due: 0, done: 0 } }))).toMatchObject({
      collectionRate: null,
      promisesKept: null,
      itemsOnTime: null,
    });
  });
});

describe("points", () => {
  it("worked example: 30 % × 0.5 + 30 % × 0.5 + 20 % × 0.75 + 20 % × 0.5 = 55.0", () => {
    expect(pointsOf({ collectionRate: 0.5, overdueReduction: 0.5, promisesKept: 0.75, itemsOnTime: 0.5 }, DEFAULT_SCORING_RULES.weights)).toBe(55);
  });

  it("worked example: no promises fell due, so the other 80 weight points count: (15 + 15 + 10) / 80 = 50.0", () => {
    expect(pointsOf({ collectionRate: 0.5, overdueReduction: 0.5, promisesKept: null, itemsOnTime: 0.5 }, DEFAULT_SCORING_RULES.weights)).toBe(50);
  });

  it("worked example: one decimal, 2/3 of everything = 66.7; nothing weighted that applies = no points", () => {
    const third = 2 / 3;
    expect(pointsOf({ collectionRate: third, overdueReduction: third, promisesKept: third, itemsOnTime: third }, DEFAULT_SCORING_RULES.weights)).toBe(66.7);
    expect(pointsOf({ collectionRate: null, overdueReduction: 1, promisesKept: null, itemsOnTime: null }, { collectionRate: 50, overdueReduction: 0, promisesKept: 50, itemsOnTime: 0 })).toBeNull();
  });
});

describe("scoreOwners", () => {
  const rules: ScoringRules = { weights: { collectionRate: 40, overdueReduction: 40, promisesKept: 10, itemsOnTime: 10 }, warnBelow: 50 };

  it("worked example: ranks by points, ties share a rank, flags those below the threshold, leaves the unscorable out", () => {
    const scores = scoreOwners(
      [
        // 40×0.9 + 40×1 + 10×1 + 10×1 = 96
        input({ ownerId: 1, collectionRate: 0.9, overdueAtEnd: 0, promises: { due: 1, done: 1 }, items: { due: 1, done: 1 } }),
        // 40×0.2 + 40×0 + 10×0.5 + 10×0 = 13
        input({ ownerId: 2, collectionRate: 0.2, overdueAtEnd: 200_000, promises: { due: 2, done: 1 }, items: { due: 1, done: 0 } }),
        // same as owner 1
        input({ ownerId: 3, collectionRate: 0.9, overdueAtEnd: 0, promises: { due: 1, done: 1 }, items: { due: 1, done: 1 } }),
        input({ ownerId: 4, scorable: false }),
      ],
      rules,
    );
    expect(scores.map(({ ownerId, points, rank, warning }) => ({ ownerId, points, rank, warning }))).toEqual([
      { ownerId: 1, points: 96, rank: 1, warning: false },
      { ownerId: 2, points: 13, rank: 3, warning: true },
      { ownerId: 3, points: 96, rank: 1, warning: false },
      { ownerId: 4, points: null, rank: null, warning: false },
    ]);
  });

  it("gives an owner not scored with nothing overdue at either end no overdue reduction, rather than full marks", () => {
    const [none, kept] = scoreOwners(
      [input({ ownerId: 1, scorable: false, overdueAtStart: 0, overdueAtEnd: 0 }), input({ ownerId: 2, scorable: true, overdueAtStart: 0, overdueAtEnd: 0 })],
      rules,
    );
    expect(none?.shares.overdueReduction).toBeNull();
    // a scored owner who kept a clean book still has full marks for it
    expect(kept?.shares.overdueReduction).toBe(1);
    // an owner not scored whose book had overdue still shows how it moved
    const [moved] = scoreOwners([input({ ownerId: 3, scorable: false, overdueAtStart: 100_000, overdueAtEnd: 25_000 })], rules);
    expect(moved?.shares.overdueReduction).toBe(0.75);
  });

  it("flags below the threshold, not at it", () => {
    const [score] = scoreOwners([input({ ownerId: 1 })], { ...DEFAULT_SCORING_RULES, warnBelow: 55 });
    expect(score).toMatchObject({ points: 55, warning: false });
    const [flagged] = scoreOwners([input({ ownerId: 1 })], { ...DEFAULT_SCORING_RULES, warnBelow: 55.1 });
    expect(flagged?.warning).toBe(true);
  });

  // weights as four whole numbers summing to 100
  const weightsArb = fc
    .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
    .map(([a, b, c]) => [a, b, c].sort((x, y) => x - y) as [number, number, number])
    .map(([a, b, c]): Record<Measure, number> => ({ collectionRate: a, overdueReduction: b - a, promisesKept: c - b, itemsOnTime: 100 - c }));
  const counted = fc.integer({ min: 0, max: 20 }).chain((due) => fc.integer({ min: 0, max: due }).map((done) => ({ due, done })));
  const ownerArb = (ownerId: number) =>
    fc.record({
      scorable: fc.boolean(),
      collectionRate: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: null }),
      overdueAtStart: fc.integer({ min: 0, max: 1_000_000 }),
      overdueAtEnd: fc.integer({ min: 0, max: 1_000_000 }),
      promises: counted,
      items: counted,
    }).map((fields): ScoringInput => ({ ownerId, ...fields }));

  /** The rule written out the slow, obvious way: each measure by hand, rank by counting. */
  function naive(inputs: readonly ScoringInput[], r: ScoringRules) {
    const points = inputs.map((o) => {
      if (!o.scorable) return null;
      const shares: Record<Measure, number | null> = {
        collectionRate: o.collectionRate === null ? null : Math.min(1, o.collectionRate),
        overdueReduction: o.overdueAtStart === 0 ? (o.overdueAtEnd === 0 ? 1 : 0) : Math.max(0, Math.min(1, 1 - o.overdueAtEnd / o.overdueAtStart)),
        promisesKept: o.promises.due === 0 ? null : o.promises.done / o.promises.due,
        itemsOnTime: o.items.due === 0 ? null : o.items.done / o.items.due,
      };
      const applying = MEASURES.filter((m) => shares[m] !== null && r.weights[m] > 0);
      const total = applying.reduce((s, m) => s + r.weights[m], 0);
      if (total === 0) return null;
      return Math.round((applying.reduce((s, m) => s + r.weights[m] * (shares[m] as number), 0) / total) * 1000) / 10;
    });
    return inputs.map((o, i) => {
      const p = points[i] ?? null;
      return {
        ownerId: o.ownerId,
        points: p,
        rank: p === null ? null : 1 + points.filter((q) => q !== null && q > p).length,
        warning: p !== null && p < r.warnBelow,
      };
    });
  }

  it("agrees with the naive implementation on any owners and rules", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ownerArb(i + 1)))),
        weightsArb,
        fc.integer({ min: 0, max: 100 }),
        (owners, weights, warnBelow) => {
          const rules = { weights, warnBelow };
          const fast = scoreOwners(owners, rules).map(({ ownerId, points, rank, warning }) => ({ ownerId, points, rank, warning }));
          const slow = naive(owners, rules);
          // one decimal either way: the two roundings may differ by the last ulp, never by more than 0.1
          fast.forEach((f, i) => {
            const s = slow[i]!;
            expect(f.ownerId).toBe(s.ownerId);
            expect(f.points === null).toBe(s.points === null);
            if (f.points !== null && s.points !== null) expect(Math.abs(f.points - s.points)).toBeLessThan(0.1 + 1e-9);
          });
          // where both agree on every points value, ranks and warnings agree exactly
          if (fast.every((f, i) => f.points === slow[i]!.points)) expect(fast).toEqual(slow);
          for (const f of fast) {
            if (f.points === null) continue;
            expect(f.points).toBeGreaterThanOrEqual(0);
            expect(f.points).toBeLessThanOrEqual(100);
          }
        },
      ),
    );
  });
});
