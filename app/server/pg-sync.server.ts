import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";

import type SQLite from "better-sqlite3";

/**
 * A synchronous PostgreSQL connection with the part of better-sqlite3's API the ledger's bulk
 * writers use (prepare → run/get/all/iterate, raw, pluck; exec; transaction; pragma). The import's
 * writer, the KPI summaries maintainer and the status positions writer are synchronous code on
 * prepared statements, written for SQLite's in-process driver; this lets the same code, and so the
 * same results, run on PostgreSQL. One pg client lives in a worker thread; each statement is
 * handed to it and this thread waits (Atomics.wait) for the answer, as better-sqlite3 waits for
 * SQLite. It blocks its thread while PostgreSQL works: use it where better-sqlite3 was used, in the
 * import's process and the background writers, not for a request's reads.
 *
 * SQLite's words are translated once per statement: `?` and `@name` parameters become `$n`;
 * `BEGIN IMMEDIATE` (SQLite's write lock: one writer at a time) becomes BEGIN plus a transaction-
 * scoped advisory lock that every such writer takes, waiting at most the busy timeout (then
 * lock_not_available, 55P03, which isDatabaseBusy knows); an INSERT into a table with an `id`
 * column returns it (lastInsertRowid); `json_each(?)` of an id list becomes json_array_elements_text.
 */

/** The advisory lock key of "the ledger's writer" (SQLite's write lock, on PostgreSQL). */
export const LEDGER_WRITER_LOCK = 0x5144_4c47; // "QDLG"
/** The advisory lock key of "the running import": held by an import's session from its claim to its end. */
export const IMPORT_LOCK = 0x5144_494d; // "QDIM"
/**
 * The advisory lock key of "preparing the database": held by an app process from its migrations
 * to the first start's demo seed, so a second process started at the same moment waits and then
 * finds the database migrated and seeded (db/prepare.ts).
 */
