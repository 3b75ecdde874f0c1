import type { Db } from "~/server/db.server";
import { secondsUntilAllowed } from "~/kernel/login-throttle";

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

/**
 * Counts an attempt as a failure before its password is checked, in one transaction with the
 * wait check, so parallel attempts cannot all pass the check before any of them is counted.
 * Returns the wait instead when one is due (nothing is counted then).
 */
export async function reserveAttempt(db: Db, keys: string[], now = new Date()): Promise<{ wait: number }> {
  return db.transaction().execute(async (trx) => {
    const wait = await secondsToWait(trx, keys, now);
    if (wait > 0) return { wait };
    await recordFailure(trx, keys, now);
    return { wait: 0 };
  });
}

/** Takes back the failure a successful attempt's reservation counted against the IP. */
export async function releaseIpAttempt(db: Db, ipKey: string): Promise<void> {
  await db
    .updateTable("login_throttle")
    .set((eb) => ({ failures: eb("failures", "-", 1) }))
    .where("key", "=", ipKey)
    .where("failures", ">", 0)
    .execute();
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
