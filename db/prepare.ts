import { type Db, holdingPrepareLock } from "../app/server/db.server";
import { migrateToLatest } from "./migrate";
import { isEmpty } from "./seed";

export interface Preparation {
  /** the migrations this call ran */
  migrated: string[];
  /** true when this call found no users and seeded */
  seeded: boolean;
}

/**
 * What `npm start` (and `npm run db:seed`) do first: migrate, then `seed` a database without users
 * (the demo, seedDemo). Held under the preparation lock (holdingPrepareLock), so of several app
 * processes or machines started at the same moment on one new database, one migrates and seeds
 * while the others wait, then find the users there and seed nothing.
 */
export async function prepareDatabase(
  db: Db,
  options: { seed: ((db: Db) => Promise<void>) | null; onWait?: () => void },
): Promise<Preparation> {
  return holdingPrepareLock(
    db,
    async () => {
      const migrated = await migrateToLatest(db);
      if (!options.seed || !(await isEmpty(db))) return { migrated, seeded: false };
      await options.seed(db);
      return { migrated, seeded: true };
    },
    options.onWait,
  );
}
