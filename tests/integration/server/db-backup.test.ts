import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { databasePath, databaseUrl, getDb, isPostgresUrl } from "~/server/db.server";
import { BackupError, backupDatabase, restoreDatabase } from "~/server/db-backup.server";
import { backupPostgres, restorePostgres } from "~/server/pg-backup.server";
import { importLedgerFixture } from "../../support/ledger";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every row of every table, in a stable order: two databases are equal when these are. */
function contents(file: string): Record<string, unknown[]> {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(
      tables.map((name) => {
        const columns = sqlite.prepare(`SELECT COUNT(*) FROM pragma_table_info('${name}')`).pluck().get() as number;
        const order = Array.from({ length: columns }, (_, i) => i + 1).join(", ");
        return [name, sqlite.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).raw().all()];
      }),
    );
  } finally {
    sqlite.close();
  }
}

// An SQLite database is a file copied with SQLite's backup API; a PostgreSQL one is dumped with
// pg_dump and restored with pg_restore (pg-backup.server.ts). Each run tests its own database's.
const onPostgres = isPostgresUrl(databaseUrl());

if (!onPostgres) {
  describe("backup and restore of an SQLite database", () => {
    it("copies every table of a live database, and a restore gives the same database back", async () => {
      await importLedgerFixture();
      const source = databasePath();
      // The app's own connection stays open throughout, as in a running server.
      expect(Number((await getDb().selectFrom("invoices").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);

      const target = path.join(dir, "copy.db");
      const report = await backupDatabase(source, target);
      const original = contents(source);
      expect(report.tables.invoices).toBe(original.invoices?.length);
      expect(contents(target)).toEqual(original);

      // A damaged working database, then the restore: every table as it was.
      const restoredInto = path.join(dir, "restored.db");
      fs.writeFileSync(restoredInto, "not a database");
      const restored = await restoreDatabase(target, restoredInto, "test");
      expect(contents(restoredInto)).toEqual(original);
      expect(restored.previous).toBe(`${restoredInto}.before-restore-test`);
    });

    it("gives one moment's state when another connection writes during the copy", async () => {
      const source = databasePath();
      const writer = new SQLite(source);
      writer.pragma("busy_timeout = 5000");
      const before = contents(source);
      const target = path.join(dir, "during-writes.db");
      const sqlite = new SQLite(source);
      let writes = 0;
      try {
        await sqlite.backup(target, {
          progress() {
            // Two writes from another connection while pages are copied: SQLite restarts the copy.
            if (writes < 2) {
              writer.prepare("UPDATE customers SET name = name || ' (renamed)' WHERE id = (SELECT MIN(id) FROM customers)").run();
              writes += 1;
            }
            return 5;
          },
        });
      } finally {
        sqlite.close();
        writer.close();
      }
      const after = contents(source);
      expect(after).not.toEqual(before);
      expect(contents(target)).toEqual(after);
    });

    it("refuses to overwrite a file, and a missing or damaged backup is refused without touching the database", async () => {
      const existing = path.join(dir, "existing.db");
      fs.writeFileSync(existing, "keep me");
      await expect(backupDatabase(databasePath(), existing)).rejects.toThrow(BackupError);
      expect(fs.readFileSync(existing, "utf8")).toBe("keep me");

      const damaged = path.join(dir, "damaged.db");
      fs.copyFileSync(path.join(dir, "copy.db"), damaged);
      const bytes = fs.readFileSync(damaged);
      bytes.fill(0x41, 4096, 8192);
      fs.writeFileSync(damaged, bytes);
      const target = path.join(dir, "target.db");
      fs.copyFileSync(path.join(dir, "copy.db"), target);
      const before = fs.readFileSync(target);
      await expect(restoreDatabase(damaged, target, "x")).rejects.toThrow();
      expect(fs.readFileSync(target).equals(before)).toBe(true);
      await expect(restoreDatabase(path.join(dir, "nothing.db"), target, "x")).rejects.toThrow(/no backup/);
    });

    it("npm run backup: prints what it copied; without --to it says what to do and exits 1", async () => {
      const target = path.join(dir, "cli.db");
      const cli = path.resolve("db/cli/backup.ts");
      const { stdout } = await run("npx", ["tsx", cli, "--to", target], { env: { ...process.env, DATABASE_URL: databasePath() } });
      expect(stdout).toMatch(/^Backed up to .*cli\.db: [\d.]+ MB, \d+ tables, [\d,]+ rows\.$/m);
      expect(fs.existsSync(target)).toBe(true);
      const failed = await run("npx", ["tsx", cli], { env: { ...process.env, DATABASE_URL: databasePath() } }).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toContain("npm run backup -- --to FILE");
    });
  });
}

/** The URL of another database on the test's PostgreSQL server. */
function databaseNamed(name: string): string {
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function onConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database beside the test's own, dropped after the file's tests. */
const madeDatabases: string[] = [];
async function newDatabase(suffix: string): Promise<string> {
  const name = `${new URL(databaseUrl()).pathname.slice(1)}_${suffix}`;
  await onConnection(databaseNamed("postgres"), (client) => client.query(`CREATE DATABASE ${name}`));
  madeDatabases.push(name);
  return databaseNamed(name);
}
afterAll(async () => {
  if (madeDatabases.length === 0) return;
  await onConnection(databaseNamed("postgres"), async (client) => {
    for (const name of madeDatabases) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
});

/** Every row of every table of a PostgreSQL database (the migrations' own too), in a stable order. */
function pgContents(url: string): Promise<Record<string, unknown[]>> {
  return onConnection(url, async (client) => {
    const { rows: tables } = await client.query<{ name: string; columns: number }>(
      `SELECT t.tablename AS name, (SELECT count(*) FROM information_schema.columns c WHERE c.table_schema = t.schemaname AND c.table_name = t.tablename)::int AS columns
       FROM pg_tables t WHERE t.schemaname = current_schema() ORDER BY t.tablename`,
    );
    const contents: Record<string, unknown[]> = {};
    for (const { name, columns } of tables) {
      const order = Array.from({ length: columns }, (_, i) => i + 1).join(", ");
      contents[name] = (await client.query({ text: `SELECT * FROM "${name}" ORDER BY ${order}`, rowMode: "array" })).rows;
    }
    return contents;
  });
}

if (onPostgres) {
  describe("backup and restore of a PostgreSQL database", () => {
    it("copies every table of a live database, and a restore gives the same database back", async () => {
      await importLedgerFixture();
      // The app's own pool stays open throughout, as in a running server.
      expect(Number((await getDb().selectFrom("invoices").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);

      const target = path.join(dir, "copy.dump");
      const report = await backupPostgres(databaseUrl(), target);
      const original = await pgContents(databaseUrl());
      expect(report.tables.invoices).toBe(original.invoices?.length);
      // Restored into an empty database: every table, row for row.
      const copy = await newDatabase("copy");
      await restorePostgres(target, copy, "copy");
      expect(await pgContents(copy)).toEqual(original);

      // A damaged working database (a renamed customer, a deleted payment), then the restore: every table as it was.
      await getDb().updateTable("customers").set({ name: "Damaged" }).where("id", "=", (eb) => eb.selectFrom("customers").select((e) => e.fn.min("id").as("id"))).execute();
      await getDb().deleteFrom("payments").where("id", "=", (eb) => eb.selectFrom("payments").select((e) => e.fn.min("id").as("id"))).execute();
      expect(await pgContents(databaseUrl())).not.toEqual(original);
      const restored = await restorePostgres(target, databaseUrl(), "test");
      expect(await pgContents(databaseUrl())).toEqual(original);
      // The database it replaced is kept beside the backup (a PostgreSQL database has no file of its own).
      expect(restored.previous).toBe(`${target}.before-restore-test`);
      expect(fs.statSync(restored.previous).size).toBeGreaterThan(0);
    });

    it("gives one moment's state when another connection writes during the copy", async () => {
      const before = await pgContents(databaseUrl());
      // Another connection writes while the backup runs: each transaction renames the first and the
      // last customer alike and adds a row, so a copy that mixed two moments would show it.
      const writer = new pg.Client({ connectionString: databaseUrl() });
      await writer.connect();
      let writes = 0;
      let stop = false;
      const write = async () => {
        writes += 1;
        await writer.query("BEGIN");
        await writer.query("UPDATE customers SET name = $1 WHERE id = (SELECT min(id) FROM customers)", [`Renamed ${writes}`]);
        await writer.query("INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, '2026-01-01T00:00:00.000Z')", [`ip:backup-${writes}`]);
        await writer.query("UPDATE customers SET name = $1 WHERE id = (SELECT max(id) FROM customers)", [`Renamed ${writes}`]);
        await writer.query("COMMIT");
      };
      const writing = (async () => {
        while (!stop) await write();
      })();
      const target = path.join(dir, "during-writes.dump");
      let report: Awaited<ReturnType<typeof backupPostgres>>;
      let during = 0;
      try {
        while (writes < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        const started = writes;
        report = await backupPostgres(databaseUrl(), target);
        during = writes - started;
      } finally {
        stop = true;
        await writing;
        await writer.end();
      }
      expect(during).toBeGreaterThanOrEqual(2);
      const after = await pgContents(databaseUrl());
      expect(after).not.toEqual(before);

      const copy = await newDatabase("moment");
      await restorePostgres(target, copy, "moment");
      const copied = await pgContents(copy);
      // One moment: both customers carry the same rename, and every table has the rows counted for the report.
      const names = await onConnection(copy, async (client) =>
        (await client.query<{ name: string }>("SELECT name FROM customers WHERE id IN ((SELECT min(id) FROM customers), (SELECT max(id) FROM customers)) ORDER BY id")).rows.map((row) => row.name),
      );
      expect(names).toHaveLength(2);
      expect(names[0]).toMatch(/^Renamed \d+$/);
      expect(names[1]).toBe(names[0]);
      expect(Object.fromEntries(Object.entries(copied).filter(([name]) => name in report.tables).map(([name, rows]) => [name, rows.length]))).toEqual(report.tables);
      // The writes went on after the dump's moment: the live database is ahead of the copy.
      expect(after.login_throttle?.length).toBeGreaterThan(copied.login_throttle?.length ?? 0);
    });

    it("refuses to overwrite a file, and a missing or damaged backup is refused without touching the database", async () => {
      const existing = path.join(dir, "existing.dump");
      fs.writeFileSync(existing, "keep me");
      await expect(backupPostgres(databaseUrl(), existing)).rejects.toThrow(BackupError);
      expect(fs.readFileSync(existing, "utf8")).toBe("keep me");

      const damaged = path.join(dir, "damaged.dump");
      fs.copyFileSync(path.join(dir, "copy.dump"), damaged);
      const bytes = fs.readFileSync(damaged);
      const middle = Math.floor(bytes.length / 2);
      bytes.fill(0x41, middle, Math.min(bytes.length, middle + 4096));
      fs.writeFileSync(damaged, bytes);
      const before = await pgContents(databaseUrl());
      await expect(restorePostgres(damaged, databaseUrl(), "x")).rejects.toThrow();
      expect(await pgContents(databaseUrl())).toEqual(before);
      await expect(restorePostgres(path.join(dir, "nothing.dump"), databaseUrl(), "x")).rejects.toThrow(/no backup/);
      expect(await pgContents(databaseUrl())).toEqual(before);
    });

    it("npm run backup: prints what it copied; without --to it says what to do and exits 1", async () => {
      const target = path.join(dir, "cli.dump");
      const cli = path.resolve("db/cli/backup.ts");
      const { stdout } = await run("npx", ["tsx", cli, "--to", target], { env: { ...process.env, DATABASE_URL: databaseUrl() } });
      expect(stdout).toMatch(/^Backed up to .*cli\.dump: [\d.]+ MB, \d+ tables, [\d,]+ rows\.$/m);
      expect(fs.existsSync(target)).toBe(true);
      const failed = await run("npx", ["tsx", cli], { env: { ...process.env, DATABASE_URL: databaseUrl() } }).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stderr: string }).stderr).toContain("npm run backup -- --to FILE");
    });
  });
}
