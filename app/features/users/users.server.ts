import type { Role } from "../../../db/schema";
import { getDb } from "~/server/db.server";
import { revokeAllApiTokensOf } from "~/server/api-token.server";
import { deleteSessionsOfUser } from "~/server/session.server";
import { type PublicUser, type UserDetailsEdit, createUser, emailTaken, findUserById, updateUser, updateUserDetails } from "~/server/user.server";
import type { PasswordProblem } from "~/kernel/password-policy";
import { newPasswordProblem } from "~/server/password-policy.server";
import { generatePassword, hashPassword } from "~/server/password.server";

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
