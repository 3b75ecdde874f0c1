import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { createDb, type Db } from "~/server/db.server";
import { kpiAnswer } from "~/features/kpi/kpi.server";

/*
 * `npm run db:copy` moves a whole installation, here the demo seeded into an SQLite file, into a
 * new PostgreSQL database: every table's rows, the KPI objects equal, the identities continuing
 * after the copied ids, and a second copy into the now used database refused without a change.
 */

const run = promisify(execFile);
const server = inject("postgresUrl");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-db-copy-"));
const file = path.join(dir, "installation.db");
const targetName = `qd_copy_${process.pid}`;
const target = Object.assign(new URL(server), { pathname: `/${targetName}` }).toString();
let copied: Db;

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function cli(script: string, args: string[], databaseUrl?: string) {
  const env = { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", [script, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }; // execFile's error carries the exit code and output
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function counts(db: Db, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    // the table names come from the source's own catalogue, checked against this list's shape
    const row = await db.selectFrom(table as "users").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

const TABLES = ["users", "customers", "invoices", "payments", "plans", "plan_items", "audit_log", "kpi_daily_summaries", "status_positions", "warnings", "customer_holds", "payment_promises"];

beforeAll(async () => {
  const seeded = await cli("db/cli/seed.ts", [], file);
  expect(seeded.stderr).toBe("");
  await onServer(`CREATE DATABASE ${targetName}`);
}, 300_000);

afterAll(async () => {
  await copied?.destroy();
  await onServer(`DROP DATABASE IF EXISTS ${targetName} WITH (FORCE)`);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run db:copy", () => {
  it("refuses a target that is not PostgreSQL and a source that is not there, and touches nothing", async () => {
    const notPostgres = await cli("db/cli/db-copy.ts", ["--from", file, "--to", path.join(dir, "other.db")]);
    expect(notPostgres.code).toBe(1);
    expect(notPostgres.stderr).toContain("--to must be a postgres:// URL");
    const noSource = await cli("db/cli/db-copy.ts", ["--from", path.join(dir, "missing.db"), "--to", target]);
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toContain("--from must be an SQLite file");
    expect(fs.existsSync(path.join(dir, "missing.db"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "other.db"))).toBe(false);
  });

  it("copies every table of the demo, then finds the row counts and the KPI objects equal", async () => {
    const result = await cli("db/cli/db-copy.ts", ["--from", file, "--to", target]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/row counts equal; KPI objects equal at \d+ date × scope checks/);

    const source = createDb(file);
    copied = createDb(target);
    try {
      const before = await counts(source, TABLES);
      expect(await counts(copied, TABLES)).toEqual(before);
      for (const table of ["customers", "invoices", "plans", "plan_items", "users"]) expect(before[table], table).toBeGreaterThan(0);
      const asOf = process.env.QUARTERDECK_TODAY ?? "";
      const region = await source.selectFrom("customers").select("region").where("region", "is not", null).limit(1).executeTakeFirstOrThrow();
      for (const scope of ["company", "owner:staff@demo.quarterdeck", `region:${region.region}`]) {
        expect(await kpiAnswer(copied, { asOf, scope }), scope).toEqual(await kpiAnswer(source, { asOf, scope }));
      }
      // The identity of a copied table continues after the copied ids.
      const last = await source.selectFrom("customers").select((eb) => eb.fn.max("id").as("id")).executeTakeFirstOrThrow();
      const added = await copied
        .insertInto("customers")
        .values({ code: "COPY-1", name: "After the copy", created_at: "2026-12-07 08:00:00", updated_at: "2026-12-07 08:00:00" })
        .returning("id")
        .executeTakeFirstOrThrow();
      expect(added.id).toBeGreaterThan(Number(last.id));
    } finally {
      await source.destroy();
    }
  }, 300_000);

  it("refuses to copy into a database that already has users, and changes nothing there", async () => {
    const before = await counts(copied, TABLES);
    const again = await cli("db/cli/db-copy.ts", ["--from", file, "--to", target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already has users");
    expect(await counts(copied, TABLES)).toEqual(before);
  }, 120_000);
});
