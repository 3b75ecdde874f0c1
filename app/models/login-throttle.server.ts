import type { Db } from "~/db.server";
import { secondsUntilAllowed } from "~/domain/login-throttle";

export function throttleKeys(ip: string, email: string): string[] {
  return [`ip:${ip}`, `account:${email.trim().toLowerCase()}`];
}

/** The longest wait any of the keys still imposes. */
export async function secondsToWait(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.selectFrom("login_throttle").selectAll().where("key", "in", keys).execute();
  return Math.max(
    0,
    ...rows.map((r) => secondsUntilAllowed({ failures: r.failures, lastFailureAt: r.last_failure_at }, now)),
  );
}

export async function recordFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) {
    await db
      .insertInto("login_throttle")
      .values({ key, failures: 1, last_failure_at: now.toISOString() })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet((eb) => ({
          failures: eb("login_throttle.failures", "+", 1),
          last_failure_at: now.toISOString(),
        })),
      )
      .execute();
  }
}

/**
 * A successful sign-in clears the account's count only: clearing the IP's too would let one
 * valid account reset the throttle for guessing every other account.
 */
export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", `account:${email.trim().toLowerCase()}`).execute();
}
