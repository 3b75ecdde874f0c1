import { today } from "../../app/server/clock.server";
import { closeDb, databaseLabel, getDb } from "../../app/server/db.server";
import { updateBaselines } from "../../app/features/plans/baselines.server";

/** `npm run plans:baselines`: stores the plans' KPI baselines that are due (for cron, or after a quarter begins). */
const day = today();
const { plans } = await updateBaselines(getDb(), day);
console.log(plans > 0 ? `Took the due KPI baselines of ${plans} plan(s) in ${databaseLabel()} as of ${day}.` : `No KPI baselines were due in ${databaseLabel()} on ${day}.`);
await closeDb();
