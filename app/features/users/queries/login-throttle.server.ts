import type { Db } from "~/server/db.server";

export function listThrottleRows(db: Db, keys: string[]) {
  return db.selectFrom("login_throttle").selectAll().where("key", "in", keys).execute();
}

/** Takes one failure back from a key's count. */
export async function decrementFailures(db: Db, key: string): Promise<void> {
  await db
    .updateTable("login_throttle")
    .set((eb) => ({ failures: eb("failures", "-", 1) }))
    .where("key", "=", key)
    .where("failures", ">", 0)
    .execute();
}

export async function incrementFailures(db: Db, key: string, now: Date): Promise<void> {
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

export async function deleteThrottleKey(db: Db, key: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", key).execute();
}
