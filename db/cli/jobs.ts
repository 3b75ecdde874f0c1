import { today } from "../../app/server/clock.server";
import { closeDb, databaseLabel, getDb } from "../../app/server/db.server";
import { runNotifications } from "../../app/features/notifications/index.server";
import { migrateToLatest } from "../migrate";

/**
 * `npm run jobs -- --once`: one run of the notifications job for cron (raise what fell due on
 * the business date, deliver the outbox), then exit. The server runs the same job every minute;
 * a lock row lets only one of them run it at a time, so running both is safe.
 */
const args = process.argv.slice(2);
if (!args.includes("--once")) {
  console.error("Usage: npm run jobs -- --once   (the server runs the jobs itself; this is for cron)");
  process.exit(2);
}
const db = getDb();
await migrateToLatest(db);
const day = today();
const run = await runNotifications(db, day);
console.log(
  run.ran
    ? `Notifications in ${databaseLabel()} on ${day}: raised ${run.raised}, sent ${run.sent}, ${run.failed} failed and queued again.`
    : `Another process is running the notifications job in ${databaseLabel()}; nothing done.`,
);
await closeDb();
