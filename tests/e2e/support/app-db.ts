import Database from "better-sqlite3";
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

/** A handle on the served app's database in plain SQL, as a person with the sqlite3 shell would open it. */
export function appDatabase(options: { readonly?: boolean } = {}): Database.Database {
  return new Database(inject("databaseFile"), { readonly: options.readonly ?? false, fileMustExist: true, timeout: 5000 });
}

/** Reads the served app's database in plain SQL (a read-only look beside the running server), then lets go of it. */
export function readAppDb<T>(read: (db: Database.Database) => T): T {
  const db = appDatabase({ readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Writes to the served app's database in plain SQL (a test's set-up or clean-up), then lets go of it. */
export function writeAppDb<T>(work: (db: Database.Database) => T): T {
  const db = appDatabase();
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** The installation's first month of the fiscal year as the served app has it now (January unless set). */
export function appFiscalStartMonth(): number {
  return readAppDb((db) => {
    const row = db.prepare("SELECT value FROM settings WHERE key = 'fiscal_start_month'").get() as { value: string } | undefined;
    return row ? Number(row.value) : 1;
  });
}

/** A plan of the test's own on the served app, made by the demo head (and approved by the demo leader). */
export function demoPlan(fixture: PlanFixture) {
  return withAppDb((db) => makePlan(db, { head: demoEmail("head"), leader: demoEmail("leader") }, fixture, inject("today")));
}
