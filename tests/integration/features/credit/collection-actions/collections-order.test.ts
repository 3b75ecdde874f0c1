import { beforeAll, describe, expect, it } from "vitest";

import { getDb, openLedgerConnection } from "~/server/db.server";
import { sourceFromBuffer } from "~/features/import/source";
import { importLedger } from "~/features/import/import-ledger.server";
import { collectionsBetween } from "~/features/credit/collection-actions/queries.server";

/**
 * A customer's collections come in date order, and a day's in amount order, on SQLite and on
 * PostgreSQL alike: the promise evaluation and the demo's seed (its "latest payment" picks) read
 * them in that order, and the two databases hand rows tied on the date over differently (the demo
 * once made a different promise on each).
 */
const csv = (name: string, lines: string[]) => sourceFromBuffer(name, Buffer.from(`${lines.join("\n")}\n`, "utf8"));

beforeAll(async () => {
  const sqlite = openLedgerConnection();
  try {
    const outcome = await importLedger(
      sqlite,
      [
        { layout: { kind: "customers" }, source: csv("customers.csv", ["code,name", "CO1,Order One", "CO2,Order Two"]) },
        { layout: { kind: "invoices" }, source: csv("invoices.csv", ["invoice_no,customer_code,issue_date,amount", "IO1,CO1,2026-01-05,9000.00", "IO2,CO2,2026-01-05,100.00"]) },
        {
          layout: { kind: "payments" },
          source: csv("payments.csv", [
            "payment_no,customer_code,date,amount",
            "PO1,CO1,2026-02-10,700.00",
            "PO2,CO1,2026-02-03,50.00",
            "PO3,CO1,2026-02-10,300.00",
            "PO4,CO2,2026-02-10,20.00",
            "PO5,CO1,2026-02-10,500.00",
            "PO6,CO1,2026-03-01,10.00",
          ]),
        },
        { layout: { kind: "adjustments" }, source: csv("adjustments.csv", ["adjustment_no,customer_code,date,type,amount", "AO1,CO1,2026-02-10,offset,400.00", "AO2,CO1,2026-02-10,credit_note,60.00"]) },
      ],
      { baseCurrency: "CNY", userId: null },
    );
    if (!outcome.ok) throw new Error(outcome.report);
  } finally {
    sqlite.close();
  }
});

describe("collections between two dates", () => {
  it("are each customer's payments and offsets in date order, a day's in amount order, credit notes left out", async () => {
    const db = getDb();
    const ids = await db.selectFrom("customers").select(["id", "code"]).where("code", "in", ["CO1", "CO2"]).orderBy("code").execute();
    const byCode = new Map(ids.map((row) => [row.code, row.id]));
    const collections = await collectionsBetween(db, [byCode.get("CO2")!, byCode.get("CO1")!], "2026-02-01", "2026-02-28");
    expect(collections.get(byCode.get("CO1")!)).toEqual([
      { date: "2026-02-03", amount: 5_000 },
      { date: "2026-02-10", amount: 30_000 },
      { date: "2026-02-10", amount: 40_000 },
      { date: "2026-02-10", amount: 50_000 },
      { date: "2026-02-10", amount: 70_000 },
    ]);
    expect(collections.get(byCode.get("CO2")!)).toEqual([{ date: "2026-02-10", amount: 2_000 }]);
  });
});
