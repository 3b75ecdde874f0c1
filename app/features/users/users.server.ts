import type { AmountUnit, Locale, Role } from "../../../db/schema";
import { type Db, getDb } from "~/server/db.server";
import { recordAudit } from "~/features/audit/index.server";
import type { PasswordProblem } from "~/kernel/password-policy";
import { newPasswordProblem } from "~/server/password-policy.server";
import { generatePassword, hashPassword } from "~/server/password.server";

import { revokeAllApiTokensOf } from "./api-tokens.server";
import {
  type PublicUser,
  type UserColumns,
  findUserById,
  findUserIdByEmail,
  insertUser,
  updateUserColumns,
  updateUserDetailsIfUnchanged,
} from "./queries/users.server";
import { deleteSessionsOfUser } from "./queries/sessions.server";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; passwordHash: string | null; active?: boolean; locale?: Locale },
  actorId: number | null,
  now = new Date(),
): Promise<PublicUser> {
  const user = await insertUser(
    db,
    {
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      role: input.role,
      passwordHash: input.passwordHash,
      active: input.active !== false,
      locale: input.locale ?? "en",
    },
    now,
  );
  await recordAudit(db, { userId: actorId, entity: "user", entityId: user.id, action: "create", after: user }, now);
  return user;
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  return (await findUserIdByEmail(db, normalizeEmail(email))) !== undefined;
}

type UserChange =
  | { role: Role }
  | { active: boolean }
  | { passwordHash: string }
  | { locale: Locale }
  | { amountUnit: AmountUnit }
  | { name: string };

function columnsOf(change: UserChange): UserColumns {
  if ("role" in change) return { role: change.role };
  if ("active" in change) return { active: change.active ? 1 : 0 };
  if ("passwordHash" in change) return { password_hash: change.passwordHash };
  if ("locale" in change) return { locale: change.locale };
  if ("amountUnit" in change) return { amount_unit: change.amountUnit };
  return { name: change.name.trim() };
}

/** One change at a time, each audited (the password hash itself is never written to the log). */
export async function updateUser(db: Db, id: number, change: UserChange, actorId: number | null, now = new Date()): Promise<PublicUser> {
  const before = await findUserById(db, id);
  if (!before) throw new Error(`No user ${id}`);
  const after = await updateUserColumns(db, id, columnsOf(change), now);
  const action = "passwordHash" in change ? "reset-password" : `update:${Object.keys(change)[0]}`;
  await recordAudit(db, { userId: actorId, entity: "user", entityId: id, action, before, after }, now);
  return after;
}

export type UserDetailsEdit =
  | { ok: true; user: PublicUser }
  | { ok: false; reason: "conflict"; current: PublicUser }
  | { ok: false; reason: "email-taken" }
  | { ok: false; reason: "not-found" };

/**
 * Name and email in one audited change, written only while both are still what the editor saw
 * (`expected`): a change made meanwhile by someone else is reported as a conflict, not overwritten.
 */
export async function updateUserDetails(
  db: Db,
  id: number,
  expected: { name: string; email: string },
  next: { name: string; email: string },
  actorId: number,
  now = new Date(),
): Promise<UserDetailsEdit> {
  return db.transaction().execute(async (trx): Promise<UserDetailsEdit> => {
    const before = await findUserById(trx, id);
    if (!before) return { ok: false, reason: "not-found" };
    if (before.name !== expected.name || before.email !== expected.email) return { ok: false, reason: "conflict", current: before };
    const email = normalizeEmail(next.email);
    const owner = await findUserIdByEmail(trx, email);
    if (owner !== undefined && owner !== id) return { ok: false, reason: "email-taken" };
    const after = await updateUserDetailsIfUnchanged(trx, id, expected, { name: next.name.trim(), email }, now);
    if (!after) {
      const current = await findUserById(trx, id);
      return current ? { ok: false, reason: "conflict", current } : { ok: false, reason: "not-found" };
    }
    await recordAudit(trx, { userId: actorId, entity: "user", entityId: id, action: "update:details", before, after }, now);
    return { ok: true, user: after };
  });
}

/** Use cases of the admin's user pages and the `npm run user` CLI: one implementation for both. */

export async function createUserAccount(
  input: { email: string; name: string; role: Role; password?: string },
  actorId: number | null,
): Promise<
  | { ok: true; user: PublicUser; generatedPassword: string | null }
  | { ok: false; reason: "email-taken" }
  | { ok: false; reason: "weak-password"; problem: PasswordProblem }
> {
  const db = getDb();
  if (await emailTaken(db, input.email)) return { ok: false, reason: "email-taken" };
  const problem = input.password ? newPasswordProblem(input.password, input) : null;
  if (problem) return { ok: false, reason: "weak-password", problem };
  const generatedPassword = input.password ? null : generatePassword();
  const passwordHash = await hashPassword(input.password || (generatedPassword as string));
  const user = await createUser(db, { ...input, passwordHash }, actorId);
  return { ok: true, user, generatedPassword };
}

export type UserEditResult = { ok: true; message: string; password?: string } | { ok: false; message: string };

/** An admin may not lock themselves out: no self-deactivation, no dropping their own admin role. */
export async function changeRole(userId: number, role: Role, actorId: number): Promise<UserEditResult> {
  if (userId === actorId && role !== "admin") return { ok: false, message: "users.notYourself" };
  await updateUser(getDb(), userId, { role }, actorId);
  return { ok: true, message: "users.roleSaved" };
}

export async function setActive(userId: number, active: boolean, actorId: number): Promise<UserEditResult> {
  if (userId === actorId && !active) return { ok: false, message: "users.notYourself" };
  const db = getDb();
  await updateUser(db, userId, { active }, actorId);
  // Deactivation ends the user's sessions and revokes their API tokens: reactivating them later
  // must not bring old credentials back to life.
  if (!active) {
    await deleteSessionsOfUser(db, userId);
    await revokeAllApiTokensOf(db, userId, actorId, new Date(), "deactivated");
  }
  return { ok: true, message: active ? "users.reactivated" : "users.deactivated" };
}

export async function resetPassword(userId: number, password: string | undefined, actorId: number): Promise<UserEditResult> {
  const db = getDb();
  if (password) {
    const user = await findUserById(db, userId);
    const problem = newPasswordProblem(password, { email: user?.email, name: user?.name });
    if (problem) return { ok: false, message: problem };
  }
  const generated = password ? undefined : generatePassword();
  await updateUser(db, userId, { passwordHash: await hashPassword(password || (generated as string)) }, actorId);
  await deleteSessionsOfUser(db, userId);
  await revokeAllApiTokensOf(db, userId, actorId);
  return generated
    ? { ok: true, message: "users.passwordReset", password: generated }
    : { ok: true, message: "users.passwordSet" };
}

/** The administrator corrects a user's name or email; the email stays unique and the change is audited. */
export function editUserDetails(
  userId: number,
  input: { name: string; email: string; expectedName: string; expectedEmail: string },
  actorId: number,
): Promise<UserDetailsEdit> {
  return updateUserDetails(getDb(), userId, { name: input.expectedName, email: input.expectedEmail }, input, actorId);
}

export { findUserById };
