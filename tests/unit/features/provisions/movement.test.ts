import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { movementAddsUp, provisionMovement, yearMovement } from "~/features/provisions/movement";

describe("the provision movement", () => {
  it("a worked example: 1,818,100.42 opening, 120,000.00 written off, 1,950,000.00 closing → 251,899.58 charged", () => {
    const movement = provisionMovement(181_810_042, 12_000_000, 195_000_000);
    expect(movement).toEqual({ opening: 181_810_042, charge: 25_189_958, reversal: 0, writtenOff: 12_000_000, closing: 195_000_000 });
    expect(181_810_042 + 25_189_958 - 0 - 12_000_000).toBe(195_000_000);
  });

  it("a fall in the provision beyond the write-offs is a reversal", () => {
    expect(provisionMovement(1_000_000, 100_000, 600_000)).toEqual({ opening: 1_000_000, charge: 0, reversal: 300_000, writtenOff: 100_000, closing: 600_000 });
  });

  it("always adds up, with one of charge and reversal zero and neither negative", () => {
    const money = fc.integer({ min: 0, max: 10 ** 13 });
    fc.assert(
      fc.property(money, money, money, (opening, writtenOff, closing) => {
        const movement = provisionMovement(opening, writtenOff, closing);
        expect(movementAddsUp(movement)).toBe(true);
        expect(movement.charge >= 0 && movement.reversal >= 0).toBe(true);
        expect(movement.charge === 0 || movement.reversal === 0).toBe(true);
      }),
    );
  });
});

describe("yearMovement", () => {
  it("chains the year's runs: the first opening, the sums, the last closing, adding up", () => {
    const q1 = provisionMovement(1_000, 200, 1_500);
    const q2 = provisionMovement(1_500, 0, 900);
    const year = yearMovement([q1, q2]);
    expect(year).toEqual({ opening: 1_000, charge: q1.charge + q2.charge, reversal: q1.reversal + q2.reversal, writtenOff: 200, closing: 900 });
    expect(year && movementAddsUp(year)).toBe(true);
    expect(yearMovement([])).toBeNull();
  });
});
