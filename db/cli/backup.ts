import { parseArgs } from "node:util";

import { BackupError, backupDatabase, restoreDatabase } from "../../app/server/db-backup.server";
import { databasePath, databaseUrl, isPostgresUrl } from "../../app/server/db.server";
import { backupPostgres, restorePostgres } from "../../app/server/pg-backup.server";

/**
 * `npm run backup -- --to FILE`: a consistent copy of the database, safe while the app runs.
 * `npm run restore -- --from FILE`: with the app stopped, put a backup in place (the old database
 * is kept beside it). Both check the copy and print its tables' row counts. An SQLite file is
 * copied with SQLite's backup API; a PostgreSQL database with pg_dump and pg_restore.
 */
const restore = process.argv[2] === "restore";
const { values } = parseArgs({
  args: process.argv.slice(restore ? 3 : 2),
  options: { to: { type: "string" }, from: { type: "string" } },
  strict: true,
});

function summary(tables: Record<string, number>): string {
  const rows = Object.values(tables).reduce((sum, count) => sum + count, 0);
  return `${Object.keys(tables).length} tables, ${rows.toLocaleString("en")} rows`;
}

try {
  if (restore) {
    if (!values.from) throw new BackupError("Say which backup to restore: npm run restore -- --from FILE");
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const target = values.to ?? databaseUrl();
    const report = isPostgresUrl(target)
      ? await restorePostgres(values.from, target, stamp)
      : await restoreDatabase(values.from, databasePath(target), stamp);
    console.log(`Restored ${report.file} from ${values.from} (${summary(report.tables)}).`);
    if (report.previous) console.log(`The database it replaced is kept as ${report.previous}.`);
  } else {
    if (!values.to) throw new BackupError("Say where the backup goes: npm run backup -- --to FILE");
    const source = values.from ?? databaseUrl();
    const report = isPostgresUrl(source) ? await backupPostgres(source, values.to) : await backupDatabase(databasePath(source), values.to);
    console.log(`Backed up to ${report.file}: ${(report.bytes / 1024 / 1024).toFixed(1)} MB, ${summary(report.tables)}.`);
  }
} catch (error) {
  if (error instanceof BackupError || (error instanceof Error && "code" in error && error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
