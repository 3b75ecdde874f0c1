import fs from "node:fs";

import { databasePath, databaseUrl, isPostgresUrl } from "../../app/server/db.server";

/**
 * The message for a DATABASE_URL naming an SQLite file that is not there (opening it would make
 * an empty one), or null. A PostgreSQL server has no file: one that is not there says so on connecting.
 */
export function missingDatabase(url = databaseUrl()): string | null {
  if (isPostgresUrl(url)) return null;
  const file = databasePath(url);
  return fs.existsSync(file) ? null : `No database at ${file}: set DATABASE_URL, or create it with npm run db:migrate and npm run import.`;
}
