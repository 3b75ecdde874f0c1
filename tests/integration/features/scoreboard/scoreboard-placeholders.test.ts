import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { Q2, board, scoreboardLedger } from "../../../support/scoreboard";

// A file of its own: the import below adds owners and money that the scoreboard tests' totals would see.
beforeAll(scoreboardLedger);

describe("owners an import added (inactive placeholders)", () => {
  it("lists a placeholder whose customers moved in the period unranked, and leaves off one with nothing", async () => {
    // Two customers whose owner emails no user has: the import adds each owner as an inactive user.
    await importIntoTestDb([
      {
        kind: "customers",
        source: csvSource("placeholder-customers.csv", [
          "code,name,region,owner_email,credit_grade,credit_limit",
          "GHOST-1,Ghost Trading,East,ghost.owner@erp.example,A,100000",
          "QUIET-1,Quiet Trading,East,quiet.owner@erp.example,A,100000",
        ]),
      },
      {
        kind: "invoices",
        source: csvSource("placeholder-invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "GHOST-INV-1,GHOST-1,2025-03-01,2025-03-15,9000.00"]),
      },
      {
        kind: "payments",
        source: csvSource("placeholder-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "GHOST-PAY-1,GHOST-1,2025-05-20,9000.00,GHOST-INV-1"]),
      },
    ]);
    const placeholders = await getDb().selectFrom("users").select(["email", "active"]).where("email", "like", "%@erp.example").orderBy("email").execute();
    expect(placeholders).toEqual([
      { email: "ghost.owner@erp.example", active: 0 },
      { email: "quiet.owner@erp.example", active: 0 },
    ]);

    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const ghost = q2.rows.find((row) => row.email === "ghost.owner@erp.example");
    // Its overdue fell to nothing and it collected the most: it would rank first if ranked.
    expect(ghost).toMatchObject({ active: false, rank: null, customers: 1, figures: { collected: 900_000, overdueAtStart: 900_000, overdueAtEnd: 0 } });
    expect(q2.rows.some((row) => row.email === "quiet.owner@erp.example")).toBe(false);
    expect(q2.rows.filter((row) => row.rank !== null).every((row) => row.active)).toBe(true);
    expect(q2.rankedCount).toBe(q2.rows.filter((row) => row.rank !== null).length);
    // the money still adds up: owners plus unowned customers are the company
    const sum = q2.rows.reduce((s, row) => s + row.figures.collected, 0) + q2.unowned!.figures.collected;
    expect(sum).toBe(q2.totals.figures.collected);
  });
});
