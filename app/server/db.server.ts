import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";

import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import Cursor from "pg-cursor";
import pg from "pg";

import { migrationProvider } from "../../db/migrations/index";
import { PostgresSchemaPlugin, isPostgres } from "../../db/postgres-schema";
import { PREPARE_LOCK, copierOf, deferringWrites, holdImportLock, isSyncPostgres, openSyncPostgres } from "./pg-sync.server";

export { copierOf, deferringWrites, holdImportLock, isSyncPostgres };
export type { CopyInto } from "./pg-sync.server";

export { isPostgres };

import type { Database } from "../../db/schema";

export type Db = Kysely<Database>;

export const DEFAULT_DATABASE_URL = "data/quarterdeck.db";

/** DATABASE_URL, or the embedded default. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * The SQLite file named by DATABASE_URL (a path, or `file:` URL). The parts that still work on
 * the SQLite file itself (the import's writer, the status positions, backups) ask for it, and say
 * so on PostgreSQL.
 */
export function databasePath(url = databaseUrl()): string {
  if (isPostgresUrl(url)) {
    throw new Error("DATABASE_URL names PostgreSQL, and this part of Quarterdeck still works on an SQLite file only (see README, PostgreSQL).");
  }
  return path.resolve(url.replace(/^file:(\/\/)?/, ""));
}

/** The database for messages: the SQLite file's path, or the PostgreSQL URL without its password. */
export function databaseLabel(url = databaseUrl()): string {
  if (!isPostgresUrl(url)) return databasePath(url);
  const shown = new URL(url);
  if (shown.password) shown.password = "***";
  return shown.toString();
}

/**
 * What pg hands back: bigint (int8: every integer column on PostgreSQL, `count(*)`) and numeric
 * (`sum()` of bigints) arrive as strings. Amounts are minor units far inside 2^53, so they are
 * read as numbers, and a value that would lose digits fails loudly instead.
 */
function exactNumber(text: string): number {
  const value = Number(text);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new RangeError(`${text} does not fit a JavaScript number exactly`);
  return value;
}
pg.types.setTypeParser(pg.types.builtins.INT8, exactNumber);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, exactNumber);

/** Opens the ledger database with the settings a ledger needs: WAL, synchronous=FULL, FKs on. */
export function openSqlite(file: string, { busyTimeoutMs = 5000 } = {}): SQLite.Database {
  // A PostgreSQL URL taken for a path would quietly make an empty SQLite file named after it.
  if (isPostgresUrl(file)) throw new Error("openSqlite was given a PostgreSQL URL: open it with createDb or openLedgerConnection");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  return sqlite;
}

/**
 * The connection the ledger's synchronous bulk writers work on (the import, the KPI summaries'
 * catch-up, the status positions): better-sqlite3 on the SQLite file DATABASE_URL (or `target`)
 * names, or on PostgreSQL a synchronous connection with the same API (pg-sync.server.ts). The
 * caller closes it. On PostgreSQL BEGIN IMMEDIATE waits `busyTimeoutMs` for another writer, as
 * SQLite's busy timeout does.
 */
export function openLedgerConnection(target = databaseUrl(), options?: { busyTimeoutMs?: number }): SQLite.Database {
  return isPostgresUrl(target) ? openSyncPostgres(target, options) : openSqlite(databasePath(target), options);
}

/**
 * Kept on globalThis: the server starts (db/cli/start.ts) with its own copy of this module and
 * hands the Kysely instance it made to the built app, which has another copy. A module-level map
 * would not know that instance there, and a customer change would then lose its KPI summaries.
 */
const registry = globalThis as unknown as { [key: symbol]: WeakMap<Db, SQLite.Database> | undefined };
const CONNECTIONS = Symbol.for("quarterdeck.sqliteConnections");
const connections = (registry[CONNECTIONS] ??= new WeakMap<Db, SQLite.Database>());

/**
 * Opens the database DATABASE_URL names (or `target`: a PostgreSQL URL, an SQLite path or
 * `file:` URL). PostgreSQL gets a pool of DATABASE_POOL_SIZE connections (default 10).
 */
