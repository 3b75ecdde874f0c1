import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll } from "vitest";

import { closeDb, getDb } from "~/server/db.server";
import { migrateToLatest } from "../../db/migrate";

// Each test file gets its own migrated SQLite file: real database, no shared state between files.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-int-"));
process.env.DATABASE_URL = path.join(dir, "test.db");

beforeAll(async () => {
  await migrateToLatest(getDb());
});

afterAll(async () => {
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});
