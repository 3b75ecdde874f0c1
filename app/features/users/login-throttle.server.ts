import type { Db } from "~/server/db.server";
import { secondsUntilAllowed } from "~/kernel/login-throttle";

import { decrementFailures, deleteThrottleKey, incrementFailures, listThrottleRows } from "./queries/login-throttle.server";

export function throttleKeys(ip: string, email: string): [ipKey: string, accountKey: string] {
  return [`ip:${ip}`, `account:${email.trim().toLowerCase()}`];
}

/** The longest wait any of the keys still imposes. */
export async function secondsToWait(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await listThrottleRows(db, keys);
  return Math.max(0, ...rows.map((r) => secondsUntilAllowed({ failures: r.failures, lastFailureAt: r.last_failure_at }, now)));
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
  await decrementFailures(db, ipKey);
}

export async function recordFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) await incrementFailures(db, key, now);
}

/**
 * A successful sign-in clears the account's count only: clearing the IP's too would let one
 * valid account reset the throttle for guessing every other account.
 */
export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await deleteThrottleKey(db, `account:${email.trim().toLowerCase()}`);
}
