import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";

import { closeDb, databasePath, databaseUrl, isPostgresUrl, openSqlite } from "~/server/db.server";

async function onServer<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Runs `work` on a copy of the database `url` names (the test database unless named), the copy's
 * URL (SQLite: a path) given, and removes the copy afterwards: for a from-scratch rebuild to
 * compare with what was kept. SQLite: a backup into a temporary file. PostgreSQL: a new database
 * made with the source as its template, which PostgreSQL allows only while nobody is connected
 * to it, so the app's pool is closed first (the next getDb() opens a new one); the caller must
 * hold no connection of its own.
 */
export async function withDatabaseCopy<T>(work: (url: string) => Promise<T> | T, url = databaseUrl()): Promise<T> {
  if (!isPostgresUrl(url)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-copy-"));
    const file = path.join(dir, "copy.db");
    try {
      const source = openSqlite(databasePath(url));
      try {
        await source.backup(file);
      } finally {
        source.close();
      }
      return await work(file);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const source = new URL(url);
  const name = source.pathname.slice(1);
  const copy = `${name}_copy_${randomBytes(4).toString("hex")}`;
  const server = new URL(url);
  server.pathname = "/postgres";
  const target = new URL(url);
  target.pathname = `/${copy}`;
  await closeDb();
  await onServer(server.toString(), async (client) => {
    // The pool's end() returns before each server process has seen its connection close.
    for (let attempt = 0; ; attempt++) {
      const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (rows[0]?.n === 0) break;
      if (attempt >= 200) throw new Error(`${name} still has ${rows[0]?.n} connections: a copy needs none`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`CREATE DATABASE ${copy} TEMPLATE ${name}`);
  });
  try {
    return await work(target.toString());
  } finally {
    await onServer(server.toString(), (client) => client.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`));
  }
}
