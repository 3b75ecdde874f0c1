import type { AmountUnit, Locale, Role, User } from "../../db/schema";
import type { Db } from "~/server/db.server";
import { recordAudit } from "~/server/audit.server";

/** What the app shows of a user: never the password hash. */
export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "active" | "locale" | "amount_unit">;

const PUBLIC_COLUMNS = ["id", "email", "name", "role", "active", "locale", "amount_unit"] as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserById(db: Db, id: number): Promise<PublicUser | undefined> {
  return db.selectFrom("users").select(PUBLIC_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export function findUserForLogin(db: Db, email: string) {
  return db
    .selectFrom("users")
    .select([...PUBLIC_COLUMNS, "password_hash"])
    .where("email", "=", normalizeEmail(email))
    .executeTakeFirst();
}

export function listUsers(db: Db): Promise<PublicUser[]> {
  return db.selectFrom("users").select(PUBLIC_COLUMNS).orderBy("active", "desc").orderBy("name").execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; role: Role; passwordHash: string | null; active?: boolean; locale?: Locale },
  actorId: number | null,
): Promise<PublicUser> {
  const now = new Date().toISOString();
  const user = await db
    .insertInto("users")
    .values({
      email: normalizeEmail(input.email),
      name: input.name.trim(),
      role: input.role,
      password_hash: input.passwordHash,
      active: input.active === false ? 0 : 1,
      locale: input.locale ?? "en",
      created_at: now,
      updated_at: now,
    })
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
  await recordAudit(db, { userId: actorId, entity: "user", entityId: user.id, action: "create", after: user });
  return user;
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").where("email", "=", normalizeEmail(email)).executeTakeFirst();
  return row !== undefined;
}

type UserChange =
  | { role: Role }
  | { active: boolean }
  | { passwordHash: string }
  | { locale: Locale }
  | { amountUnit: AmountUnit }
  | { name: string };

/** One change at a time, each audited (the password hash itself is never written to the log). */
export async function updateUser(db: Db, id: number, change: UserChange, actorId: number | null): Promise<PublicUser> {
  const before = await findUserById(db, id);
  if (!before) throw new Error(`No user ${id}`);
  const now = new Date().toISOString();
  const values =
    "role" in change
      ? { role: change.role }
      : "active" in change
        ? { active: change.active ? 1 : 0 }
        : "passwordHash" in change
          ? { password_hash: change.passwordHash }
          : "locale" in change
            ? { locale: change.locale }
            : "amountUnit" in change
              ? { amount_unit: change.amountUnit }
              : { name: change.name.trim() };
  const after = await db
    .updateTable("users")
    .set({ ...values, updated_at: now })
    .where("id", "=", id)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
  const action = "passwordHash" in change ? "reset-password" : `update:${Object.keys(change)[0]}`;
  await recordAudit(db, { userId: actorId, entity: "user", entityId: id, action, before, after });
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
): Promise<UserDetailsEdit> {
  return db.transaction().execute(async (trx): Promise<UserDetailsEdit> => {
    const before = await findUserById(trx, id);
    if (!before) return { ok: false, reason: "not-found" };
    if (before.name !== expected.name || before.email !== expected.email) return { ok: false, reason: "conflict", current: before };
    const email = normalizeEmail(next.email);
    const owner = await trx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
    if (owner && owner.id !== id) return { ok: false, reason: "email-taken" };
    const after = await trx
      .updateTable("users")
      .set({ name: next.name.trim(), email, updated_at: new Date().toISOString() })
      .where("id", "=", id)
      .where("name", "=", expected.name)
      .where("email", "=", expected.email)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirst();
    if (!after) return { ok: false, reason: "conflict", current: (await findUserById(trx, id))! };
    await recordAudit(trx, { userId: actorId, entity: "user", entityId: id, action: "update:details", before, after });
    return { ok: true, user: after };
  });
}
