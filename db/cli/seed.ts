import { closeDb, getDb } from "../../app/server/db.server";
import { migrateToLatest } from "../migrate";
import { demoSignIns, isEmpty, seedDemo } from "../seed";

const db = getDb();
await migrateToLatest(db);
if (await isEmpty(db)) {
  await seedDemo(db);
  console.log("Demo data created.");
} else {
  console.log("The database already has users; demo data is only added to an empty database.");
}
console.log(demoSignIns());
await closeDb();
