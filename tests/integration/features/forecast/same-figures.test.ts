import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { catchUpForecastInputs, forecastFor, resolveForecastRequest } from "~/features/forecast/index.server";
import { openInvoiceList } from "~/features/forecast/forecast";
import { scopeFilterOf } from "~/features/forecast/forecast.server";
import { unevenLedgerFiles } from "../../../bench/generate-ledger";
import { importGeneratedLedger } from "../../../support/generated-ledger-import";
import { forecastBefore } from "../../../support/forecast-reference";
import { makeUser } from "../../../support/app";

/**
 * The forecast reads its open invoices as columns and its payment behaviour from a kept window,
 * for speed; the figures must stay exactly what the object-by-object path computed. On a generated
 * ledger shaped like a real one (uneven customers, partial and unreferenced payments, credit notes
 * and write-offs, blank due dates), with promises, a stop shipment and a lawyer's letter, every
 * figure of the forecast (weeks, months, every customer's outlook) is compared with the reference
 * (tests/support/forecast-reference.ts) at dates inside the ledger and after its last document, for
 * the company, an owner, a region, a grade and one customer.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-same-figures-"));
let dates: string[] = [];
const scopes: string[] = ["company"];

beforeAll(async () => {
  await importGeneratedLedger(unevenLedgerFiles(dir, { invoices: 20_000 }));
  const db = getDb();
  const head = await makeUser("head");
  const last = (await db.selectFrom("invoices").select((eb) => eb.fn.max("issue_date").as("d")).executeTakeFirstOrThrow()).d ?? "";
  const latest = (await sql<{ d: string }>`SELECT max(last_document_date) AS d FROM status_customer_dates`.execute(db)).rows[0]?.d ?? "";
  dates = [addDays(last, -400), addDays(last, -181), addDays(last, -30), last, latest];

  // The customers with the most open at the last document: promises, a hold and a letter fall on them.
  const big = await db
    .selectFrom("open_items")
    .select((eb) => ["customer_id", eb.fn.sum<number>("open_amount").as("open")])
    .groupBy("customer_id")
    .orderBy("open", "desc")
    .orderBy("customer_id")
    .limit(4)
    .execute();
  const [first, second, third, fourth] = big.map((row) => row.customer_id);
  if (first === undefined || second === undefined || third === undefined || fourth === undefined) throw new Error("the ledger has too few open customers");
  const at = `${last}T09:00:00.000Z`;
  for (const [customerId, madeOn, dueOn, amount] of [
    [first, addDays(last, -200), addDays(last, -150), 500_000_00],
    [first, addDays(last, -20), addDays(last, 10), 40_000_00],
    [first, addDays(last, -10), addDays(last, 40), 60_000_00],
    [second, addDays(last, -35), addDays(last, 5), 25_000_00],
  ] as const) {
    const action = await db
      .insertInto("collection_actions")
      .values({ customer_id: customerId, user_id: head.id, kind: "promise_to_pay", action_date: madeOn, note: "", amount, created_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("payment_promises").values({ customer_id: customerId, action_id: action.id, kind: "promise", made_on: madeOn, due_on: dueOn, amount, created_at: at }).execute();
  }
  await db
    .insertInto("customer_holds")
    .values({ customer_id: third, kind: "stop_shipment", reason: "overdue", set_by: head.id, set_at: `${addDays(last, -60)}T09:00:00.000Z` })
    .execute();
  await db
    .insertInto("collection_actions")
    .values({ customer_id: fourth, user_id: head.id, kind: "lawyer_letter", action_date: addDays(last, -90), note: "", amount: null, created_at: at })
    .execute();
  await catchUpForecastInputs(db);

  const customer = await db.selectFrom("customers").innerJoin("users", "users.id", "customers.owner_id").select(["customers.code", "customers.region", "customers.credit_grade", "users.email"]).where("customers.id", "=", first).executeTakeFirstOrThrow();
  scopes.push(`owner:${customer.email}`, `region:${customer.region ?? ""}`, `grade:${customer.credit_grade ?? ""}`, `customer:${customer.code}`);
}, 300_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the forecast's figures on a generated ledger", () => {
  it("are exactly the object-by-object path's, at five dates and five scopes", async () => {
    const db = getDb();
    let compared = 0;
    for (const asOf of dates) {
      for (const scope of scopes) {
        const request = resolveForecastRequest({ asOf, scope });
        const filter = await scopeFilterOf(db, request.scope);
        if (filter === "unknown") throw new Error(`no scope ${scope}`);
        const now = await forecastFor(db, request);
        const before = await forecastBefore(db, filter, asOf, request.weeks);
        expect(now.behaviourLive).toBe(false);
        expect(openInvoiceList(now.inputs.invoices), `${scope} at ${asOf}`).toEqual(before.invoices);
        expect(now.forecast, `${scope} at ${asOf}`).toEqual(before.forecast);
        if (before.invoices.length > 0) compared += 1;
      }
    }
    // every comparison above had open invoices but those of a date before the first due dates
    expect(compared).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
