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
const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const phases: { phase: string; at: number; cpu?: number }[] = [
  { phase: "process started", at: forkedAt },
  { phase: "import started", at: startedAt, cpu: cpu() },
];
let committed = 0;
let committedCpu = 0;
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
    phases.push({ phase, at: Date.now(), cpu: cpu() });
    if (process.env.BENCH_MEMORY) {
      (globalThis as { gc?: () => void }).gc?.();
      const m = process.memoryUsage();
      const { user, system } = process.cpuUsage();
      console.log(`${phase}: user ${(user / 1e6).toFixed(2)} s, system ${(system / 1e6).toFixed(2)} s, rss ${Math.round(m.rss / 1e6)} MB, heap ${Math.round(m.heapUsed / 1e6)} MB, external ${Math.round(m.external / 1e6)} MB, max rss so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    }
    if (phase === "committed") {
      committed = performance.now();
      committedCpu = cpu();
    }
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
const report = {
  seconds,
  jobSeconds,
  rows,
  maxRssMb: usage.maxRSS / 1024,
  cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
  /** CPU time of the import itself, begin to commit: on a busy machine a steadier figure than the wall clock */
  importCpuSeconds: (committedCpu || cpu()) - phases[1]!.cpu!,
  phases,
};
// Run by hand (e.g. under --cpu-prof): print what the parent would be told.
if (process.send) process.send(report);
else {
  let previous = startedAt;
  let previousCpu = phases[1]!.cpu!;
  console.log("  wall s    step s  step CPU s");
  for (const { phase, at, cpu: cpuAt = previousCpu } of phases.slice(1)) {
    console.log(`${((at - startedAt) / 1000).toFixed(2).padStart(7)}  +${((at - previous) / 1000).toFixed(2).padStart(6)}  ${(cpuAt - previousCpu).toFixed(2).padStart(9)}  ${phase}`);
    previous = at;
    previousCpu = cpuAt;
  }
  console.log(`${rows} rows in ${seconds.toFixed(2)} s: ${Math.round(rows / seconds)} rows/s; CPU ${report.importCpuSeconds.toFixed(2)} s (process ${report.cpuSeconds.toFixed(1)} s); peak RSS ${Math.round(report.maxRssMb)} MB`);
}