export const PREPARE_LOCK = 0x5144_5052; // "QDPR"

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const pg = require("pg");
const { from: copyFrom } = require("pg-copy-streams");
const { Readable } = require("node:stream");
const { pipeline } = require("node:stream/promises");
function exactNumber(text) {
  const value = Number(text);
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new RangeError(text + " does not fit a JavaScript number exactly");
  return value;
}
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return exactNumber;
    return pg.types.getTypeParser(oid, format);
  },
};
const flag = new Int32Array(workerData.shared);
const port = workerData.port;
// Pipelined: the writes the main thread does not wait for (deferred) are sent back to back, each
// answered in turn, so their round trips overlap. COPY needs the connection to itself (below).
const client = new pg.Client({ connectionString: workerData.url, types, pipeline: true });
// An error on an idle connection (the server went away) is answered to the next statement.
client.on("error", () => {});
const ready = client.connect();
function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
// The deferred writes not yet answered, and the first of them that failed: told in answer to the
// next request the main thread waits for (pg answers in order, so they are all settled by then).
const outstanding = new Set();
let deferredError = null;
parentPort.on("message", async (request) => {
  if (request.deferred) {
    const settled = client.query({ text: request.text, values: request.values }).then(
      () => {},
      (error) => {
        deferredError ??= error;
      },
    );
    outstanding.add(settled);
    void settled.then(() => outstanding.delete(settled));
    return;
  }
  try {
    await ready;
    if (request.end) {
      await client.end();
      return reply({ rows: [], rowCount: 0 });
    }
    if (request.copy) {
      // COPY … FROM STDIN: the encoded pieces are streamed to the server as they are. pg does not
      // pipeline a COPY: the deferred writes are answered first, and the client is not pipelined meanwhile.
      await Promise.all([...outstanding]);
      if (deferredError) throw deferredError;
      client.pipeline = false;
      try {
        const stream = client.query(copyFrom(request.copy));
        await pipeline(Readable.from(request.chunks), stream);
        return reply({ rows: [], rowCount: stream.rowCount ?? 0 });
      } finally {
        client.pipeline = true;
      }
    }
    const result = await client.query({ text: request.text, values: request.values, rowMode: request.rowMode });
    // A deferred write failed before this (whose own error, if any, would only follow from it).
    if (deferredError) throw deferredError;
    // A multi-statement text answers a list of results: the last one counts.
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    reply({ rows: last ? last.rows : [], rowCount: last ? last.rowCount ?? 0 : 0 });
  } catch (caught) {
    const error = deferredError ?? caught;
    deferredError = null;
    reply({ error: { message: error.message, code: error.code, detail: error.detail } });
  }
});
`;

interface Reply {
  rows: unknown[];
  rowCount: number;
  error?: { message: string; code?: string; detail?: string };
}

class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail: string | undefined,
  ) {
    super(message);
    this.name = "PostgresError";
  }
}

/** SQLite's statement text in PostgreSQL's words: `$n` parameters, and the names of `@name` ones in order. */
export function translateStatement(source: string): { text: string; names: string[] | null; count: number } {
  let text = source
    .replace(/^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\b/i, "BEGIN")
    .replace(/SELECT value FROM json_each\(\?\)/g, "SELECT value::bigint FROM json_array_elements_text(?::json) AS ids (value)");
  let out = "";
  let count = 0;
  const named = new Map<string, number>();
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    // i < text.length
    const char = text[i]!;
    if (quote) {
      out += char;
      if (char === quote) quote = null;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      out += char;
      continue;
    }
    if (char === "?") {
      out += `$${++count}`;
      continue;
    }
    if (char === "@" && /[A-Za-z_]/.test(text[i + 1] ?? "") && !/\w/.test(text[i - 1] ?? "")) {
      let end = i + 1;
      // end < text.length
      while (end < text.length && /\w/.test(text[end]!)) end++;
      const name = text.slice(i + 1, end);
      let index = named.get(name);
      if (index === undefined) named.set(name, (index = named.size + 1));
      out += `$${index}`;
      i = end - 1;
      continue;
    }
    out += char;
  }
  text = out;
  return { text, names: named.size > 0 ? [...named.keys()] : null, count };
}

type Value = string | number | null | bigint | Buffer;

function bindings(names: string[] | null, params: unknown[]): Value[] {
  if (names) {
    // better-sqlite3 takes named parameters as one object
    const values = (params[0] ?? {}) as Record<string, Value>;
    return names.map((name) => values[name] ?? null);
  }
  // better-sqlite3 flattens arrays of positional parameters
  return (params.flat() as Value[]).map((value) => (value === undefined ? null : value));
}

class SyncStatement {
  private rawRows = false;
  private plucked = false;
  private readonly text: string;
  private readonly names: string[] | null;
  /** An INSERT into a table with an id column returns the ids (lastInsertRowid). */
  private readonly returnsId: boolean;
  /** A write whose answer nobody needs (no ids back): may be deferred (SyncPostgres.deferWrites). */
  private readonly blindWrite: boolean;

  constructor(
    private readonly connection: SyncPostgres,
    source: string,
  ) {
    const translated = translateStatement(source);
    this.names = translated.names;
    const insert = /^\s*INSERT\s+INTO\s+"?(\w+)"?/i.exec(translated.text);
    // the pattern's one group always matches
    this.returnsId = insert !== null && connection.hasIdColumn(insert[1]!) && !/\bRETURNING\b/i.test(translated.text);
    this.text = this.returnsId ? `${translated.text} RETURNING id` : translated.text;
    this.blindWrite = !this.returnsId && /^\s*(INSERT|UPDATE|DELETE)\b/i.test(this.text) && !/\bRETURNING\b/i.test(this.text);
  }

  raw(on = true): this {
    this.rawRows = on;
    return this;
  }

  pluck(on = true): this {
    this.plucked = on;
    return this;
  }

  run(...params: unknown[]): { changes: number; lastInsertRowid: number } {
    if (this.connection.deferring && this.blindWrite) {
      this.connection.defer(this.text, bindings(this.names, params));
      return { changes: 0, lastInsertRowid: 0 };
    }
    const result = this.connection.query(this.text, bindings(this.names, params));
    // the RETURNING id rows this statement asked for
    const last = this.returnsId ? (result.rows[result.rows.length - 1] as { id: number } | undefined) : undefined;
    return { changes: result.rowCount, lastInsertRowid: last?.id ?? 0 };
  }

  all(...params: unknown[]): unknown[] {
    const arrays = this.rawRows || this.plucked;
    const { rows } = this.connection.query(this.text, bindings(this.names, params), arrays ? "array" : undefined);
    // array rows when asked for raw or plucked rows
    return this.plucked ? (rows as unknown[][]).map((row) => row[0]) : rows;
  }

  get(...params: unknown[]): unknown {
    return this.all(...params)[0];
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }
}

export class SyncPostgres {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private readonly idTables: Set<string>;
  private depth = 0;
  private closed = false;
  /** Inside deferWrites: blind writes are sent without waiting. */
  deferring = 0;
  inTransaction = false;
  /** How long BEGIN IMMEDIATE waits for another writer (ms). */
  private readonly busyTimeoutMs: number;

  constructor(url: string, { busyTimeoutMs = 5000 } = {}) {
    this.busyTimeoutMs = busyTimeoutMs;
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { url, shared, port: channel.port2 }, transferList: [channel.port2] });
    this.worker.unref();
    // every table with an id column: their INSERTs return the new id
    const tables = this.query("SELECT table_name FROM information_schema.columns WHERE column_name = 'id' AND table_schema = current_schema()", [], "array");
    // array rows of the one column asked for
    this.idTables = new Set((tables.rows as string[][]).map((row) => row[0]!));
  }

  hasIdColumn(table: string): boolean {
    return this.idTables.has(table);
  }

  /** Runs one statement on the worker's connection and waits for its answer. */
  query(text: string, values: Value[], rowMode?: "array"): { rows: unknown[]; rowCount: number } {
    return this.request({ text, values, rowMode }, text);
  }

  /**
   * `COPY table (columns) FROM STDIN` with the given COPY text (pg-copy.ts encodes rows), in one
   * piece or several, streamed by the worker's client; answers the rows copied. The text crosses
   * to the worker as strings (structured clone), far cheaper than a statement per row.
   */
  copyFrom(sql: string, text: string | readonly string[]): number {
    const chunks = typeof text === "string" ? [text] : [...text];
    return this.request({ copy: sql, chunks }, sql).rowCount;
  }

  /**
   * Runs `work` with its blind writes (INSERT, UPDATE, DELETE asking nothing back) sent to the
   * server without waiting for their answers: they are pipelined, so thousands of small writes
   * cost the server's work rather than a round trip each. Their `run()` answers 0 changes, so
   * use it only around code that reads no write's count. Any statement that is waited for comes
   * after them in the connection's order; the first deferred write that failed is thrown by it,
   * or at the end of `work` at the latest.
   */
  deferWrites<T>(work: () => T): T {
    this.deferring += 1;
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.deferring -= 1;
      // Let every deferred write be answered; work's own error is the one to tell.
      if (this.deferring === 0) {
        try {
          this.query("SELECT 1", []);
        } catch {
          // the transaction is failing anyway
        }
      }
      throw error;
    }
    this.deferring -= 1;
    // Every deferred write answered: the first that failed is thrown here.
    if (this.deferring === 0) this.query("SELECT 1", []);
    return result;
  }

  defer(text: string, values: Value[]): void {
    if (this.closed) throw new Error("The PostgreSQL connection is closed");
    this.worker.postMessage({ deferred: true, text, values });
  }

  private request(message: object, text: string): { rows: unknown[]; rowCount: number } {
    if (this.closed) throw new Error("The PostgreSQL connection is closed");
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage(message);
    for (;;) {
      Atomics.wait(this.flag, 0, 0, 60_000);
      const received = receiveMessageOnPort(this.port);
      if (received) {
        // the worker answers every request with one Reply
        const reply = received.message as Reply;
        if (reply.error) throw new PostgresError(reply.error.message, reply.error.code, reply.error.detail);
        this.track(text);
        return reply;
      }
    }
  }

  private track(text: string): void {
    if (/^\s*BEGIN\b/i.test(text)) this.inTransaction = true;
    else if (/^\s*(COMMIT|ROLLBACK|END)\s*;?\s*$/i.test(text)) this.inTransaction = false;
  }

  prepare(source: string): SyncStatement {
    return new SyncStatement(this, source);
  }

  /** A statement without parameters; BEGIN IMMEDIATE also takes the writer's lock. */
  exec(source: string): this {
    const immediate = /^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE)\b/i.test(source);
    this.query(translateStatement(source).text, []);
    if (immediate) this.lockWriter();
    return this;
  }

  /** SQLite's write lock: one writer at a time, waiting at most the busy timeout. */
  private lockWriter(): void {
    try {
      this.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.busyTimeoutMs))}`, []);
      this.query("SELECT pg_advisory_xact_lock($1)", [LEDGER_WRITER_LOCK]);
    } catch (error) {
      this.query("ROLLBACK", []);
      throw error;
    }
  }

  /**
   * Takes a session-level advisory lock, waiting at most the busy timeout (then 55P03, as for the
   * writer's lock); it is let go by `unlockSession` or when the connection ends (a killed process).
   */
  lockSession(key: number): void {
    this.query(`SET lock_timeout = ${Math.max(1, Math.floor(this.busyTimeoutMs))}`, []);
    try {
      this.query("SELECT pg_advisory_lock($1)", [key]);
    } finally {
      this.query("SET lock_timeout = 0", []);
    }
  }

  unlockSession(key: number): void {
    this.query("SELECT pg_advisory_unlock($1)", [key]);
  }

  /** The pragmas the writers read or set mean nothing here (no page cache, foreign keys stay on). */
  pragma(_source: string, _options?: { simple?: boolean }): unknown {
    return _options?.simple ? 0 : [];
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R) {
    const run = (immediate: boolean) => (...args: A): R => {
      const nested = this.depth > 0 || this.inTransaction;
      const savepoint = `qd_sp_${this.depth}`;
      if (nested) this.query(`SAVEPOINT ${savepoint}`, []);
      else this.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
      this.depth += 1;
      try {
        const result = fn(...args);
        if (nested) this.query(`RELEASE SAVEPOINT ${savepoint}`, []);
        else this.query("COMMIT", []);
        return result;
      } catch (error) {
        if (nested) this.query(`ROLLBACK TO SAVEPOINT ${savepoint}`, []);
        else if (this.inTransaction) this.query("ROLLBACK", []);
        throw error;
      } finally {
        this.depth -= 1;
      }
    };
    return Object.assign(run(false), { deferred: run(false), immediate: run(true), exclusive: run(true) });
  }

  close(): void {
    if (this.closed) return;
    try {
      Atomics.store(this.flag, 0, 0);
      this.worker.postMessage({ end: true });
      Atomics.wait(this.flag, 0, 0, 5_000);
      receiveMessageOnPort(this.port);
    } finally {
      this.closed = true;
      void this.worker.terminate();
      this.port.close();
    }
  }
}

