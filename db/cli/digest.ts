import { isValidIsoDate } from "../../app/kernel/dates";
import { today } from "../../app/server/clock.server";
import { closeDb, databaseLabel, getDb } from "../../app/server/db.server";
import { sendDigests } from "../../app/features/notifications/index.server";
import { migrateToLatest } from "../migrate";

/**
 * `npm run digest -- --date D [--dry-run]`: raises the digests due on D (staff and head on a
 * Monday, leadership on the 1st) and prints each: who, which, and its text. A digest already
 * raised for D is not sent again. With --dry-run nothing is written. The e-mails leave with the
 * next run of the jobs (`npm run jobs -- --once`, or the server's job runner).
 */
const args = process.argv.slice(2);
const dateAt = args.indexOf("--date");
const date = dateAt >= 0 ? args[dateAt + 1] : today();
const dryRun = args.includes("--dry-run");
if (!date || !isValidIsoDate(date)) {
  console.error("Usage: npm run digest -- --date YYYY-MM-DD [--dry-run]");
  process.exit(2);
}
const db = getDb();
await migrateToLatest(db);
const results = await sendDigests(db, date, { dryRun });
if (results.length === 0) console.log(`No digest is due on ${date} in ${databaseLabel()}.`);
for (const digest of results) {
  const state = dryRun ? "would send" : digest.sent ? "sent" : "already sent";
  console.log(`--- ${state}: ${digest.kind} digest to ${digest.email}: ${digest.title}\n${digest.body}\n`);
}
if (!dryRun && results.length > 0) console.log(`${results.filter((digest) => digest.sent).length} digest(s) queued; they leave with the next jobs run.`);
await closeDb();
