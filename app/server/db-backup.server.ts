import fs from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";

/**
 * Backups of the SQLite database with SQLite's online backup API: a consistent copy taken page by
 * page while the app keeps reading and writing (a write during the copy makes SQLite start the
 * copy again from the changed database, so the result is one moment's state, never a mix). The
 * copy is checked (`integrity_check`) and its tables counted before it is called a backup.
 */

export interface BackupReport {
  file: string;
  bytes: number;
  tables: Record<string, number>;
}

export class BackupError extends Error {}

/** Rows per table, every table of the database (SQLite's own tables aside), by name. */
export function tableCounts(sqlite: SQLite.Database): Record<string, number> {
  // better-sqlite3 types rows as unknown; the SELECT above names exactly these columns
  const names = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const counts: Record<string, number> = {};
  for (const name of names) {
    counts[name] = Number(sqlite.prepare(`SELECT COUNT(*) FROM "${name.replaceAll('"', '""')}"`).pluck().get());
  }
  return counts;
}

function checkIntegrity(file: string): Record<string, number> {
  const copy = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const result = copy.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new BackupError(`${file} is damaged: ${String(result)}`);
    return tableCounts(copy);
  } finally {
    copy.close();
  }
}

/**
 * Copies the database at `source` to `target` (a new file: an existing one is never overwritten)
 * while other connections may be using it.
 */
export async function backupDatabase(source: string, target: string): Promise<BackupReport> {
  if (!fs.existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
  if (fs.existsSync(target)) throw new BackupError(`${target} exists already; choose a new file name.`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const sqlite = new SQLite(source, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    await sqlite.backup(partial);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    sqlite.close();
  }
  const tables = checkIntegrity(partial);
  fs.renameSync(partial, target);
  return { file: path.resolve(target), bytes: fs.statSync(target).size, tables };
}

/**
 * Puts a backup in place of the database at `target`. Run it with the app stopped: the file is
 * replaced whole (after checking the backup), and the old database is kept beside it as
 * `<name>.before-restore-<stamp>` so a wrong restore can be undone.
 */
export async function restoreDatabase(backup: string, target: string, stamp: string): Promise<BackupReport & { previous: string | null }> {
  if (!fs.existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  const tables = checkIntegrity(backup);
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    previous = `${target}.before-restore-${stamp}`;
    try {
      const old = new SQLite(target, { fileMustExist: true });
      try {
        await old.backup(previous);
      } finally {
        old.close();
      }
    } catch {
      // Not a readable database (the reason for the restore, perhaps): keep its bytes as they are.
      fs.rmSync(previous, { force: true });
      fs.copyFileSync(target, previous);
    }
  }
  const partial = `${target}.partial`;
  fs.copyFileSync(backup, partial);
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(partial, target);
  return { file: path.resolve(target), bytes: fs.statSync(target).size, tables, previous };
}
