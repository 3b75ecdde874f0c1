import crypto from "node:crypto";

import { generateSecret, generateURI } from "otplib";
import QRCode from "qrcode";

import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { recordAudit } from "~/features/audit/index.server";
import { hashPassword, verifyPassword } from "~/server/password.server";
import { openSecret, sealSecret } from "~/server/secret-box.server";

import {
  claimStep,
  clearTwoFactor,
  deleteExpiredPendingSignIns,
  countUnusedRecoveryCodes,
  deletePendingSignIn,
  enableTwoFactor,
  findPendingSignInById,
  findTwoFactorState,
  insertPendingSignIn,
  listUnusedRecoveryCodes,
  replaceRecoveryCodes,
  setPendingSecret,
  useRecoveryCode,
} from "./queries/two-factor.server";
import { hashToken } from "./sessions.server";
import {
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_CHARACTERS,
  RECOVERY_CODE_COUNT,
  acceptedTotpStep,
  formatRecoveryCode,
  normalizeRecoveryCode,
} from "./two-factor";

const ISSUER = "Quarterdeck";
/** Long enough to open the app and type a code, short enough that a left-open page goes stale. */
export const PENDING_SIGN_IN_MINUTES = 5;

export interface TwoFactorSetup {
  /** the base32 secret, to type into an app that cannot scan */
  secret: string;
  /** the otpauth:// URI as an SVG QR code, drawn on the server (no script on the page) */
  qrSvg: string;
}

export interface TwoFactorStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
  /** the secret waiting for its confirming code, when the user has started setting it up */
  setup: TwoFactorSetup | null;
}

async function stateOf(db: Db, userId: number) {
  const state = await findTwoFactorState(db, userId);
  if (!state) throw AppError.notFound();
  return state;
}

async function setupOf(email: string, secret: string): Promise<TwoFactorSetup> {
  const uri = generateURI({ issuer: ISSUER, label: email, secret });
  return { secret, qrSvg: await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 }) };
}

/** What the user's own settings page shows of their two-factor sign-in. */
export async function twoFactorStatus(db: Db, userId: number): Promise<TwoFactorStatus> {
  const state = await stateOf(db, userId);
  const enabled = state.two_factor_secret !== null;
  return {
    enabled,
    recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(db, userId) : 0,
    setup: !enabled && state.two_factor_pending_secret ? await setupOf(state.email, openSecret(state.two_factor_pending_secret)) : null,
  };
}

/** Starts (or restarts) the setup with a new secret; nothing changes for sign-in until it is confirmed. */
export async function startTwoFactorSetup(db: Db, userId: number): Promise<void> {
  const state = await stateOf(db, userId);
  if (state.two_factor_secret !== null) throw AppError.field("code", "twoFactor.alreadyOn");
  await setPendingSecret(db, userId, sealSecret(generateSecret()));
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    Array.from({ length: RECOVERY_CODE_CHARACTERS }, () => RECOVERY_CODE_ALPHABET[crypto.randomInt(RECOVERY_CODE_ALPHABET.length)]).join(""),
  );
}

/** Ten new recovery codes, stored only as argon2id hashes; the plain codes exist only in the answer. */
async function issueRecoveryCodes(db: Db, userId: number, now: Date): Promise<string[]> {
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(db, userId, await Promise.all(codes.map((code) => hashPassword(code))), now);
  return codes.map(formatRecoveryCode);
}

/** Switches two-factor sign-in on once a code from the app proves it holds the pending secret. */
export async function confirmTwoFactorSetup(db: Db, userId: number, code: string, now = new Date()): Promise<{ recoveryCodes: string[] }> {
  const state = await stateOf(db, userId);
  if (state.two_factor_secret !== null) throw AppError.field("code", "twoFactor.alreadyOn");
  if (!state.two_factor_pending_secret) throw AppError.field("code", "twoFactor.noSetup");
  const step = acceptedTotpStep(openSecret(state.two_factor_pending_secret), code, now, null);
  if (step === null) throw AppError.field("code", "twoFactor.codeInvalid");
  await enableTwoFactor(db, userId, state.two_factor_pending_secret, step, now);
  const recoveryCodes = await issueRecoveryCodes(db, userId, now);
  await recordAudit(db, { userId, entity: "user", entityId: userId, action: "two_factor_enabled" }, now);
  return { recoveryCodes };
}

/** A current code of the user's app, accepted once (its step is then used). */
async function checkCurrentCode(db: Db, userId: number, sealedSecret: string, lastStep: number | null, code: string, now: Date): Promise<boolean> {
  const step = acceptedTotpStep(openSecret(sealedSecret), code, now, lastStep);
  return step !== null && (await claimStep(db, userId, step));
}

/** Turning it off or replacing the recovery codes asks for the password and a current code. */
async function confirmIdentity(db: Db, userId: number, input: { password: string; code: string }, now: Date) {
  const state = await stateOf(db, userId);
  if (state.two_factor_secret === null) throw AppError.field("code", "twoFactor.notOn");
  if (!state.password_hash || !(await verifyPassword(state.password_hash, input.password))) throw AppError.field("password", "twoFactor.passwordInvalid");
  if (!(await checkCurrentCode(db, userId, state.two_factor_secret, state.two_factor_last_step, input.code, now))) {
    throw AppError.field("code", "twoFactor.codeInvalid");
  }
}

