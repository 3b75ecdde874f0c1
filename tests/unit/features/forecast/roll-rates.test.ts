import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BandRates, absorption, expectedOutcome, fundamentalMatrix } from "~/features/forecast/roll-rates";
import { AppError } from "~/kernel/app-error";

// Render, Stair & Hanna, Quantitative Analysis for Management, §14.6: accounts receivable with
// the bands "under 1 month" and "1–3 months"; paid and bad debt absorb.
const RENDER: BandRates[] = [
  { paid: 0.6, bad: 0, next: [0.2, 0.2] },
  { paid: 0.4, bad: 0.1, next: [0.3, 0.2] },
];

describe("the absorbing chain of receivables", () => {
  it("gives Render's fundamental matrix and N·R", () => {
    const { months, paid, bad } = absorption(RENDER);
    expect(months.flat().map((m) => m.toFixed(4))).toEqual(["1.3793", "0.3448", "0.5172", "1.3793"]);
    expect(paid.map((p) => p.toFixed(4))).toEqual(["0.9655", "0.8621"]);
    expect(bad.map((b) => b.toFixed(4))).toEqual(["0.0345", "0.1379"]);
  });

  it("turns Render's balances of 2,000 and 5,000 into 6,241 paid and 759 bad, to the cent", () => {
    expect(expectedOutcome(RENDER, [200_000, 500_000])).toEqual({ paid: 624_138, bad: 75_862 });
  });

  it("collects everything when nothing is ever written off, and nothing is lost when all is", () => {
    expect(expectedOutcome([{ paid: 0.5, bad: 0, next: [0.5] }], [12_345])).toEqual({ paid: 12_345, bad: 0 });
    expect(expectedOutcome([{ paid: 0, bad: 1, next: [0] }], [12_345])).toEqual({ paid: 0, bad: 12_345 });
  });

  it("refuses rows that do not add up, negative shares and a band nothing leaves", () => {
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof AppError ? `${error.code}:${error.messageKey}` : "other";
      }
      return "accepted";
    };
    expect(codeOf(() => absorption([{ paid: 0.5, bad: 0, next: [0.4] }]))).toBe("invalid:forecast.rollRates.badRow");
    expect(codeOf(() => absorption([{ paid: 1.2, bad: -0.2, next: [0] }]))).toBe("invalid:forecast.rollRates.badRow");
    expect(codeOf(() => absorption([{ paid: 0.5, bad: 0, next: [0.5, 0] }]))).toBe("invalid:forecast.rollRates.badRow");
    expect(codeOf(() => absorption([{ paid: 0, bad: 0, next: [1] }]))).toBe("invalid:forecast.rollRates.neverAbsorbed");
    expect(codeOf(() => expectedOutcome(RENDER, [1]))).toBe("invalid:forecast.rollRates.badBalances");
  });

  it("inverts I − Q: (I − Q)·N is the identity", () => {
    const q = [
      [0.1, 0.5, 0],
      [0.05, 0.1, 0.6],
      [0, 0.02, 0.7],
    ];
    const n = fundamentalMatrix(q);
    const product = q.map((row, i) => row.map((_, j) => q.reduce((sum, __, k) => sum + ((i === k ? 1 : 0) - (q[i]?.[k] ?? 0)) * (n[k]?.[j] ?? 0), 0)));
    product.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(i === j ? 1 : 0, 12)));
  });
});

/** The same question answered the slow way: move the balances month by month until (almost) nothing is left. */
function simulate(rates: BandRates[], balances: number[]): { paid: number; bad: number } {
  let left = [...balances];
  let paid = 0;
  let bad = 0;
  for (let month = 0; month < 20_000 && left.some((b) => b > 1e-9); month++) {
    const next = rates.map(() => 0);
    left.forEach((balance, i) => {
      const row = rates[i];
      if (!row) return;
      paid += balance * row.paid;
      bad += balance * row.bad;
      row.next.forEach((share, j) => (next[j] = (next[j] ?? 0) + balance * share));
    });
    left = next;
  }
  return { paid, bad };
}

const bandRates = (bands: number) =>
  fc
    .array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: bands + 2, maxLength: bands + 2 }), { minLength: bands, maxLength: bands })
    .filter((rows) => rows.every((weights) => (weights[0] ?? 0) + (weights[1] ?? 0) > 0))
    .map((rows) =>
      rows.map((weights): BandRates => {
        const total = weights.reduce((sum, w) => sum + w, 0);
        const [paid = 0, bad = 0, ...next] = weights.map((w) => w / total);
        return { paid, bad, next };
      }),
    );

describe("the chain against a month-by-month simulation", () => {
  it("agrees on the paid and written-off shares of any balances, within a cent", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((bands) =>
          fc.tuple(bandRates(bands), fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: bands, maxLength: bands })),
        ),
        ([rates, balances]) => {
          const exact = expectedOutcome(rates, balances);
          const slow = simulate(rates, balances);
          expect(exact.paid + exact.bad).toBe(balances.reduce((sum, b) => sum + b, 0));
          expect(Math.abs(exact.bad - slow.bad)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
