import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, describe, expect, it } from "vitest";

import { createDb } from "~/server/db.server";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-cli-"));
const databaseUrl = path.join(dir, "cli.db");

async function userCli(...args: string[]) {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["db/cli/user.ts", ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("npm run user -- add", () => {
  it("creates an admin and prints a generated password once", async () => {
    const result = await userCli("add", "--email", "First.Admin@example.test", "--name", "First Admin", "--role", "admin");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Created admin first\.admin@example\.test/);
    expect(result.stdout).toMatch(/Password \(shown once\): \S{20}/);
    const db = createDb(databaseUrl);
    const row = await db.selectFrom("users").select(["role", "password_hash"]).executeTakeFirstOrThrow();
    await db.destroy();
    expect(row.role).toBe("admin");
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it.each([
    [["add", "--email", "x@example.test", "--name", "X", "--role", "owner"], /--role must be one of/],
    [["add", "--email", "nope", "--name", "X", "--role", "staff"], /--email must be an email/],
    [["add", "--email", "y@example.test", "--name", "Y", "--role", "staff", "--password", "short"], /12 to 128/],
    [["add", "--email", "first.admin@example.test", "--name", "Again", "--role", "staff"], /already exists/],
    [["remove"], /Usage/],
  ])("refuses %j with a message and exit 1", async (args, message) => {
    const result = await userCli(...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    const db = createDb(databaseUrl);
    const count = await db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    await db.destroy();
    expect(Number(count.n)).toBe(1);
  });
});
