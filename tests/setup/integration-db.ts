import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll } from "vitest";

import { closeDb, getDb } from "~/server/db.server";
import { migrateToLatest } from "../../db/migrate";
import { setSetting } from "~/features/settings/index.server";

// Each test file gets its own migrated SQLite file: real database, no shared state between files.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-int-"));
process.env.DATABASE_URL = path.join(dir, "test.db");

beforeAll(async () => {
  await migrateToLatest(getDb());
  // Like the demo's, a test installation requires no second factor, so every test's admin signs in
  // with a password; the two-factor tests turn the requirement on themselves.
  await setSetting(getDb(), "two_factor_roles", "");
});

afterAll(async () => {
  await closeDb();
  fs.rmSync(dir, { recursive: true, force: true });
});
