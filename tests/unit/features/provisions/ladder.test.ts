import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_LADDER,
  PPM,
  allocateLadderProvision,
  applyPpm,
  impossibleAging,
  ladderBalances,
  ladderBandOf,
  ladderProvision,
} from "~/features/provisions/ladder";
import { AppError } from "~/kernel/app-error";

describe("the aging ladder", () => {
  it("reproduces a NEEQ company's published year-end table with the default rates", () => {
    // under 1 year, 1–2, 2–3, 3–4, 4–5, over 5 years (minor units)
    const balances = [692_212_724, 247_194_056, 509_900_000, 0, 0, 20_500_000];
    const result = ladderProvision(DEFAULT_LADDER, balances);
    expect(result.balance).toBe(1_469_806_780);
    expect(result.bands.map((band) => band.provision)).toEqual([34_610_636, 24_719_406, 101_980_000, 0, 0, 20_500_000]);
    expect(result.provision).toBe(181_810_042);
    expect(((result.provision / result.balance) * 100).toFixed(2)).toBe("12.37");
  });

  it("puts an invoice aged exactly a band's limit in that band, and one not yet due in the first", () => {
    const limits = DEFAULT_LADDER.upperDays;
    expect([-30, 0, 365, 366, 730, 731, 1825, 1826, 9999].map((age) => ladderBandOf(limits, age))).toEqual([0, 0, 0, 1, 1, 2, 4, 5, 5]);
    expect(ladderProvision(DEFAULT_LADDER, [0, 0, 0, 0, 0, 0]).bands.map((band) => [band.fromDays, band.toDays])).toEqual([
      [0, 365],
      [366, 730],
      [731, 1095],
      [1096, 1460],
      [1461, 1825],
      [1826, null],
    ]);
  });

  it("rounds each band half away from zero, exactly, even at 10¹³ minor units", () => {
    expect(applyPpm(10, 50_000)).toBe(1); // 0.5 → 1
    expect(applyPpm(9, 50_000)).toBe(0); // 0.45 → 0
    expect(applyPpm(-10, 50_000)).toBe(-1);
    expect(applyPpm(9_999_999_999_999, 87_000)).toBe(870_000_000_000); // 869,999,999,999.913
    expect(applyPpm(123_456_789_012_345, PPM)).toBe(123_456_789_012_345);
  });

  it("groups aged amounts into bands", () => {
    const items = [
      { ageDays: 10, open: 100 },
      { ageDays: 365, open: 50 },
      { ageDays: 366, open: 7 },
      { ageDays: 4000, open: 3 },
    ];
    expect(ladderBalances(DEFAULT_LADDER.upperDays, items)).toEqual([150, 7, 0, 0, 0, 3]);
  });

  it("refuses a table that is not one", () => {
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error instanceof AppError ? `${error.code}:${error.messageKey}` : "other";
      }
      return "accepted";
    };
    expect(refusal(() => ladderProvision({ upperDays: [365, 365], ratesPpm: [1, 2, 3] }, [0, 0, 0]))).toBe("invalid:provisions.ladder.badBands");
    expect(refusal(() => ladderProvision({ upperDays: [365], ratesPpm: [1] }, [0]))).toBe("invalid:provisions.ladder.rateCount");
    expect(refusal(() => ladderProvision({ upperDays: [365], ratesPpm: [1, PPM + 1] }, [0, 0]))).toBe("invalid:provisions.ladder.badRate");
    expect(refusal(() => ladderProvision(DEFAULT_LADDER, [0]))).toBe("invalid:provisions.ladder.balanceCount");
  });

  it("flags impossible aging: more in a band than was a year younger a year before", () => {
    expect(impossibleAging([100, 80, 60, 0, 0, 5], [120, 110, 80, 60, 0, 5])).toEqual([1]);
    expect(impossibleAging([100, 80, 60, 0, 10, 5], [120, 70, 80, 60, 0, 16])).toEqual([5]);
    expect(impossibleAging([100, 80, 60, 0, 10, 5], [0, 100, 80, 60, 0, 15])).toEqual([]);
  });
});

describe("the ladder against a naive sum", () => {
  it("equals rounding each band's sum at its rate, whatever the items and the table", () => {
    const table = fc
      .uniqueArray(fc.integer({ min: 1, max: 3000 }), { minLength: 0, maxLength: 6 })
      .chain((limits) =>
        fc.record({
          upperDays: fc.constant([...limits].sort((a, b) => a - b)),
          ratesPpm: fc.array(fc.integer({ min: 0, max: PPM }), { minLength: limits.length + 1, maxLength: limits.length + 1 }),
        }),
      );
    const items = fc.array(fc.record({ ageDays: fc.integer({ min: -400, max: 4000 }), open: fc.integer({ min: 0, max: 1e11 }) }), { maxLength: 40 });
    fc.assert(
      fc.property(table, items, (ladder, aged) => {
        const result = ladderProvision(ladder, ladderBalances(ladder.upperDays, aged));
        let expected = 0;
        ladder.ratesPpm.forEach((rate, band) => {
          const from = band === 0 ? -Infinity : (ladder.upperDays[band - 1] ?? 0) + 1;
          const to = ladder.upperDays[band] ?? Infinity;
          const balance = aged.filter((item) => item.ageDays >= from && item.ageDays <= to).reduce((sum, item) => sum + item.open, 0);
          expected += Math.floor((balance * rate) / PPM + 0.5 + 1e-9);
        });
        expect(result.provision).toBe(expected);
        expect(result.balance).toBe(aged.reduce((sum, item) => sum + item.open, 0));
      }),
      { numRuns: 300 },
    );
  });
});

describe("each customer's share of the ladder's provision", () => {
  it("adds up to the bands' provisions rounded once, where rounding each customer drifts", () => {
    // three customers of 0.10 at 5 %: 0.005 each rounds to 0.01 alone (0.03), the band to 0.02
    const rows = [[10], [10], [10]];
    expect(rows.reduce((sum, row) => sum + applyPpm(row[0] ?? 0, 50_000), 0)).toBe(3);
    const shares = allocateLadderProvision([50_000], rows);
    expect(shares).toEqual([1, 1, 0]);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(applyPpm(30, 50_000));
  });

  it("for any balances (credits too), sums per band to the band's rounded provision and stays within a cent of each exact share", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -5_000_000, max: 900_000_000_000 }), { minLength: 3, maxLength: 3 }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: PPM }), { minLength: 3, maxLength: 3 }),
        (rows, rates) => {
          const shares = allocateLadderProvision(rates, rows);
          const expected = rates.reduce((sum, ppm, band) => sum + applyPpm(rows.reduce((total, row) => total + (row[band] ?? 0), 0), ppm), 0);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(expected);
          rows.forEach((row, i) => {
            const exact = row.reduce((sum, balance, band) => sum + (balance * (rates[band] ?? 0)) / PPM, 0);
            expect(Math.abs((shares[i] ?? 0) - exact)).toBeLessThan(rates.length + 1e-6);
          });
        },
      ),
    );
  });
});
