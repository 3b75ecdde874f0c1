import { closeDb, getDb } from "../../app/server/db.server";
import { prepareDatabase } from "../prepare";
import { demoSignIns, seedDemo } from "../seed";

const db = getDb();
if ((await prepareDatabase(db, { seed: seedDemo, onWait: () => console.log("Waiting for another process that is preparing the database...") })).seeded) {
  console.log("Demo data created.");
} else {
  console.log("The database already has users; demo data is only added to an empty database.");
}
console.log(demoSignIns());
await closeDb();
