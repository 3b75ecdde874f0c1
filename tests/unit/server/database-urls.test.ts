import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { databasePath, isPostgresUrl, openSqlite } from "~/server/db.server";

let dir: string;
let cwd: string;
beforeEach(() => {
  cwd = process.cwd();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-urls-"));
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("database URLs", () => {
  it("tells PostgreSQL URLs from SQLite paths", () => {
    expect(isPostgresUrl("postgres://qd@127.0.0.1:5432/qd")).toBe(true);
    expect(isPostgresUrl("postgresql://qd@db/qd")).toBe(true);
    expect(isPostgresUrl("data/quarterdeck.db")).toBe(false);
    expect(isPostgresUrl("file:data/postgres.db")).toBe(false);
    expect(databasePath("file:data/q.db")).toBe(path.join(dir, "data/q.db"));
  });

  it("never opens a PostgreSQL URL as an SQLite file, and leaves no file named after it", () => {
    const url = "postgres://qd@127.0.0.1:5432/qd";
    expect(() => openSqlite(url)).toThrow(/PostgreSQL URL/);
    expect(() => databasePath(url)).toThrow(/PostgreSQL/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
