import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { databasePath, getDb } from "~/server/db.server";
import { runImportJob } from "~/features/import/job.server";
import { today } from "~/server/clock.server";
import { keepPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { promisesByOwner } from "~/features/scoreboard/scoring.server";
import { instantOnBusinessDate } from "../../../support/business-date";
import { HOSTILE_EMAIL, Q2, scoreboardLedger } from "../../../support/scoreboard";

// EVIL-1 (owned by the staff member with the formula name) pays 300.00 on 2025-04-15 and nothing after.
async function promise(madeOn: string, dueOn: string, amount: number): Promise<number> {
  const db = getDb();
  const customer = await db.selectFrom("customers").select("id").where("code", "=", "EVIL-1").executeTakeFirstOrThrow();
  const now = instantOnBusinessDate().toISOString();
  const action = await db
    .insertInto("collection_actions")
    .values({ customer_id: customer.id, user_id: null, kind: "promise_to_pay", action_date: madeOn, amount, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto("payment_promises")
    .values({ customer_id: customer.id, action_id: action.id, kind: "promise", sequence: 1, made_on: madeOn, due_on: dueOn, amount, created_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

function stored(id: number) {
  return getDb().selectFrom("payment_promises").select(["status", "paid", "kept_on", "evaluated_on"]).where("id", "=", id).executeTakeFirstOrThrow();
}

let ownerId = 0;

beforeAll(async () => {
  await scoreboardLedger();
  // One promise kept and one broken in Q2, as in promises-kept.test.ts.
  await promise("2025-04-01", "2025-04-20", 30_000);
  await promise("2025-04-21", "2025-05-10", 10_000);
  ownerId = (await getDb().selectFrom("users").select("id").where("email", "=", HOSTILE_EMAIL).executeTakeFirstOrThrow()).id;
});

// The import's job runs on an SQLite file only (README, PostgreSQL): this file stays off the PostgreSQL list.
describe("promises kept after an import", () => {
  it("judges a promise again when an import brings the payment that keeps it, without waiting for the job", async () => {
    const late = await promise("2025-06-10", "2025-06-20", 5_000);
    await keepPromiseStatuses(getDb(), today());
    expect((await stored(late)).status).toBe("broken");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-promise-"));
    const file = path.join(dir, "payments.csv");
    fs.writeFileSync(file, "payment_no,customer_code,date,amount,invoice_no\nEVIL-PAY-2,EVIL-1,2025-06-15,50.00,EVIL-INV-1\n");
    try {
      const result = await runImportJob({ databaseFile: databasePath(), files: [{ path: file, kind: "payments" }], userId: null, source: "cli" });
      expect(result.ok).toBe(true);
      expect(await stored(late)).toEqual({ status: "kept", paid: 5_000, kept_on: "2025-06-15", evaluated_on: today() });
      expect((await promisesByOwner(getDb(), Q2)).get(ownerId)).toEqual({ due: 3, done: 2 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
