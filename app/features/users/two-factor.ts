import { generateSync } from "otplib";

import type { Role } from "~/kernel/permissions";

/** Authenticator apps' defaults (RFC 6238): six digits, 30-second steps, SHA-1. */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side: a phone's clock a little off, or a code typed as it turned over. */
export const TOTP_DRIFT_STEPS = 1;
export const RECOVERY_CODE_COUNT = 10;
/** Lower case and digits without look-alikes (no 0/o, 1/l/i): easy to read out and type. */
export const RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_CODE_LENGTH = 10;

/** The 30-second step a moment falls in. */
export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of a step (what the user's app shows during it). */
export function totpCodeAt(secret: string, step: number): string {
  return generateSync({ secret, epoch: step * TOTP_PERIOD_SECONDS });
}

/** A typed code without the spaces apps show in the middle ("123 456"), or null when it is no code. */
export function normalizeTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, "");
  return /^\d{6}$/.test(code) ? code : null;
}

/**
 * The step a code belongs to, or null when it is refused: it must be the code of the current step
 * or of one step either side, and of a step after the last accepted one, so a code (seen over a
 * shoulder, or replayed) is accepted once, and no older code after a newer one.
 */
export function acceptedTotpStep(secret: string, input: string, now: Date, lastAcceptedStep: number | null): number | null {
  const code = normalizeTotpCode(input);
  if (code === null) return null;
  const current = totpStepAt(now);
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step += 1) {
    if (lastAcceptedStep !== null && step <= lastAcceptedStep) continue;
    if (totpCodeAt(secret, step) === code) return step;
  }
  return null;
}

/** Ten characters as shown to the user: "abcde-fghjk". */
export function formatRecoveryCode(characters: string): string {
  return `${characters.slice(0, 5)}-${characters.slice(5)}`;
}

/**
 * A typed recovery code as it is hashed: lower case, without spaces or hyphens; null when it
 * cannot be one (so no hash is checked for it).
 */
export function normalizeRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]+/g, "");
  if (code.length !== RECOVERY_CODE_LENGTH) return null;
  return [...code].every((c) => RECOVERY_CODE_ALPHABET.includes(c)) ? code : null;
}

export const RECOVERY_CODE_CHARACTERS = RECOVERY_CODE_LENGTH;

/** Whether a user of this role must use two-factor sign-in in this installation. */
export function twoFactorRequiredFor(role: Role, requiredRoles: readonly Role[]): boolean {
  return requiredRoles.includes(role);
}