export async function disableTwoFactor(db: Db, userId: number, input: { password: string; code: string }, now = new Date()): Promise<void> {
  await confirmIdentity(db, userId, input, now);
  await clearTwoFactor(db, userId);
  await recordAudit(db, { userId, entity: "user", entityId: userId, action: "two_factor_disabled" }, now);
}

export async function regenerateRecoveryCodes(
  db: Db,
  userId: number,
  input: { password: string; code: string },
  now = new Date(),
): Promise<{ recoveryCodes: string[] }> {
  await confirmIdentity(db, userId, input, now);
  const recoveryCodes = await issueRecoveryCodes(db, userId, now);
  await recordAudit(db, { userId, entity: "user", entityId: userId, action: "two_factor_recovery_codes" }, now);
  return { recoveryCodes };
}

/** An administrator's reset for a user who lost their phone and codes: they sign in with the password alone again. */
export async function resetTwoFactor(db: Db, userId: number, actorId: number, now = new Date()): Promise<{ ok: true; message: string }> {
  const state = await stateOf(db, userId);
  if (state.two_factor_secret === null && state.two_factor_pending_secret === null) throw AppError.field("intent", "twoFactor.notOn");
  await clearTwoFactor(db, userId);
  await recordAudit(db, { userId: actorId, entity: "user", entityId: userId, action: "two_factor_reset" }, now);
  return { ok: true, message: "twoFactor.resetDone" };
}

/** Whether the user signs in with a second step. */
export async function hasTwoFactor(db: Db, userId: number): Promise<boolean> {
  return (await stateOf(db, userId)).two_factor_secret !== null;
}

/**
 * The second step's check: a current code of the app (once) or an unused recovery code (once).
 * A typed text that can be neither costs no hash check.
 */
export async function verifySecondFactor(db: Db, userId: number, input: string, now = new Date()): Promise<"code" | "recovery" | null> {
  const state = await stateOf(db, userId);
  if (state.two_factor_secret === null) return null;
  if (await checkCurrentCode(db, userId, state.two_factor_secret, state.two_factor_last_step, input, now)) return "code";
  const recovery = normalizeRecoveryCode(input);
  if (recovery === null) return null;
  for (const row of await listUnusedRecoveryCodes(db, userId)) {
    if ((await verifyPassword(row.code_hash, recovery)) && (await useRecoveryCode(db, row.id, now))) {
      await recordAudit(db, { userId, entity: "user", entityId: userId, action: "two_factor_recovery_code_used" }, now);
      return "recovery";
    }
  }
  return null;
}

/** The password step passed: a pending sign-in for this browser (its cookie's value returned). */
export async function createPendingSignIn(db: Db, userId: number, redirectTo: string | null, now = new Date()): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  // Sweeping stale ones here keeps the table small without a job.
  await deleteExpiredPendingSignIns(db, now);
  await insertPendingSignIn(db, {
    id: hashToken(token),
    userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + PENDING_SIGN_IN_MINUTES * 60_000).toISOString(),
    redirectTo,
  });
  return token;
}

/**
 * The browser's pending sign-in, or undefined when it has none, it expired, or the user was
 * deactivated. Only reads (the sign-in page's loader asks): expired ones are swept by the job.
 */
export async function findPendingSignIn(db: Db, token: string, now = new Date()) {
  const row = await findPendingSignInById(db, hashToken(token));
  if (!row || Date.parse(row.expires_at) <= now.getTime() || row.active !== 1) return undefined;
  return { id: row.id, userId: row.user_id, email: row.email, redirectTo: row.redirect_to };
}

export { deletePendingSignIn };

export type TwoFactorCommand =
  | { intent: "two-factor-start" }
  | { intent: "two-factor-confirm"; code: string }
  | { intent: "two-factor-disable"; password: string; code: string }
  | { intent: "two-factor-recovery"; password: string; code: string };

/** The settings page's two-factor forms: what was done, and recovery codes to show once. */
export async function runTwoFactorCommand(
  db: Db,
  userId: number,
  command: TwoFactorCommand,
  now = new Date(),
): Promise<{ ok: true; done: TwoFactorCommand["intent"]; recoveryCodes: string[] | null }> {
  switch (command.intent) {
    case "two-factor-start":
      await startTwoFactorSetup(db, userId);
      return { ok: true, done: command.intent, recoveryCodes: null };
    case "two-factor-confirm":
      return { ok: true, done: command.intent, ...(await confirmTwoFactorSetup(db, userId, command.code, now)) };
    case "two-factor-disable":
      await disableTwoFactor(db, userId, command, now);
      return { ok: true, done: command.intent, recoveryCodes: null };
    case "two-factor-recovery":
      return { ok: true, done: command.intent, ...(await regenerateRecoveryCodes(db, userId, command, now)) };
  }
}
