import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { IMPORT_LOCK } from "~/server/pg-sync.server";

// Two processes import into one PostgreSQL at the same moment: the second waits for the whole of
// the first (claim, rows, re-settlement, commit), and both runs are recorded as they happened.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-two-imports-"));

function ledgerFiles(prefix: string): { customers: string; invoices: string } {
  const customers = path.join(dir, `${prefix}-customers.csv`);
  const invoices = path.join(dir, `${prefix}-invoices.csv`);
  const codes = Array.from({ length: 20 }, (_, i) => `${prefix}-${String(i + 1).padStart(2, "0")}`);
  fs.writeFileSync(customers, ["code,name,region,owner_email,credit_grade,credit_limit", ...codes.map((code) => `${code},Customer ${code},East,,A,1000`)].join("\n"));
  fs.writeFileSync(
    invoices,
    ["invoice_no,customer_code,issue_date,due_date,amount", ...codes.flatMap((code) => [1, 2, 3].map((n) => `INV-${code}-${n},${code},2026-01-0${n},2026-02-0${n},${n}00.00`))].join("\n"),
  );
  return { customers, invoices };
}

function runImportCli(files: { customers: string; invoices: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "db/cli/import.ts", "--customers", files.customers, "--invoices", files.invoices],
      { env: { ...process.env, DATABASE_URL: databaseUrl() }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function waitingForImportLock(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1",
    [IMPORT_LOCK],
  );
  return Number(rows[0]?.n);
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("two import processes on one PostgreSQL", () => {
  it("run one after the other, never both at once, and both succeed", async () => {
    // Hold the import lock until both processes queue behind it, so they truly start together.
    const holder = new pg.Client({ connectionString: databaseUrl() });
    await holder.connect();
    let first: Promise<{ code: number; stdout: string; stderr: string }>;
    let second: Promise<{ code: number; stdout: string; stderr: string }>;
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [IMPORT_LOCK]);
      first = runImportCli(ledgerFiles("A"));
      second = runImportCli(ledgerFiles("B"));
      // A bounded number of looks, 100 ms apart (about 45 s), not a deadline on the wall clock.
      for (let looks = 0; (await waitingForImportLock(holder)) < 2; looks += 1) {
        if (looks >= 450) throw new Error("the two imports never queued for the import lock");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await holder.query("SELECT pg_advisory_unlock($1)", [IMPORT_LOCK]);
    } finally {
      await holder.end();
    }
    const results = await Promise.all([first, second]);
    for (const result of results) {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("customers: 20 added");
    }
    const runs = await getDb().selectFrom("import_runs").select(["status", "started_at", "finished_at"]).orderBy("started_at").execute();
    expect(runs.map((run) => run.status)).toEqual(["succeeded", "succeeded"]);
    // The second began (its claim) only after the first had finished (its commit).
    expect(runs[1]!.started_at >= runs[0]!.finished_at!).toBe(true);
    const invoices = await getDb().selectFrom("invoices").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(invoices.n).toBe(120);
    const openItems = await getDb().selectFrom("open_items").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(openItems.n).toBe(120);
  }, 90_000);
});
