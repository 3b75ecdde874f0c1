import { describe, expect, it } from "vitest";

import { sql } from "kysely";

import { createDb, databaseGeneration, getDb } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import { makeUser } from "../../support/app";

/** The cache of figures computed from the database: kept while nothing is written, bounded, shared. */
describe("GenerationCache", () => {
  it("computes once while the database is unchanged, again after a write by this connection or another", async () => {
    const cache = new GenerationCache<number>(10);
    let computed = 0;
    const compute = async () => ++computed;
    expect(await cache.get(getDb(), "k", compute)).toBe(1);
    expect(await cache.get(getDb(), "k", compute)).toBe(1);
    // a write through the app's own connection
    await makeUser("staff");
    expect(await cache.get(getDb(), "k", compute)).toBe(2);
    expect(await cache.get(getDb(), "k", compute)).toBe(2);
    // a write through another connection (an import's process, a CLI)
    // (a connection of its own on either database: another SQLite connection, another PostgreSQL pool)
    const other = createDb();
    try {
      await sql`UPDATE users SET name = name || '.' WHERE id = (SELECT min(id) FROM users)`.execute(other);
    } finally {
      await other.destroy();
    }
    expect(await cache.get(getDb(), "k", compute)).toBe(3);
  });

  it("shares one computation between simultaneous requests of a key", async () => {
    const cache = new GenerationCache<number>(10);
    let computed = 0;
    const compute = async () => {
      computed += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return computed;
    };
    const answers = await Promise.all([cache.get(getDb(), "k", compute), cache.get(getDb(), "k", compute), cache.get(getDb(), "k", compute)]);
    expect(answers).toEqual([1, 1, 1]);
    expect(computed).toBe(1);
  });

  it("does not keep what was computed while a write happened", async () => {
    const cache = new GenerationCache<number>(10);
    let computed = 0;
    const value = await cache.get(getDb(), "k", async () => {
      computed += 1;
      await makeUser("staff");
      return computed;
    });
    expect(value).toBe(1);
    expect(await cache.get(getDb(), "k", async () => ++computed)).toBe(2);
  });

  it("keeps at most its limit, dropping the least recently used", async () => {
    const cache = new GenerationCache<string>(2);
    const calls: string[] = [];
    const compute = (key: string) => async () => {
      calls.push(key);
      return key;
    };
    await cache.get(getDb(), "a", compute("a"));
    await cache.get(getDb(), "b", compute("b"));
    await cache.get(getDb(), "a", compute("a")); // a is now the most recent
    await cache.get(getDb(), "c", compute("c")); // drops b
    expect(cache.size).toBe(2);
    await cache.get(getDb(), "a", compute("a"));
    await cache.get(getDb(), "b", compute("b"));
    expect(calls).toEqual(["a", "b", "c", "b"]);
  });

  it("forgets a computation that failed", async () => {
    const cache = new GenerationCache<number>(2);
    await expect(cache.get(getDb(), "k", async () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await cache.get(getDb(), "k", async () => 7)).toBe(7);
  });

  it("reads a generation that stands still while nothing is written", async () => {
    const first = await databaseGeneration(getDb());
    await getDb().selectFrom("users").select("id").execute();
    expect(await databaseGeneration(getDb())).toBe(first);
  });
});
