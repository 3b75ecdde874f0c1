import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";

import { type Db, closeDb, createDb, databaseUrl, isPostgresUrl } from "~/server/db.server";
import { prepareDatabase } from "../../../db/prepare";
import { DEMO_OWNERS, DEMO_USERS, seedDemoUsers } from "../../../db/seed";

/*
 * Two app processes (or machines) started at the same moment on one new database: each migrates
 * and seeds the demo into a database without users. One must do it while the other waits, then
 * finds the users and seeds nothing: one demo, not two, and neither start fails. The two here are
 * two handles of their own on the database (two pools on PostgreSQL, two connections on SQLite),
 * as two processes have; runs on SQLite and on PostgreSQL. They seed the demo's users, its first
 * step (the whole demo takes minutes on a busy machine; what is at stake is whether two seed).
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-first-start-"));
const fileUrl = databaseUrl();
const postgres = isPostgresUrl(fileUrl);
const freshName = `qd_first_start_${process.pid}`;
const server = postgres ? Object.assign(new URL(fileUrl), { pathname: "/postgres" }).toString() : "";
const fresh = postgres ? Object.assign(new URL(fileUrl), { pathname: `/${freshName}` }).toString() : path.join(dir, "new.db");
const handles: Db[] = [];

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const handle of handles) await handle.destroy();
  await closeDb();
  vi.unstubAllEnvs();
  if (postgres) await onServer(`DROP DATABASE IF EXISTS ${freshName} WITH (FORCE)`);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function count(db: Db, table: "users"): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
}

describe("two app processes starting at once on a new database", () => {
  it("one migrates and seeds the demo, the other waits and seeds nothing", async () => {
    if (postgres) await onServer(`CREATE DATABASE ${freshName}`);
    // The demo's ledger import opens its own connection on DATABASE_URL, as in an app process.
    await closeDb();
    vi.stubEnv("DATABASE_URL", fresh);
    const first = createDb(fresh);
    const second = createDb(fresh);
    handles.push(first, second);
    let waits = 0;
    const onWait = () => {
      waits += 1;
    };
    const results = await Promise.all([prepareDatabase(first, { seed: seedDemoUsers, onWait }), prepareDatabase(second, { seed: seedDemoUsers, onWait })]);

    expect(results.map((result) => result.seeded).sort()).toEqual([false, true]);
    // The one that seeded ran every migration; the other found them run.
    const seeder = results.find((result) => result.seeded);
    const other = results.find((result) => !result.seeded);
    expect(seeder?.migrated.length).toBeGreaterThan(0);
    expect(other?.migrated).toEqual([]);
    expect(waits).toBe(1);

    expect(await count(first, "users")).toBe(DEMO_USERS.length + DEMO_OWNERS.length - 1);
    const users = await first.selectFrom("users").select("email").orderBy("email").execute();
    expect(new Set(users.map((user) => user.email)).size).toBe(users.length);

    // A later start of either finds everything done.
    expect(await prepareDatabase(second, { seed: seedDemoUsers })).toEqual({ migrated: [], seeded: false });
    expect(await count(second, "users")).toBe(DEMO_USERS.length + DEMO_OWNERS.length - 1);
  }, 120_000);
});
