import type { AmountUnit, Locale, Role } from "../../../db/schema";
import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { recordAudit } from "~/features/audit/index.server";
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
  if (!before) throw AppError.notFound();
  const after = await updateUserColumns(db, id, columnsOf(change), now);
  const action = "passwordHash" in change ? "reset-password" : `update:${Object.keys(change)[0]}`;
  await recordAudit(db, { userId: actorId, entity: "user", entityId: id, action, before, after }, now);
  return after;
}

/**
 * Name and email in one audited change, written only while both are still what the editor saw
 * (`expected`): a change made meanwhile by someone else is refused as a conflict carrying the
 * stored values, not overwritten; another user's email is refused at the email field.
 */
export async function updateUserDetails(
  db: Db,
  id: number,
  expected: { name: string; email: string },
  next: { name: string; email: string },
  actorId: number,
  now = new Date(),
): Promise<PublicUser> {
  return db.transaction().execute(async (trx) => {
    const before = await findUserById(trx, id);
    if (!before) throw AppError.notFound();
    const conflict = (current: PublicUser) => AppError.conflict("users.conflict", { name: current.name, email: current.email }, id);
    if (before.name !== expected.name || before.email !== expected.email) throw conflict(before);
    const email = normalizeEmail(next.email);
    const owner = await findUserIdByEmail(trx, email);
    if (owner !== undefined && owner !== id) throw AppError.field("email", "users.emailTaken");
    const after = await updateUserDetailsIfUnchanged(trx, id, expected, { name: next.name.trim(), email }, now);
    if (!after) {
      const current = await findUserById(trx, id);
      throw current ? conflict(current) : AppError.notFound();
    }
    await recordAudit(trx, { userId: actorId, entity: "user", entityId: id, action: "update:details", before, after }, now);
    return after;
  });
}

/** Use cases of the admin's user pages and the `npm run user` CLI: one implementation for both. */

/** The user an administrator opens, or 404. */
export async function userToEdit(db: Db, userId: number): Promise<PublicUser> {
  const user = await findUserById(db, userId);
  if (!user) throw AppError.notFound();
  return user;
}

/** A new account; refused at the email field when it is taken, at the password when it is weak. */
export async function createUserAccount(
  db: Db,
  input: { email: string; name: string; role: Role; password?: string },
  actorId: number | null,
): Promise<{ user: PublicUser; generatedPassword: string | null }> {
  if (await emailTaken(db, input.email)) throw AppError.field("email", "users.emailTaken");
  const problem = input.password ? newPasswordProblem(input.password, input) : null;
  if (problem) throw AppError.field("password", problem);
  const generatedPassword = input.password ? null : generatePassword();
  const passwordHash = await hashPassword(input.password || (generatedPassword ?? ""));
  const user = await createUser(db, { ...input, passwordHash }, actorId);
  return { user, generatedPassword };
}

/** What a successful change answers: the message to show, and a generated password once. */
export interface UserEdit {
  ok: true;
  message: string;
  password?: string;
}

/** An admin may not lock themselves out: no self-deactivation, no dropping their own admin role. */
export async function changeRole(db: Db, userId: number, role: Role, actorId: number): Promise<UserEdit> {
  if (userId === actorId && role !== "admin") throw new AppError("invalid", "users.notYourself");
  await updateUser(db, (await userToEdit(db, userId)).id, { role }, actorId);
  return { ok: true, message: "users.roleSaved" };
}

export async function setActive(db: Db, userId: number, active: boolean, actorId: number, now = new Date()): Promise<UserEdit> {
  if (userId === actorId && !active) throw new AppError("invalid", "users.notYourself");
  await updateUser(db, (await userToEdit(db, userId)).id, { active }, actorId, now);
  // Deactivation ends the user's sessions and revokes their API tokens: reactivating them later
  // must not bring old credentials back to life.
  if (!active) {
    await deleteSessionsOfUser(db, userId);
    await revokeAllApiTokensOf(db, userId, actorId, now, "deactivated");
  }
  return { ok: true, message: active ? "users.reactivated" : "users.deactivated" };
}

export async function resetPassword(db: Db, userId: number, password: string | undefined, actorId: number, now = new Date()): Promise<UserEdit> {
  const user = await userToEdit(db, userId);
  if (password) {
    const problem = newPasswordProblem(password, { email: user.email, name: user.name });
    if (problem) throw AppError.field("password", problem);
  }
  const generated = password ? undefined : generatePassword();
  await updateUser(db, userId, { passwordHash: await hashPassword(password || (generated ?? "")) }, actorId, now);
  await deleteSessionsOfUser(db, userId);
  await revokeAllApiTokensOf(db, userId, actorId, now);
  return generated ? { ok: true, message: "users.passwordReset", password: generated } : { ok: true, message: "users.passwordSet" };
}

/** The administrator corrects a user's name or email; the email stays unique and the change is audited. */
export async function editUserDetails(
  db: Db,
  userId: number,
  input: { name: string; email: string; expectedName: string; expectedEmail: string },
  actorId: number,
): Promise<UserEdit> {
  await updateUserDetails(db, userId, { name: input.expectedName, email: input.expectedEmail }, input, actorId);
  return { ok: true, message: "users.detailsSaved" };
}
