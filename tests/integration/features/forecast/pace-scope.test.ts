import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { catchUpForecastInputs, forecastFor, resolveForecastRequest } from "~/features/forecast/index.server";
import { scopeFilterOf } from "~/features/forecast/forecast.server";
import { scopeHistory } from "~/features/forecast/queries.server";
import { TRAILING_DAYS } from "~/features/forecast/pace";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { unevenLedgerFiles } from "../../../bench/generate-ledger";
import { importGeneratedLedger } from "../../../support/generated-ledger-import";

/**
 * The collections the curve's reading is held to, on a generated ledger: the same money the KPIs
 * call collected over the same 91 days, for the company, an owner and one customer; and no reading
 * at all for one customer, whose collections swing on a single payment.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-pace-scope-"));
let last = "";
const scopes: string[] = ["company"];

beforeAll(async () => {
  await importGeneratedLedger(unevenLedgerFiles(dir, { invoices: 4_000 }));
  const db = getDb();
  await catchUpForecastInputs(db);
  last = (await db.selectFrom("invoices").select((eb) => eb.fn.max("issue_date").as("d")).executeTakeFirstOrThrow()).d ?? "";
  // the customer that paid the most in the 91 days through the date before the last invoice
  const from = addDays(last, -120 - TRAILING_DAYS + 1);
  const payer = await db
    .selectFrom("payments")
    .innerJoin("customers", "customers.id", "payments.customer_id")
    .innerJoin("users", "users.id", "customers.owner_id")
    .select((eb) => ["customers.code", "users.email", eb.fn.sum<number>("payments.amount").as("paid")])
    .where("payments.date", ">=", from)
    .where("payments.date", "<=", addDays(last, -120))
    .groupBy(["customers.code", "users.email"])
    .orderBy("paid", "desc")
    .orderBy("customers.code")
    .executeTakeFirstOrThrow();
  scopes.push(`owner:${payer.email}`, `customer:${payer.code}`);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the collections the curve is held to", () => {
  it("are the KPIs' collected over the same 91 days, for the company, an owner and one customer", async () => {
    const db = getDb();
    const asOf = addDays(last, -120);
    for (const scope of scopes) {
      const request = resolveForecastRequest({ asOf, scope });
      const filter = await scopeFilterOf(db, request.scope);
      if (filter === "unknown") throw new Error(`no scope ${scope}`);
      const history = await scopeHistory(db, filter, asOf);
      const { values } = await kpiValues(db, resolveKpiRequest({ asOf, scope, periodStart: addDays(asOf, -(TRAILING_DAYS - 1)) }));
      expect(values.collected, scope).toBeGreaterThan(0);
      expect(history.trailingCollected, scope).toBe(values.collected);
    }
  }, 60_000);

  it("are read for a company or an owner, never for one customer", async () => {
    const asOf = addDays(last, -120);
    const [company, owner, customer] = await Promise.all(scopes.map((scope) => forecastFor(getDb(), resolveForecastRequest({ asOf, scope }))));
    expect(company?.forecast.pace).not.toBeNull();
    expect(owner?.forecast.pace).not.toBeNull();
    expect(customer?.forecast.pace).toBeNull();
  }, 60_000);

  it("are not read while the KPI summaries wait for a catch-up", async () => {
    const db = getDb();
    const asOf = addDays(last, -120);
    await db.updateTable("kpi_summary_status").set({ rebuild_needed: 1 }).where("id", "=", 1).execute();
    try {
      for (const scope of scopes.slice(0, 2)) expect((await forecastFor(db, resolveForecastRequest({ asOf, scope }))).forecast.pace, scope).toBeNull();
    } finally {
      await db.updateTable("kpi_summary_status").set({ rebuild_needed: 0 }).where("id", "=", 1).execute();
    }
    expect((await forecastFor(db, resolveForecastRequest({ asOf, scope: "company" }))).forecast.pace).not.toBeNull();
  }, 60_000);
});