/**
 * One import at a time on PostgreSQL, across processes and machines: the claim of the run and the
 * import's transaction happen under one lock, so a second import waits (its busy timeout) for the
 * whole of the first, and never finds the first's run "running" between its claim and its
 * transaction (SQLite's single write lock and back-to-back claim and BEGIN give the same).
 * Returns the release; on SQLite nothing to do.
 */
export function holdImportLock(connection: unknown): () => void {
  if (!(connection instanceof SyncPostgres)) return () => {};
  connection.lockSession(IMPORT_LOCK);
  return () => connection.unlockSession(IMPORT_LOCK);
}

/** True for a connection openSyncPostgres made (the writers skip what only SQLite has: its schema table, its indexes' rebuild). */
export function isSyncPostgres(connection: unknown): boolean {
  return connection instanceof SyncPostgres;
}

/**
 * Runs `work` with the connection's blind writes deferred (SyncPostgres.deferWrites) on
 * PostgreSQL; on SQLite (in-process, nothing to wait for) just runs it.
 */
export function deferringWrites<T>(connection: unknown, work: () => T): T {
  return connection instanceof SyncPostgres ? connection.deferWrites(work) : work();
}

/** Streams COPY text into a table: `COPY t (columns) FROM STDIN` and the text; answers the rows copied. */
export type CopyInto = (sql: string, text: string | readonly string[]) => number;

/** The COPY of a connection openSyncPostgres made (the bulk writers' fast path); null on SQLite. */
export function copierOf(connection: unknown): CopyInto | null {
  return connection instanceof SyncPostgres ? (sql, text) => connection.copyFrom(sql, text) : null;
}

/**
 * The PostgreSQL connection as the bulk writers' better-sqlite3 type: they use only the methods
 * SyncPostgres has (see above), with the same meaning.
 */
export function openSyncPostgres(url: string, options?: { busyTimeoutMs?: number }): SQLite.Database {
  // the writers call only what SyncPostgres implements, with better-sqlite3's meaning (tests/postgres/pg-sync.test.ts)
  return new SyncPostgres(url, options) as unknown as SQLite.Database;
}
