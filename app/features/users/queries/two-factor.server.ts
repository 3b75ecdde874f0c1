import type { Db } from "~/server/db.server";

export function findTwoFactorState(db: Db, userId: number) {
  return db
    .selectFrom("users")
    .select(["id", "email", "password_hash", "two_factor_secret", "two_factor_pending_secret", "two_factor_enabled_at", "two_factor_last_step"])
    .where("id", "=", userId)
    .executeTakeFirst();
}

export async function setPendingSecret(db: Db, userId: number, sealed: string | null): Promise<void> {
  await db.updateTable("users").set({ two_factor_pending_secret: sealed }).where("id", "=", userId).execute();
}

/** Switches the confirmed secret on, with the step of the code that confirmed it as used. */
export async function enableTwoFactor(db: Db, userId: number, sealed: string, step: number, now: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ two_factor_secret: sealed, two_factor_pending_secret: null, two_factor_enabled_at: now.toISOString(), two_factor_last_step: step })
    .where("id", "=", userId)
    .execute();
}

export async function clearTwoFactor(db: Db, userId: number): Promise<void> {
  await db
    .updateTable("users")
    .set({ two_factor_secret: null, two_factor_pending_secret: null, two_factor_enabled_at: null, two_factor_last_step: null })
    .where("id", "=", userId)
    .execute();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db.deleteFrom("pending_sign_ins").where("user_id", "=", userId).execute();
}

/**
 * Marks a step as used unless it, or a later one, already is: of two requests with the same code
 * only one changes the row.
 */
export async function claimStep(db: Db, userId: number, step: number): Promise<boolean> {
  const result = await db
    .updateTable("users")
    .set({ two_factor_last_step: step })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("two_factor_last_step", "is", null), eb("two_factor_last_step", "<", step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(db: Db, userId: number, hashes: readonly string[], now: Date): Promise<void> {
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("recovery_codes")
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now.toISOString(), used_at: null })))
    .execute();
}

export function listUnusedRecoveryCodes(db: Db, userId: number) {
  return db.selectFrom("recovery_codes").select(["id", "code_hash"]).where("user_id", "=", userId).where("used_at", "is", null).execute();
}

export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Uses a recovery code unless a parallel request already did. */
export async function useRecoveryCode(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db.updateTable("recovery_codes").set({ used_at: now.toISOString() }).where("id", "=", id).where("used_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertPendingSignIn(db: Db, values: { id: string; userId: number; createdAt: string; expiresAt: string; redirectTo: string | null }): Promise<void> {
  await db
    .insertInto("pending_sign_ins")
    .values({ id: values.id, user_id: values.userId, created_at: values.createdAt, expires_at: values.expiresAt, redirect_to: values.redirectTo })
    .execute();
}

export function findPendingSignInById(db: Db, id: string) {
  return db
    .selectFrom("pending_sign_ins")
    .innerJoin("users", "users.id", "pending_sign_ins.user_id")
    .select(["pending_sign_ins.id", "pending_sign_ins.user_id", "pending_sign_ins.expires_at", "pending_sign_ins.redirect_to", "users.email", "users.active"])
    .where("pending_sign_ins.id", "=", id)
    .executeTakeFirst();
}

export async function deletePendingSignIn(db: Db, id: string): Promise<void> {
  await db.deleteFrom("pending_sign_ins").where("id", "=", id).execute();
}

export async function deleteExpiredPendingSignIns(db: Db, now: Date): Promise<void> {
  await db.deleteFrom("pending_sign_ins").where("expires_at", "<=", now.toISOString()).execute();
}
