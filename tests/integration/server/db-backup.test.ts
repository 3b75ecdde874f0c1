import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { databasePath, getDb } from "~/server/db.server";
import { BackupError, backupDatabase, restoreDatabase } from "~/server/db-backup.server";
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

describe("backup and restore", () => {
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
