import fs from "node:fs";

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
/** CPU seconds of this process's main thread alone (Linux): the rest is libuv's threads and the garbage collector's helpers. */
const mainThreadCpu = (): number | undefined => {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
};
const phases: { phase: string; at: number; cpu?: number; mainCpu?: number }[] = [
  { phase: "process started", at: forkedAt },
  { phase: "import started", at: startedAt, cpu: cpu(), mainCpu: mainThreadCpu() },
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
    phases.push({ phase, at: Date.now(), cpu: cpu(), mainCpu: mainThreadCpu() });
    if (process.env.BENCH_MEMORY) {
      const before = process.memoryUsage();
      console.log(`${phase} before GC: rss ${Math.round(before.rss / 1e6)} MB, heap ${Math.round(before.heapUsed / 1e6)}/${Math.round(before.heapTotal / 1e6)} MB`);
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
  let previousMain = phases[1]!.mainCpu ?? 0;
  console.log("  wall s    step s  step CPU s  main thread CPU s");
  for (const { phase, at, cpu: cpuAt = previousCpu, mainCpu = previousMain } of phases.slice(1)) {
    console.log(`${((at - startedAt) / 1000).toFixed(2).padStart(7)}  +${((at - previous) / 1000).toFixed(2).padStart(6)}  ${(cpuAt - previousCpu).toFixed(2).padStart(9)}  ${(mainCpu - previousMain).toFixed(2).padStart(16)}  ${phase}`);
    previous = at;
    previousCpu = cpuAt;
    previousMain = mainCpu;
  }
  console.log(`${rows} rows in ${seconds.toFixed(2)} s: ${Math.round(rows / seconds)} rows/s; CPU ${report.importCpuSeconds.toFixed(2)} s (process ${report.cpuSeconds.toFixed(1)} s); peak RSS ${Math.round(report.maxRssMb)} MB`);
}
