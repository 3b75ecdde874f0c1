import { today } from "../../app/server/clock.server";
import { databasePath, getDb } from "../../app/server/db.server";
import { createHttpApp, loadServerBuild } from "../../app/server/http.server";
import { trustProxySetting } from "../../app/server/env.server";
import { startKpiSummaryKeeper } from "../../app/features/kpi/summary-keeper.server";
import { expireStagedImports } from "../../app/features/import/web-import.server";
import { startBaselineJob, updateBaselines } from "../../app/features/plans/baselines.server";
import { startStatusKeeper } from "../../app/features/status-table/status-keeper.server";
import { migrateToLatest } from "../migrate";
import { demoSignIns, hasDemoUsers, isEmpty, seedDemo } from "../seed";
import { ensureKpiSummaries } from "../summaries";

/** `npm start`: migrate, seed an empty database with demo data, serve. */
process.env.NODE_ENV ??= "production";
const db = getDb();
await migrateToLatest(db);
if (await isEmpty(db)) await seedDemo(db);
if (await ensureKpiSummaries(db)) console.log("Brought the KPI summaries up to date.");
// Plans' KPI baselines that fell due while the server was down (a quarter began), then hourly.
await updateBaselines(db, today());
const stopBaselineJob = startBaselineJob(db, today);
const showDemo = await hasDemoUsers(db);

const build = await loadServerBuild();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const app = createHttpApp(build, { trustProxy: trustProxySetting(process.env.TRUST_PROXY) });
// Customers changed outside the app (an SQL edit) are moved in the summaries in the background.
const keeper = startKpiSummaryKeeper(db);
// The status table's positions of customers changed outside the import, and the month in progress once a day.
const statusKeeper = startStatusKeeper(db, today);
void statusKeeper.check();
const server = app.listen(port, host, () => {
  console.log(`Quarterdeck is serving ${databasePath()} on http://localhost:${port}`);
  if (showDemo) console.log(demoSignIns());
});

// Import previews nobody started expire after a day; checked hourly here (or `npm run import:expire`).
const expireImports = () =>
  expireStagedImports(getDb(), new Date()).catch((error: unknown) => console.error("Expiring import previews failed:", error));
void expireImports();
const expiry = setInterval(expireImports, 60 * 60 * 1000);
expiry.unref();

function shutdown() {
  keeper.stop();
  statusKeeper.stop();
  clearInterval(expiry);
  stopBaselineJob();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