export function createDb(target = databaseUrl(), options?: { busyTimeoutMs?: number }): Db {
  if (isPostgresUrl(target)) {
    const pool = new pg.Pool({ connectionString: target, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // An idle connection the server closes (a restart, an administrator's terminate) is reported
    // here; without a listener node-postgres throws it and the process dies. The pool drops that
    // connection and opens a new one on the next query, so a warning is all it needs.
    pool.on("error", (error) => console.warn(`PostgreSQL closed an idle connection: ${error.message}`));
    // Kysely's `.stream()` reads a large result in batches through a server-side cursor.
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  }
  const sqlite = openSqlite(databasePath(target), options);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  connections.set(db, sqlite);
  return db;
}

/**
 * The better-sqlite3 connection under a Kysely instance made by `createDb`: the only connection
 * Kysely's SQLite dialect uses, so statements run on it inside a Kysely transaction belong to
 * that transaction. For the synchronous maintainers (KPI summaries) that work on prepared
 * statements.
 */
export function sqliteConnectionOf(db: Db): SQLite.Database | null {
  return connections.get(db) ?? null;
}

/**
 * How long the app's connection waits for a write lock. better-sqlite3 waits synchronously, so
 * the whole server stands still meanwhile: while an import holds the lock for a minute, a
 * write must give up quickly (and reads never wait, thanks to WAL).
 */
const APP_BUSY_TIMEOUT_MS = 200;

/**
 * True for "the database is busy": another process (an import) holds the write lock. SQLite says
 * SQLITE_BUSY; PostgreSQL says lock_not_available (55P03).
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  return code === "SQLITE_BUSY" || code === "55P03";
}

// Kept on globalThis so dev rebuilds reuse one connection instead of leaking them.
const holder = globalThis as unknown as {
  __quarterdeckDb?: Db;
  __quarterdeckReplicaDb?: Db | null;
  __quarterdeckRequestDb?: AsyncLocalStorage<Db>;
  __quarterdeckReplicas?: WeakSet<Db>;
};

/**
 * The database a request works on: the read replica for a view that may lag a moment, the primary
 * otherwise (replica.server.ts decides, per request). On globalThis for the same reason as the
 * connections above: the server's copy of this module sets it, the built app's copy reads it.
 */
const requestDbs = (holder.__quarterdeckRequestDb ??= new AsyncLocalStorage<Db>());

/** Handles opened on DATABASE_REPLICA_URL: their generation is the replica's replay position. */
const replicas = (holder.__quarterdeckReplicas ??= new WeakSet<Db>());

/**
 * The database to read from here: within a request, the one chosen for it (a read replica for a
 * view whose reader has not just written); elsewhere (background jobs, imports, migrations, the
 * command-line tools) the primary. Code that writes while serving a view (the session touch) asks
 * for `getPrimaryDb()` instead.
 */
export function getDb(): Db {
  return requestDbs.getStore() ?? getPrimaryDb();
}

/** The primary database DATABASE_URL names: every write goes here. */
export function getPrimaryDb(): Db {
  holder.__quarterdeckDb ??= createDb(databaseUrl(), { busyTimeoutMs: APP_BUSY_TIMEOUT_MS });
  return holder.__quarterdeckDb;
}

/** Runs `work` (a request's loaders or action) with `getDb()` answering `db`. */
export function runWithDb<T>(db: Db, work: () => T): T {
  return requestDbs.run(db, work);
}

/**
 * DATABASE_REPLICA_URL: a PostgreSQL streaming replica (a hot standby) of the primary, or null
 * when unset. Refused when the primary is not PostgreSQL: an SQLite file has no replicas.
 */
export function replicaUrl(): string | null {
  const url = process.env.DATABASE_REPLICA_URL?.trim();
  if (!url) return null;
  if (!isPostgresUrl(databaseUrl())) {
    throw new Error(
      "DATABASE_REPLICA_URL is set but DATABASE_URL names an SQLite file: a read replica needs PostgreSQL as the primary " +
        "(README, PostgreSQL). Unset DATABASE_REPLICA_URL, or point DATABASE_URL at the PostgreSQL primary.",
    );
  }
  if (!isPostgresUrl(url)) {
    throw new Error("DATABASE_REPLICA_URL must be a postgres:// or postgresql:// URL naming a streaming replica of DATABASE_URL.");
  }
  return url;
}

/** The read replica's handle, or null without DATABASE_REPLICA_URL. */
export function getReplicaDb(): Db | null {
  if (holder.__quarterdeckReplicaDb === undefined) {
    const url = replicaUrl();
    const replica = url === null ? null : createDb(url);
    if (replica) replicas.add(replica);
    holder.__quarterdeckReplicaDb = replica;
  }
  return holder.__quarterdeckReplicaDb;
}

/** True for a handle opened on the read replica. */
export function isReplica(db: Db): boolean {
  return replicas.has(db);
}

/** True when the replica has replayed the primary's WAL up to `position` (a `pg_lsn`). */
export async function replayedPast(replica: Db, position: string): Promise<boolean> {
  const { rows } = await sql<{ replayed: boolean | null }>`
    SELECT pg_last_wal_replay_lsn() >= ${position}::pg_lsn AS replayed`.execute(replica);
  return rows[0]?.replayed === true;
}

/**
 * How far behind the primary the replica's replay is, in seconds: 0 when it has replayed all it
 * received (an idle primary sends nothing, and the last replayed commit's age says nothing then),
 * else the age of the last commit it replayed. Null when it has replayed nothing yet.
 */
export async function replicaLagSeconds(replica: Db): Promise<number | null> {
  const { rows } = await sql<{ lag: number | string | null }>`
    SELECT CASE
      WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
      ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
    END AS lag`.execute(replica);
  const lag = rows[0]?.lag;
  return lag === null || lag === undefined ? null : Math.max(0, Number(lag));
}

/**
 * The primary's WAL insert position: every commit made so far is behind it. The insert position
 * rather than `pg_current_wal_lsn()` (what has been written out): with asynchronous commit a
 * commit record may still sit in the WAL buffers, ahead of the write position.
 */
export async function primaryWalPosition(): Promise<string> {
  const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`.execute(getPrimaryDb());
  return rows[0]?.lsn ?? "0/0";
}

/** How often a process waiting for another one's preparation of an SQLite database looks again. */
const PREPARE_LOCK_POLL_MS = 100;

/**
 * Runs `work` (migrations and the first start's seed) while no other process or machine runs its
 * own: a second app process started at the same moment waits here, then finds the database
 * migrated and seeded. On PostgreSQL a session-level advisory lock on a connection of its own
 * (PREPARE_LOCK; a killed process's lock ends with its connection). On SQLite an exclusive lock on
 * a small lock file beside the database (`<file>.prepare-lock`, itself an SQLite file): the
 * database's own write lock cannot serve, as the seed writes through several connections. The
 * operating system lets go of it when a process dies. Waits as long as the other takes;
 * `onWait` is told once when it has to.
 */
export async function holdingPrepareLock<T>(db: Db, work: () => Promise<T>, onWait?: () => void): Promise<T> {
  if (isPostgres(db)) {
    return db.connection().execute(async (connection) => {
      const taken = await sql<{ taken: boolean }>`SELECT pg_try_advisory_lock(${PREPARE_LOCK}) AS taken`.execute(connection);
      if (taken.rows[0]?.taken !== true) {
        onWait?.();
        await sql`SELECT pg_advisory_lock(${PREPARE_LOCK})`.execute(connection);
      }
      try {
        return await work();
      } finally {
        await sql`SELECT pg_advisory_unlock(${PREPARE_LOCK})`.execute(connection);
      }
    });
  }
  const file = sqliteConnectionOf(db)?.name ?? databasePath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lock = new SQLite(`${file}.prepare-lock`);
  try {
    // Busy at once rather than blocking the thread: the wait is a timer, so this process's other
    // work (a second preparation in the same process, in tests) goes on meanwhile.
    lock.pragma("busy_timeout = 0");
    for (let told = false; ; ) {
      try {
        lock.exec("BEGIN EXCLUSIVE");
        break;
      } catch (error) {
        if (!isDatabaseBusy(error)) throw error;
        if (!told) onWait?.();
        told = true;
        await new Promise((resolve) => setTimeout(resolve, PREPARE_LOCK_POLL_MS));
      }
    }
    try {
      return await work();
    } finally {
      lock.exec("COMMIT");
    }
  } finally {
    lock.close();
  }
}

/** For tests and CLI tools: close and forget the shared connections. */
export async function closeDb(): Promise<void> {
  const db = holder.__quarterdeckDb;
  const replica = holder.__quarterdeckReplicaDb;
  holder.__quarterdeckDb = undefined;
  holder.__quarterdeckReplicaDb = undefined;
  await db?.destroy();
  await replica?.destroy();
}

/** True when the database answers a trivial query (the readiness check). */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** The names of the migrations not yet run on this database. */
export async function pendingMigrationNames(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: isPostgres(db) ? db.withPlugin(new PostgresSchemaPlugin()) : db, provider: migrationProvider });
  const migrations = await migrator.getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Import runs still "running" that started before `startedBefore` (an ISO instant): the readiness
 * check's one look at the import tables, kept here beside the other infrastructure checks.
 */
export async function runningImportsStartedBefore(db: Db, startedBefore: string): Promise<number[]> {
  const rows = await db.selectFrom("import_runs").select("id").where("status", "=", "running").where("started_at", "<", startedBefore).execute();
  return rows.map((row) => row.id);
}

/**
 * A word that changes whenever the database may have changed. On SQLite: `PRAGMA data_version`
 * moves when another connection (an import's process, a CLI, a second connection of this process)
 * commits, `total_changes()` when this connection writes (it counts every insert, update and
 * delete, even one later rolled back, so it never stands still across a change). On PostgreSQL:
 * the current snapshot, which every writing transaction of every process moves when it starts
 * writing and when it ends (a word that changes without a change only costs a recomputation). Read through
 * Kysely, so it is never read in the middle of one of this connection's transactions. On a read
 * replica: the position it has replayed, which moves as the primary's commits reach it. Figures
 * computed from the database may be kept under it: equal words mean nothing was written in between.
 */
export async function databaseGeneration(db: Db): Promise<string> {
  if (isPostgres(db) && isReplica(db)) {
    // A standby has no insert position of its own; what it shows moves with what it has replayed.
    // Kept apart from the primary's words: equal positions on the two need not mean equal contents.
    // A replica promoted to primary (or a URL naming a server that replays nothing) stops replaying
    // and takes writes of its own: then its insert position is the word.
    const { rows } = await sql<{ lsn: string }>`
      SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_insert_lsn() END)::text AS lsn`.execute(db);
    return `pg-replica:${rows[0]?.lsn ?? "?"}`;
  }
  if (isPostgres(db)) {
    // The snapshot ("xmin:xmax:in-progress ids") moves when a writing transaction gets its id and
    // again when it ends; a read gets no id and leaves it alone. The log position would not do:
    // a plain SELECT that prunes dead rows from a page writes to the log.
    const { rows } = await sql<{ snapshot: string }>`SELECT pg_current_snapshot()::text AS snapshot`.execute(db);
    return `pg:${rows[0]?.snapshot ?? "?"}`;
  }
  // One statement for both: every cached view asks this at least once per request.
  const { rows } = await sql<{ data_version: number; changes: number }>`
    SELECT (SELECT data_version FROM pragma_data_version) AS data_version, total_changes() AS changes`.execute(db);
  return `${rows[0]?.data_version ?? "?"}:${rows[0]?.changes ?? "?"}`;
}

/**
 * Rows for one table, inserted `batch` at a time with one multi-row INSERT (the rest row by
 * row at `flush`). Running one statement for 32 rows costs about half as much as 32 runs of a
 * one-row statement (better-sqlite3: a run's fixed cost is several times a bound value's). The
 * values are queued flat, one array reused; rows go in in the order they were added. Plain
 * multi-row VALUES: the same on SQLite and PostgreSQL.
 */
/** SQLite's most bound values in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
export const SQLITE_MAX_BOUND_VALUES = 32_766;

export class BatchedInsert {
  private readonly pending: unknown[] = [];
  private readonly table: string;
  private readonly columnCount: number;
  private readonly batchValues: number;
  private readonly one: SQLite.Statement;
  private readonly many: SQLite.Statement;

  constructor(sqlite: SQLite.Database, table: string, columns: readonly string[], batch = 32) {
    if (columns.length === 0) throw new Error(`BatchedInsert into ${table}: no columns`);
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`BatchedInsert into ${table}: a batch of ${batch} rows`);
    if (batch * columns.length > SQLITE_MAX_BOUND_VALUES) {
      throw new Error(`BatchedInsert into ${table}: ${batch} rows × ${columns.length} columns bind more than SQLite's ${SQLITE_MAX_BOUND_VALUES} values`);
    }
    this.table = table;
    this.columnCount = columns.length;
    this.batchValues = batch * columns.length;
    const row = `(${columns.map(() => "?").join(", ")})`;
    const insert = `INSERT INTO ${table} (${columns.join(", ")}) VALUES `;
    this.one = sqlite.prepare(insert + row);
    this.many = sqlite.prepare(insert + Array(batch).fill(row).join(", "));
  }

  /** One row: exactly as many values as columns, in their order. */
  add(...values: unknown[]): void {
    // a row short or long would shift every later row's values into the wrong columns
    if (values.length !== this.columnCount) throw new Error(`BatchedInsert into ${this.table}: ${values.length} values for ${this.columnCount} columns`);
    const pending = this.pending;
    for (const value of values) pending.push(value);
    if (pending.length === this.batchValues) {
      this.many.run(pending);
      pending.length = 0;
    }
  }

  /** Inserts the rows still queued; call before anything reads the table. */
  flush(): void {
    const pending = this.pending;
    for (let i = 0; i < pending.length; i += this.columnCount) this.one.run(pending.slice(i, i + this.columnCount));
    pending.length = 0;
  }
}
