import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";

import { closeDb, getDb } from "~/server/db.server";
import { migrateToLatest } from "../../db/migrate";
import { setSetting } from "~/features/settings/index.server";

// Each test file gets its own migrated database on the run's PostgreSQL server, as each gets its
// own SQLite file in the SQLite run.
const server = inject("postgresUrl");
const name = `qd_test_${randomBytes(6).toString("hex")}`;
const url = new URL(server);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
// Uploads wait beside an SQLite database; a PostgreSQL one has no folder of its own.
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), "qd-pg-uploads-"));
process.env.UPLOAD_DIR = uploads;

async function onServer(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await onServer(`CREATE DATABASE ${name}`);
  await migrateToLatest(getDb());
  await setSetting(getDb(), "two_factor_roles", "");
});

/** Waits (up to 10 s) until the server has let go of every connection to this file's database. */
async function connectionsGone(): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1", [name]);
      if (Number(rows[0]?.n) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await closeDb();
  // The pool's end() returns before each server process has seen its connection close; a forced
  // drop then terminates them, and the terminate reaches a client that is still ending (an
  // uncaught 57P01 in whichever file runs next). So wait for them first; FORCE stays for a test
  // that left a connection of its own open.
  await connectionsGone();
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  fs.rmSync(uploads, { recursive: true, force: true });
});
