import { randomBytes } from "node:crypto";

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

afterAll(async () => {
  await closeDb();
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});
