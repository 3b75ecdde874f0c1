import { inject } from "vitest";

import { type Db, createDb } from "~/server/db.server";
import { type PlanFixture, makePlan } from "../../support/plans";
import { demoEmail } from "./browser";

/** Runs `work` on the served app's database (the same file the server uses), then lets go of it. */
export async function withAppDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(inject("databaseFile"), { busyTimeoutMs: 5000 });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** A plan of the test's own on the served app, made by the demo head (and approved by the demo leader). */
export function demoPlan(fixture: PlanFixture) {
  return withAppDb((db) => makePlan(db, { head: demoEmail("head"), leader: demoEmail("leader") }, fixture, inject("today")));
}
