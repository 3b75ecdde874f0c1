import { describe, expect, it } from "vitest";

import { GENERATED_PASSWORD_ALPHABET, generatePassword } from "~/server/password.server";

describe("generatePassword", () => {
  it("gives 20 characters of the alphabet", () => {
    const password = generatePassword();
    expect(password).toHaveLength(20);
    expect([...password].every((c) => GENERATED_PASSWORD_ALPHABET.includes(c))).toBe(true);
  });

  it("draws every character about equally often (a byte modulo 57 favours the first 28 by a quarter)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i += 1) for (const c of generatePassword()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(GENERATED_PASSWORD_ALPHABET.length);
    // 100,000 draws: about 1,754 each with a standard deviation near 41; the biased draw gives 5:4.
    const values = [...counts.values()];
    expect(Math.max(...values) / Math.min(...values)).toBeLessThan(1.15);
  });
});
