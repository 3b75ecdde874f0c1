import SQLite from "better-sqlite3";
import pg from "pg";
import { vi } from "vitest";

/**
 * Runs `work` and answers the text of every statement it sent to the database through this
 * process's connections: the statements prepared on an SQLite connection, or the queries sent on
 * a PostgreSQL client (Kysely's pool hands its queries to pg's Client, a cursor included).
 */
export async function statementsDuring<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const prepare = SQLite.prototype.prepare;
  const sqliteSpy = vi.spyOn(SQLite.prototype, "prepare").mockImplementation(function (this: SQLite.Database, source: string) {
    statements.push(source);
    return prepare.call(this, source);
  });
  const query = pg.Client.prototype.query;
  const pgSpy = vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    if (typeof first === "string") statements.push(first);
    else if (first && typeof first === "object" && "text" in first && typeof first.text === "string") statements.push(first.text);
    // the arguments pass through untouched, whatever overload they make
    return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    return { result: await work(), statements };
  } finally {
    sqliteSpy.mockRestore();
    pgSpy.mockRestore();
  }
}
