import { closeDb, databasePath, getDb } from "../../app/db.server";
import { migrateToLatest } from "../migrate";

const applied = await migrateToLatest(getDb());
console.log(applied.length ? `Applied ${applied.join(", ")} to ${databasePath()}` : `${databasePath()} is up to date.`);
await closeDb();
