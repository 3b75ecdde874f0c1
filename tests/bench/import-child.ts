import { migrateToLatest } from "../../db/migrate";
import { createDb } from "~/server/db.server";
import { runImportJob } from "~/features/import/job.server";

/**
 * Runs one CLI-style import in its own process and reports its time, peak memory and when each
 * step finished (wall-clock ms, so the parent can tell which step a slow request overlapped).
 */
const [databaseFile, customers, invoices, payments, adjustments] = process.argv.slice(2);
if (!databaseFile || !customers || !invoices || !payments) throw new Error("usage: import-child DATABASE CUSTOMERS INVOICES PAYMENTS [ADJUSTMENTS]");
const forkedAt = Date.now() - performance.now();
const db = createDb(databaseFile);
await migrateToLatest(db);
await db.destroy();
const startedAt = Date.now();
const started = performance.now();
const phases: { phase: string; at: number }[] = [
  { phase: "process started", at: forkedAt },
  { phase: "import started", at: startedAt },
];
let committed = 0;
const result = await runImportJob(
  {
    databaseFile,
    userId: null,
    source: "cli",
    files: [
      { path: customers, kind: "customers" },
      { path: invoices, kind: "invoices" },
      { path: payments, kind: "payments" },
      ...(adjustments ? [{ path: adjustments, kind: "adjustments" as const }] : []),
    ],
  },
  undefined,
  (phase) => {
    phases.push({ phase, at: Date.now() });
    if (phase === "committed") committed = performance.now();
  },
);
const returned = performance.now();
const seconds = ((committed || returned) - started) / 1000;
const jobSeconds = (returned - started) / 1000;
if (!result.ok) {
  console.error(result.report);
  process.exit(1);
}
const rows = result.files.reduce((sum, f) => sum + f.rows, 0);
const usage = process.resourceUsage();
// CPU time too: on a shared machine the wall-clock time depends on what else runs.
process.send?.({
  seconds,
  jobSeconds,
  rows,
  maxRssMb: usage.maxRSS / 1024,
  cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  phases,
});
