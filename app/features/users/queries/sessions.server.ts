import { sql } from "kysely";

import { type Db, isPostgres } from "~/server/db.server";

export async function insertSession(
  db: Db,
  values: { id: string; userId: number; createdAt: string; expiresAt: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      id: values.id,
      user_id: values.userId,
      created_at: values.createdAt,
      last_seen_at: values.createdAt,
      expires_at: values.expiresAt,
      ip: values.ip,
      user_agent: values.userAgent,
    })
    .execute();
}

/** The session with this id (the token's hash) and its user. */
export function findSessionById(db: Db, sessionId: string) {
  return db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id as sessionId",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "users.id",
      "users.email",
      "users.name",
      "users.role",
      "users.active",
      "users.locale",
      "users.amount_unit",
      "users.two_factor_enabled_at",
    ])
    .where("sessions.id", "=", sessionId)
    .executeTakeFirst();
}

/**
 * Notes the session's last use. It is bookkeeping, so it never waits long: on SQLite the app's
 * connection gives up on a held write lock after its busy timeout; on PostgreSQL the update gives
 * up after 200 ms on a row another transaction holds (lock_not_available). Either way the caller
 * sees isDatabaseBusy and skips it.
 */
export async function touchSession(db: Db, sessionId: string, now: Date): Promise<void> {
  const update = (tx: Db) => tx.updateTable("sessions").set({ last_seen_at: now.toISOString() }).where("id", "=", sessionId).execute();
  if (!isPostgres(db)) {
    await update(db);
    return;
  }
  await db.transaction().execute(async (tx) => {
    await sql`set local lock_timeout = '200ms'`.execute(tx);
    await update(tx);
  });
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}

/** Revokes every session of a user (deactivation, password reset). */
export async function deleteSessionsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom("sessions").where("expires_at", "<=", now.toISOString()).execute();
}
