import { closeDb, databaseLabel, getDb } from "../../app/server/db.server";
import { migrateToLatest } from "../migrate";
import { ensureKpiSummaries } from "../summaries";

const applied = await migrateToLatest(getDb());
console.log(applied.length ? `Applied ${applied.join(", ")} to ${databaseLabel()}` : `${databaseLabel()} is up to date.`);
if (await ensureKpiSummaries(getDb())) console.log("Brought the KPI summaries up to date.");
await closeDb();
