import pg from "pg";
import { describe, expect, it } from "vitest";

import { getUser, requireUser } from "~/server/auth.server";
import { getDb, isPostgres, sqliteConnectionOf } from "~/server/db.server";
import { get, post, signedInAs } from "../../support/app";

/**
 * Counts the session lookups `run` makes (each reads the sessions table once): the statements
 * prepared on the SQLite connection, or sent by the PostgreSQL pool's clients.
 */
async function sessionReads(run: () => Promise<unknown>): Promise<number> {
  let reads = 0;
  const count = (source: unknown) => {
    const text = typeof source === "string" ? source : (source as { text?: unknown } | null)?.text;
    if (typeof text === "string" && /from "sessions"/.test(text)) reads += 1;
  };
  if (isPostgres(getDb())) {
    // Every connection of the pool is a pg.Client, and Kysely sends each statement through its query().
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      count(args[0]);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await run();
    } finally {
      pg.Client.prototype.query = query;
    }
    return reads;
  }
  const sqlite = sqliteConnectionOf(getDb());
  if (!sqlite) throw new Error("this test counts statements on the SQLite connection");
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    count(source);
    return prepare(source);
  }) as typeof sqlite.prepare;
  try {
    await run();
  } finally {
    sqlite.prepare = prepare;
  }
  return reads;
}

describe("the signed-in user of one request", () => {
  it("is looked up once for a view, however many loaders ask", async () => {
    const { user, cookie } = await signedInAs("head");
    const request = get("/", cookie);
    const reads = await sessionReads(async () => {
      const [a, b, c] = await Promise.all([getUser(request), requireUser(request), requireUser(request)]);
      expect(a?.id).toBe(user.id);
      expect(b.id).toBe(user.id);
      expect(c).toBe(b);
    });
    expect(reads).toBe(1);
  });

  it("is looked up again for the next request: a user deactivated in between is signed out", async () => {
    const { user, cookie } = await signedInAs("head");
    expect((await getUser(get("/", cookie)))?.id).toBe(user.id);
    await getDb().updateTable("users").set({ active: 0 }).where("id", "=", user.id).execute();
    expect(await getUser(get("/", cookie))).toBeNull();
  });

  it("is looked up on every call for a post, whose action may change the user", async () => {
    const { user, cookie } = await signedInAs("head");
    const request = post("/settings", { name: "x" }, cookie);
    expect((await getUser(request))?.id).toBe(user.id);
    await getDb().updateTable("users").set({ name: "Changed By The Action" }).where("id", "=", user.id).execute();
    expect((await getUser(request))?.name).toBe("Changed By The Action");
  });
});
