import fs from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";

import type { Database } from "../db/schema";

export type Db = Kysely<Database>;

export const DEFAULT_DATABASE_URL = "data/quarterdeck.db";

/** The SQLite file named by DATABASE_URL (a path, or `file:` URL). */
export function databasePath(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): string {
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL names PostgreSQL; this build ships the SQLite dialect only (see README, Decisions).");
  }
  return path.resolve(url.replace(/^file:(\/\/)?/, ""));
}

/** Opens the ledger database with the settings a ledger needs: WAL, synchronous=FULL, FKs on. */
export function openSqlite(file: string): SQLite.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

export function createDb(file = databasePath()): Db {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(file) }) });
}

// Kept on globalThis so dev rebuilds reuse one connection instead of leaking them.
const holder = globalThis as unknown as { __quarterdeckDb?: Db };

export function getDb(): Db {
  holder.__quarterdeckDb ??= createDb();
  return holder.__quarterdeckDb;
}

/** For tests and CLI tools: close and forget the shared connection. */
export async function closeDb(): Promise<void> {
  const db = holder.__quarterdeckDb;
  holder.__quarterdeckDb = undefined;
  await db?.destroy();
}
