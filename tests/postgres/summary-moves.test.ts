import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb, openLedgerConnection } from "~/server/db.server";
import { moveNotedCustomers, movingNotedCustomersOnce } from "~/features/kpi/index.server";
import { rebuildKpiSummaries } from "~/features/kpi/queries/summary.server";
import { importLedgerFixture } from "../support/ledger";

/*
 * Customers changed outside an import are moved in the KPI summaries after their transaction on
 * PostgreSQL (the trigger notes them; moveNotedCustomers rewrites their scopes' days, with COPY).
 * Many changes in a row (the demo's credit reviews) put the moves off to one at their end. Either
 * way the summaries end equal to a rebuild from the whole ledger.
 */

/** Every summary row as text, by scope kind and key (scope ids differ after a rebuild). */
async function summaryRows(): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT s.kind, s.key, d.* FROM kpi_daily_summaries d JOIN kpi_scopes s ON s.id = d.scope_id ORDER BY s.kind, s.key, d.day`.execute(getDb());
  return rows.map(({ scope_id: _scopeId, ...row }) => Object.values(row).join("|"));
}

async function noted(): Promise<number[]> {
  const rows = await getDb().selectFrom("kpi_summary_pending_customers").select("customer_id").orderBy("customer_id").execute();
  return rows.map((row) => row.customer_id);
}

/** The rows a rebuild gives, rebuilt in place (the test's last step: it rewrites every row). */
async function rebuiltRows(): Promise<string[]> {
  const connection = openLedgerConnection();
  try {
    rebuildKpiSummaries(connection);
  } finally {
    connection.close();
  }
  return summaryRows();
}

const customers: { id: number }[] = [];

beforeAll(async () => {
  await importLedgerFixture();
  customers.push(...(await getDb().selectFrom("customers").select("id").orderBy("id").limit(3).execute()));
  expect(customers).toHaveLength(3);
  expect(await noted()).toEqual([]);
});

/** A limit of one minor unit: the customer counts as over its limit on every day it owes. */
async function lowerLimit(id: number): Promise<void> {
  await getDb().updateTable("customers").set({ credit_limit: 1 }).where("id", "=", id).execute();
}

describe("moving changed customers in the KPI summaries on PostgreSQL", () => {
  it("moves a changed customer at once, its scopes' days rewritten as a rebuild has them", async () => {
    const before = await summaryRows();
    const [first] = customers;
    await lowerLimit(first!.id);
    expect(await noted()).toEqual([first!.id]);
    moveNotedCustomers(getDb());
    expect(await noted()).toEqual([]);
    const moved = await summaryRows();
    expect(moved.length).toBeGreaterThan(0);
    expect(moved).not.toEqual(before);
    expect(moved).toEqual(await rebuiltRows());
  });

  it("puts the moves of many changes off to one at their end, with the same summaries", async () => {
    const before = await summaryRows();
    const [, second, third] = customers;
    await movingNotedCustomersOnce(getDb(), async () => {
      await lowerLimit(second!.id);
      moveNotedCustomers(getDb());
      await getDb().updateTable("customers").set({ credit_grade: "D" }).where("id", "=", third!.id).execute();
      moveNotedCustomers(getDb());
      // Put off: both still wait, and the summaries still count them as they were.
      expect(await noted()).toEqual([second!.id, third!.id]);
      expect(await summaryRows()).toEqual(before);
    });
    expect(await noted()).toEqual([]);
    const moved = await summaryRows();
    expect(moved).not.toEqual(before);
    expect(moved).toEqual(await rebuiltRows());
  });
});
