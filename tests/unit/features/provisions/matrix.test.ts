import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lossRates, matrixProvision, migrationRates } from "~/features/provisions/matrix";
import { AppError } from "~/kernel/app-error";

describe("the provision matrix from migration rates", () => {
  // IFRS 9's simplified approach, one sales cohort: of 100,000 of sales, 50,000 was still unpaid
  // 1–30 days past due, 23,000 at 31–60, 8,000 at 61–90 and 2,000 over 90, all of it lost.
  const cohort = { start: [100_000, 50_000, 23_000, 8_000, 2_000], migrated: [50_000, 23_000, 8_000, 2_000, 0] };

  it("gives the published loss rates 2.0 / 4.0 / 8.7 / 25 / 100 % and a provision of 27,567", () => {
    const { rates, withoutHistory, capped } = migrationRates(5, [cohort]);
    expect(withoutHistory).toEqual([]);
    expect(capped).toEqual([]);
    const losses = lossRates(rates);
    expect(losses.map((rate) => (rate * 100).toFixed(1))).toEqual(["2.0", "4.0", "8.7", "25.0", "100.0"]);
    const balances = [300_000_00, 140_000_00, 60_000_00, 23_000_00, 5_000_00];
    const { provision, bands } = matrixProvision(losses, balances);
    expect(bands.map((band) => band.provision)).toEqual([6_000_00, 5_600_00, 5_217_39, 5_750_00, 5_000_00]);
    expect(provision).toBe(27_567_39);
  });

  it("averages each band's migration over the periods that had a balance in it", () => {
    const periods = [
      { start: [1000, 0, 0], migrated: [500, 0, 0] },
      { start: [1000, 400, 0], migrated: [300, 100, 0] },
    ];
    const { rates, withoutHistory } = migrationRates(3, periods);
    expect(rates).toEqual([0.4, 0.25]);
    expect(withoutHistory).toEqual([]);
  });

  it("takes 100 % for a band without history and caps a band that migrated more than it held", () => {
    const result = migrationRates(3, [{ start: [100, 0, 0], migrated: [150, 0, 0] }]);
    expect(result.rates).toEqual([1, 1]);
    expect(result.withoutHistory).toEqual([1]);
    expect(result.capped).toEqual([0]);
  });

  it("applies a forward-looking adjustment to every loss rate, never above 100 %", () => {
    const { bands } = matrixProvision([0.02, 0.5, 1], [10_000, 10_000, 10_000], 0.1);
    expect(bands.map((band) => band.provision)).toEqual([220, 5_500, 10_000]);
    let code = "accepted";
    try {
      matrixProvision([0.02], [1], -1);
    } catch (error) {
      code = error instanceof AppError ? error.messageKey : "other";
    }
    expect(code).toBe("provisions.matrix.badAdjustment");
  });

  it("makes each band's loss rate its migration times the next band's, whatever the history", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }), (migration) => {
        const losses = lossRates(migration);
        expect(losses.at(-1)).toBe(1);
        migration.forEach((rate, band) => expect(losses[band]).toBeCloseTo(rate * (losses[band + 1] ?? 1), 12));
      }),
    );
  });
});
