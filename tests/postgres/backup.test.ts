import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { clientMajorVersion } from "~/server/pg-backup.server";
import { databaseState } from "../support/database-state";
import { importLedgerFixture } from "../support/ledger";

/*
 * `npm run backup` and `npm run restore` on PostgreSQL: pg_dump of DATABASE_URL into a file, and
 * pg_restore of it back, replacing what changed since; the database as it was before the restore
 * kept beside the backup. Without a usable pg_dump the command says what to install.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-pg-backup-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "db/cli/backup.ts", ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl(), ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function customerName(code: string): Promise<string> {
  return (await getDb().selectFrom("customers").select("name").where("code", "=", code).executeTakeFirstOrThrow()).name;
}

let code = "";

beforeAll(async () => {
  await importLedgerFixture();
  code = (await getDb().selectFrom("customers").select("code").orderBy("code").executeTakeFirstOrThrow()).code;
});

describe("backups of a PostgreSQL database", () => {
  it("backs up, and a restore brings a changed row back with every table as it was", async () => {
    const before = await databaseState();
    const name = await customerName(code);
    const file = path.join(dir, "quarterdeck.dump");
    const backup = await cli(["--to", file]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up to .*quarterdeck\.dump: [\d.]+ MB, \d+ tables, [\d,]+ rows\.$/m);
    expect(fs.existsSync(file)).toBe(true);

    // Changes after the backup: a renamed customer, a deleted payment.
    await getDb().updateTable("customers").set({ name: "Renamed after the backup" }).where("code", "=", code).execute();
    const payment = await getDb().selectFrom("payments").select("id").orderBy("id").executeTakeFirstOrThrow();
    await getDb().deleteFrom("payments").where("id", "=", payment.id).execute();
    expect(await customerName(code)).toBe("Renamed after the backup");
    expect(await databaseState()).not.toEqual(before);

    const restore = await cli(["restore", "--from", file]);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/^Restored .* from .*quarterdeck\.dump \(\d+ tables, [\d,]+ rows\)\.$/m);
    const previous = /kept as (.*)\.$/m.exec(restore.stdout)?.[1] ?? "";
    expect(previous.startsWith(`${file}.before-restore-`)).toBe(true);
    expect(fs.statSync(previous).size).toBeGreaterThan(0);

    expect(await customerName(code)).toBe(name);
    expect(await databaseState()).toEqual(before);
  });

  it("refuses to overwrite a file, and a file that is no backup is refused without touching the database", async () => {
    const existing = path.join(dir, "existing.dump");
    fs.writeFileSync(existing, "keep me");
    const overwrite = await cli(["--to", existing]);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain("exists already");
    expect(fs.readFileSync(existing, "utf8")).toBe("keep me");

    const before = await databaseState();
    const refused = await cli(["restore", "--from", existing]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is not a backup pg_restore can read");
    const missing = await cli(["restore", "--from", path.join(dir, "nothing.dump")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("There is no backup at");
    expect(await databaseState()).toEqual(before);
  });

  it("without pg_dump, or with one older than the server, says what to install and writes nothing", async () => {
    const empty = fs.mkdtempSync(path.join(dir, "no-tools-"));
    const target = path.join(dir, "never.dump");
    const missing = await cli(["--to", target], { POSTGRES_BIN_DIR: empty });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("pg_dump was not found");
    expect(missing.stderr).toContain("POSTGRES_BIN_DIR");

    // An old client: a pg_dump that answers as version 9.6 does.
    const old = fs.mkdtempSync(path.join(dir, "old-tools-"));
    fs.writeFileSync(path.join(old, "pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n", { mode: 0o755 });
    const tooOld = await cli(["--to", target], { POSTGRES_BIN_DIR: old });
    expect(tooOld.code).toBe(1);
    expect(tooOld.stderr).toMatch(/pg_dump is version 9\.6\.24, older than the PostgreSQL server \(\d+/);
    expect(tooOld.stderr).toContain("postgresql-client-");
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(`${target}.partial`)).toBe(false);
  });

  it("reads a client program's major version", () => {
    expect(clientMajorVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)")).toBe(15);
    expect(clientMajorVersion("pg_restore (PostgreSQL) 17.2")).toBe(17);
    expect(clientMajorVersion("pg_dump (PostgreSQL) 9.6.24")).toBeLessThan(10);
    expect(clientMajorVersion("something else")).toBeNull();
  });
});
