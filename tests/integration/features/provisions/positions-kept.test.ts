import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { refreshStatusPositions } from "~/features/status-table/queries.server";
import { computeProvision } from "~/features/provisions/index.server";
import { resolveProvisionRequest } from "~/features/provisions";
import { makeUser } from "../../../support/app";
import { NEEQ_AS_OF, importProvisionLedger, naiveBandBalances } from "../../../support/provision-ledger";

const owners = { a: "kept.owner.a@example.test", b: "kept.owner.b@example.test" };

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importProvisionLedger(owners);
});

async function keptRows() {
  const db = getDb();
  return {
    positions: await db.selectFrom("provision_positions").selectAll().orderBy(["customer_id", "month_end", "basis"]).execute(),
    customers: await db.selectFrom("provision_customers").selectAll().orderBy("customer_id").execute(),
    gross: await db.selectFrom("provision_gross_items").selectAll().orderBy(["customer_id", "issue_date", "due_date", "open_amount"]).execute(),
  };
}

describe("the kept provision inputs", () => {
  it("written by the import equal a rebuild by the background refresh", async () => {
    const imported = await keptRows();
    expect(imported.positions.length).toBeGreaterThan(0);
    // Every customer marked changed, as the triggers mark one changed outside the import.
    await sql`INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers`.execute(getDb());
    expect(refreshStatusPositions()).toBeGreaterThan(0);
    expect(await keptRows()).toEqual(imported);
  });

  it("follow a document changed outside the import once the refresh has run", async () => {
    const db = getDb();
    // A write-off of NEEQ's 2–3-year invoice entered by SQL (the triggers mark NEEQ stale).
    const neeq = await db.selectFrom("customers").select("id").where("code", "=", "NEEQ").executeTakeFirstOrThrow();
    const invoice = await db.selectFrom("invoices").select("id").where("invoice_no", "=", "N-3").executeTakeFirstOrThrow();
    await db.insertInto("adjustments").values({ adjustment_no: "SQL-1", customer_id: neeq.id, date: "2025-10-01", amount: 99_900_000, type: "write_off", invoice_id: invoice.id }).execute();
    refreshStatusPositions();
    const result = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NEEQ" }));
    expect(result.bands.map((band) => band.balance)).toEqual(await naiveBandBalances(["NEEQ"], NEEQ_AS_OF, "issue", [365, 730, 1095, 1460, 1825]));
    expect(result.bands[2]?.balance).toBe(509_900_000 - 99_900_000);
    const gross = await naiveBandBalances(["NEEQ"], NEEQ_AS_OF, "issue", [365, 730, 1095, 1460, 1825], true);
    expect(gross[2]).toBe(509_900_000);
  });
});
