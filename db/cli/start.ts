import { today } from "../../app/server/clock.server";
import { databaseLabel, databaseUrl, getDb, isPostgresUrl } from "../../app/server/db.server";
import { createHttpApp, loadServerBuild } from "../../app/server/http.server";
import { trustProxySetting } from "../../app/server/env.server";
import { startJobs } from "../../app/server/jobs.server";
import { kpiSummariesJob } from "../../app/features/kpi/summary-keeper.server";
import { importExpiryJob } from "../../app/features/import/web-import.server";
import { baselinesJob } from "../../app/features/plans/baselines.server";
import { statusPositionsJob } from "../../app/features/status-table/status-keeper.server";
import { notificationsJob } from "../../app/features/notifications/index.server";
import { forecastInputsJob } from "../../app/features/forecast/index.server";
import { warningsJob } from "../../app/features/warnings/index.server";
import { migrateToLatest } from "../migrate";
import { demoSignIns, hasDemoUsers, isEmpty, seedDemo } from "../seed";
import { ensureKpiSummaries } from "../summaries";

/** `npm start`: migrate, seed an empty database with demo data, serve, and run the background jobs. */
process.env.NODE_ENV ??= "production";
const db = getDb();
await migrateToLatest(db);
if (isPostgresUrl(databaseUrl())) {
  // Said plainly rather than failing later, in the first import or the first KPI page.
  console.error(
    `Migrated ${databaseLabel()}. Serving on PostgreSQL is not ready yet: the ledger import, the KPI summaries and ` +
      "the status positions still work on an SQLite file (README, PostgreSQL). Use an SQLite DATABASE_URL to serve.",
  );
  await db.destroy();
  process.exit(1);
}
if (await isEmpty(db)) await seedDemo(db);
if (await ensureKpiSummaries(db)) console.log("Brought the KPI summaries up to date.");
const showDemo = await hasDemoUsers(db);

const build = await loadServerBuild();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const app = createHttpApp(build, { trustProxy: trustProxySetting(process.env.TRUST_PROXY) });
const server = app.listen(port, host, () => {
  console.log(`Quarterdeck is serving ${databaseLabel()} on http://localhost:${port}`);
  if (showDemo) console.log(demoSignIns());
});

/*
 * Derived data is brought up to date by the commands and imports that change its inputs; these
 * jobs catch what changed outside them (an SQL edit), what falls due with time (a quarter's
 * baselines, the month in progress) and what is left behind (import previews nobody started).
 */
const jobs = startJobs([
  kpiSummariesJob(db),
  statusPositionsJob(db, today),
  baselinesJob(db, today),
  importExpiryJob(db),
  notificationsJob(db, today),
  forecastInputsJob(db),
  warningsJob(db, today),
]);

function shutdown() {
  jobs.stop();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
