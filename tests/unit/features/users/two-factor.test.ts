import { describe, expect, it } from "vitest";

import {
  RECOVERY_CODE_ALPHABET,
  acceptedTotpStep,
  formatRecoveryCode,
  normalizeRecoveryCode,
  normalizeTotpCode,
  totpCodeAt,
  totpStepAt,
  twoFactorRequiredFor,
} from "~/features/users/two-factor";

// A fixed moment: these rules take `now` as a value, the wall clock plays no part.
const SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NOW = new Date("2026-12-07T09:00:10Z");
const step = totpStepAt(NOW);

describe("TOTP code window", () => {
  it("computes the RFC 6238 code of a step", () => {
    // RFC 6238 appendix B, SHA-1, T = 59 s (step 1): 94287082, of which apps show the last six digits.
    expect(totpCodeAt("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1)).toBe("287082");
  });

  it("accepts the current step's code and one step either side, nothing further", () => {
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step), NOW, null)).toBe(step);
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step - 1), NOW, null)).toBe(step - 1);
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step + 1), NOW, null)).toBe(step + 1);
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step - 2), NOW, null)).toBeNull();
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step + 2), NOW, null)).toBeNull();
  });

  it("refuses a code of the last accepted step or an earlier one (no replay)", () => {
    const code = totpCodeAt(SECRET, step);
    expect(acceptedTotpStep(SECRET, code, NOW, step)).toBeNull();
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step - 1), NOW, step)).toBeNull();
    // a newer code after an accepted one still works
    expect(acceptedTotpStep(SECRET, totpCodeAt(SECRET, step + 1), NOW, step)).toBe(step + 1);
  });

  it("reads codes typed with spaces and refuses what is no six-digit code", () => {
    const code = totpCodeAt(SECRET, step);
    expect(acceptedTotpStep(SECRET, `${code.slice(0, 3)} ${code.slice(3)}`, NOW, null)).toBe(step);
    expect(normalizeTotpCode(" 123 456 ")).toBe("123456");
    for (const bad of ["", "12345", "1234567", "12a456", "１２３４５６"]) expect(normalizeTotpCode(bad)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("are shown as two groups of five and read back in any case, with or without the hyphen", () => {
    expect(formatRecoveryCode("abcdefghjk")).toBe("abcde-fghjk");
    expect(normalizeRecoveryCode("ABCDE-FGHJK")).toBe("abcdefghjk");
    expect(normalizeRecoveryCode(" abcde fghjk ")).toBe("abcdefghjk");
    expect(normalizeRecoveryCode("abcdefghjk")).toBe("abcdefghjk");
  });

  it("refuse what cannot be a code (wrong length, look-alike characters)", () => {
    for (const bad of ["", "abcde-fghj", "abcde-fghjkm", "abcde-fghj0", "abcde-fghjl", "abcde-fghj1"]) {
      expect(normalizeRecoveryCode(bad), bad).toBeNull();
    }
    expect(RECOVERY_CODE_ALPHABET).not.toMatch(/[01ilo]/);
  });
});

describe("two-factor requirement", () => {
  it("applies to the roles the installation names", () => {
    expect(twoFactorRequiredFor("admin", ["admin", "leader"])).toBe(true);
    expect(twoFactorRequiredFor("staff", ["admin", "leader"])).toBe(false);
    expect(twoFactorRequiredFor("admin", [])).toBe(false);
  });
});
