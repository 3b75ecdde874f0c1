import type { AmountUnit, Locale, Role, User } from "../../../../db/schema";
import type { Db } from "~/server/db.server";

/** What the app shows of a user: never the password hash. */
export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "active" | "locale" | "amount_unit">;

const PUBLIC_COLUMNS = ["id", "email", "name", "role", "active", "locale", "amount_unit"] as const;

export function findUserById(db: Db, id: number): Promise<PublicUser | undefined> {
  return db.selectFrom("users").select(PUBLIC_COLUMNS).where("id", "=", id).executeTakeFirst();
}

/** By email (in any case, with stray spaces), with the password hash: for the sign-in check only. */
export function findUserForLogin(db: Db, email: string) {
  return db
    .selectFrom("users")
    .select([...PUBLIC_COLUMNS, "password_hash"])
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
}

export function listUsers(db: Db): Promise<PublicUser[]> {
  return db.selectFrom("users").select(PUBLIC_COLUMNS).orderBy("active", "desc").orderBy("name").execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The id of the user with this (normalized) email, if any. */
export async function findUserIdByEmail(db: Db, normalizedEmail: string): Promise<number | undefined> {
  const row = await db.selectFrom("users").select("id").where("email", "=", normalizedEmail).executeTakeFirst();
  return row?.id;
}

export function insertUser(
  db: Db,
  values: { email: string; name: string; role: Role; passwordHash: string | null; active: boolean; locale: Locale },
  now: Date,
): Promise<PublicUser> {
  return db
    .insertInto("users")
    .values({
      email: values.email,
      name: values.name,
      role: values.role,
      password_hash: values.passwordHash,
      active: values.active ? 1 : 0,
      locale: values.locale,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
}

export interface UserColumns {
  role?: Role;
  active?: 0 | 1;
  password_hash?: string;
  locale?: Locale;
  amount_unit?: AmountUnit;
  name?: string;
}

export function updateUserColumns(db: Db, id: number, values: UserColumns, now: Date): Promise<PublicUser> {
  return db
    .updateTable("users")
    .set({ ...values, updated_at: now.toISOString() })
    .where("id", "=", id)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirstOrThrow();
}

/** Writes name and email only while both are still `expected`; undefined when they were not. */
export function updateUserDetailsIfUnchanged(
  db: Db,
  id: number,
  expected: { name: string; email: string },
  next: { name: string; email: string },
  now: Date,
): Promise<PublicUser | undefined> {
  return db
    .updateTable("users")
    .set({ name: next.name, email: next.email, updated_at: now.toISOString() })
    .where("id", "=", id)
    .where("name", "=", expected.name)
    .where("email", "=", expected.email)
    .returning(PUBLIC_COLUMNS)
    .executeTakeFirst();
}
