import { today } from "../../app/clock.server";
import { databasePath, getDb } from "../../app/db.server";
import { createHttpApp, loadServerBuild } from "../../app/http.server";
import { startBaselineJob, updateBaselines } from "../../app/plan-baselines.server";
import { migrateToLatest } from "../migrate";
import { demoSignIns, hasDemoUsers, isEmpty, seedDemo } from "../seed";
import { ensureKpiSummaries } from "../summaries";

/** `npm start`: migrate, seed an empty database with demo data, serve. */
process.env.NODE_ENV ??= "production";
const db = getDb();
await migrateToLatest(db);
if (await isEmpty(db)) await seedDemo(db);
if (await ensureKpiSummaries(db)) console.log("Rebuilt the KPI summaries.");
// Plans' KPI baselines that fell due while the server was down (a quarter began), then hourly.
await updateBaselines(db, today());
const stopBaselineJob = startBaselineJob(db, today);
const showDemo = await hasDemoUsers(db);

const build = await loadServerBuild();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const app = createHttpApp(build, { trustProxy: process.env.TRUST_PROXY ?? false });
const server = app.listen(port, host, () => {
  console.log(`Quarterdeck is serving ${databasePath()} on http://localhost:${port}`);
  if (showDemo) console.log(demoSignIns());
});

function shutdown() {
  stopBaselineJob();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
