import { migrateToLatest } from "../../db/migrate";
import { createDb } from "~/db.server";
import { runImportJob } from "~/import-job.server";

/** Runs one CLI-style import in its own process and reports its time and peak memory. */
const [databaseFile, customers, invoices, payments] = process.argv.slice(2);
const db = createDb(databaseFile);
await migrateToLatest(db);
await db.destroy();
const started = performance.now();
const result = await runImportJob({
  databaseFile,
  userId: null,
  source: "cli",
  files: [
    { path: customers, kind: "customers" },
    { path: invoices, kind: "invoices" },
    { path: payments, kind: "payments" },
  ],
});
const seconds = (performance.now() - started) / 1000;
if (!result.ok) {
  console.error(result.report);
  process.exit(1);
}
const rows = result.files.reduce((sum, f) => sum + f.rows, 0);
const usage = process.resourceUsage();
// CPU time too: on a shared machine the wall-clock time depends on what else runs.
process.send?.({ seconds, rows, maxRssMb: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 });
