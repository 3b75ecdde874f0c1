import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Db, createDb } from "~/server/db.server";
import { migrationProvider } from "../../../db/migrations/index";

/**
 * The migration that gives the credit records one name each: the payment promises' table is
 * renamed with its rows, and audit entries and built-in wordings recorded under the old entity
 * names are found under the new ones (and back again on the way down).
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-credit-names-"));
const BEFORE = "2026-12-06-versions-template-items-confirmations";
const AT = "2026-06-01T02:00:00.000Z";
let db: Db;

async function migrateTo(name: string) {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(name);
  if (error) throw error;
}

async function tableNames(): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from sqlite_master where type in ('table', 'index') order by name`.execute(db);
  return rows.rows.map((row) => row.name);
}

async function entities(table: "audit_log" | "built_in_texts"): Promise<string[]> {
  const rows = await db.selectFrom(table).select("entity").orderBy("entity").execute();
  return rows.map((row) => row.entity);
}

beforeAll(() => {
  db = createDb(path.join(dir, "migrate.db"));
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("credit names", () => {
  it("renames payment_commitments to payment_promises and the hold and confirmation entities, keeping every row", async () => {
    await migrateTo(BEFORE);
    const customer = await db
      .insertInto("customers")
      .values({ code: "C1", name: "One", created_at: AT, updated_at: AT } as never)
      .returning("id")
      .executeTakeFirstOrThrow();
    const action = await db
      .insertInto("collection_actions")
      .values({ customer_id: customer.id, user_id: null, kind: "promise_to_pay", action_date: "2026-06-01", amount: 500, created_at: AT })
      .returning("id")
      .executeTakeFirstOrThrow();
    await sql`insert into payment_commitments (customer_id, action_id, kind, made_on, due_on, amount, created_at)
      values (${customer.id}, ${action.id}, 'promise', '2026-06-01', '2026-06-30', 500, ${AT})`.execute(db);
    for (const entity of ["customer_hold", "balance_confirmation", "collection_action"]) {
      await db.insertInto("audit_log").values({ at: AT, user_id: null, entity, entity_id: "1", action: "set", before: null, after: null }).execute();
      await db.insertInto("built_in_texts").values({ entity, entity_id: 1, field: "note", en: "Paid.", zh: "已付。" }).execute();
    }

    await migrateTo("2026-12-06-vocabulary-credit-names");

    const names = await tableNames();
    expect(names).toEqual(expect.arrayContaining(["payment_promises", "payment_promises_customer", "payment_promises_due"]));
    expect(names.filter((name) => name.includes("payment_commitments_customer") || name.includes("payment_commitments_due") || name === "payment_commitments")).toEqual([]);
    expect(await db.selectFrom("payment_promises").select(["customer_id", "kind", "due_on", "amount", "status"]).execute()).toEqual([
      { customer_id: customer.id, kind: "promise", due_on: "2026-06-30", amount: 500, status: "pending" },
    ]);
    // the promise still belongs to its action: deleting the action deletes it
    await db.deleteFrom("collection_actions").where("id", "=", action.id).execute();
    expect(await db.selectFrom("payment_promises").select("id").execute()).toEqual([]);

    expect(await entities("audit_log")).toEqual(["collection_action", "confirmation", "hold"]);
    expect(await entities("built_in_texts")).toEqual(["collection_action", "confirmation", "hold"]);

    await migrateTo(BEFORE);
    expect(await tableNames()).toEqual(expect.arrayContaining(["payment_commitments", "payment_commitments_customer", "payment_commitments_due"]));
    expect(await entities("audit_log")).toEqual(["balance_confirmation", "collection_action", "customer_hold"]);
    expect(await entities("built_in_texts")).toEqual(["balance_confirmation", "collection_action", "customer_hold"]);
  });
});
