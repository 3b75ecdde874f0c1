import cluster from "node:cluster";
import os from "node:os";

import { today } from "../../app/server/clock.server";
import { databaseLabel, getPrimaryDb, replicaUrl } from "../../app/server/db.server";
import { createHttpApp, loadServerBuild } from "../../app/server/http.server";
import { trustProxySetting, webConcurrency } from "../../app/server/env.server";
import { startJobs } from "../../app/server/jobs.server";
import { kpiSummariesJob } from "../../app/features/kpi/summary-keeper.server";
import { importExpiryJob } from "../../app/features/import/web-import.server";
import { baselinesJob } from "../../app/features/plans/baselines.server";
import { statusPositionsJob } from "../../app/features/status-table/status-keeper.server";
import { notificationsJob } from "../../app/features/notifications/index.server";
import { forecastInputsJob, frozenForecastsJob } from "../../app/features/forecast/index.server";
import { warningsJob } from "../../app/features/warnings/index.server";
import { promiseStatusesJob } from "../../app/features/credit/collection-actions/promise-keeper.server";
import { prepareDatabase } from "../prepare";
import { demoSignIns, hasDemoUsers, seedDemo } from "../seed";
import { ensureKpiSummaries } from "../summaries";

/**
 * `npm start`: migrate, seed an empty database with demo data, serve, and run the background jobs.
 * With WEB_CONCURRENCY=N (or `auto`) this first process prepares the database and runs the
 * background jobs, and N worker processes (node:cluster) serve HTTP on the one port: a page view
 * costs CPU, and one Node process uses one core. Everything the processes share lives in the
 * database (sessions, the sign-in back-off, version checks, import runs, the job lock rows).
 */
process.env.NODE_ENV ??= "production";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

async function serve(onListening: () => void) {
  const build = await loadServerBuild();
  const app = createHttpApp(build, { trustProxy: trustProxySetting(process.env.TRUST_PROXY) });
  return app.listen(port, host, onListening);
}

if (cluster.isWorker) {
  const server = await serve(() => process.send?.({ type: "listening" }));
  const stop = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  const processes = webConcurrency(process.env.WEB_CONCURRENCY, os.availableParallelism());
  try {
    // A replica setting that cannot work is said at start, not at the first page view.
    replicaUrl();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  // Migrations, the demo seed and the background jobs write: always on the primary.
  const db = getPrimaryDb();
  // Another process starting on the same database at the same moment: one seeds, the other waits.
  await prepareDatabase(db, { seed: seedDemo, onWait: () => console.log("Waiting for another app process that is preparing the database...") });
  if (await ensureKpiSummaries(db)) console.log("Brought the KPI summaries up to date.");
  const showDemo = await hasDemoUsers(db);
  const ready = () => {
    const workers = processes > 1 ? ` with ${processes} processes` : "";
    console.log(`Quarterdeck is serving ${databaseLabel()} on http://localhost:${port}${workers}`);
    if (showDemo) console.log(demoSignIns());
  };

  let stopping = false;
  let closeServer: (done: () => void) => void;
  if (processes === 1) {
    const server = await serve(ready);
    closeServer = (done) => server.close(done);
  } else {
    let listening = 0;
    const fork = () =>
      cluster.fork().on("message", (message: { type?: string }) => {
        if (message.type === "listening" && ++listening === processes) ready();
      });
    for (let i = 0; i < processes; i++) fork();
    // A worker that dies is replaced, so one crash does not halve the capacity for good.
    cluster.on("exit", (worker, code, signal) => {
      if (stopping) return;
      console.error(`An app process (${worker.process.pid}) stopped (${signal ?? code}); starting another.`);
      fork();
    });
    closeServer = (done) => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      cluster.disconnect(done);
    };
  }

  /*
   * Derived data is brought up to date by the commands and imports that change its inputs; these
   * jobs catch what changed outside them (an SQL edit), what falls due with time (a quarter's
   * baselines, the month in progress) and what is left behind (import previews nobody started).
   * They run in this first process only.
   */
  const jobs = startJobs([
    kpiSummariesJob(db),
    statusPositionsJob(db, today),
    baselinesJob(db, today),
    importExpiryJob(db),
    notificationsJob(db, today),
    forecastInputsJob(db),
    frozenForecastsJob(db, today),
    warningsJob(db, today),
    promiseStatusesJob(db, today),
  ]);

  const shutdown = () => {
    stopping = true;
    jobs.stop();
    closeServer(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
