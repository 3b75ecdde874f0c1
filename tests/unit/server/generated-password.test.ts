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
    // 100,000 draws: about 1,754 each with a standard deviation near 41. Each character stays
    // within 15% of the mean (six standard deviations: a fair draw never fails by chance), and the
    // first 28 characters together are drawn as often as the rest, where the biased draw gives 5:4.
    const mean = 100_000 / GENERATED_PASSWORD_ALPHABET.length;
    for (const count of counts.values()) expect(Math.abs(count - mean) / mean).toBeLessThan(0.15);
    const average = (characters: string[]) => characters.reduce((sum, c) => sum + (counts.get(c) ?? 0), 0) / characters.length;
    const alphabet = [...GENERATED_PASSWORD_ALPHABET];
    expect(average(alphabet.slice(0, 28)) / average(alphabet.slice(28))).toBeLessThan(1.05);
  });
});
