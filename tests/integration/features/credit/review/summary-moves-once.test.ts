import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb, openLedgerConnection } from "~/server/db.server";
import { decideReviewItem } from "~/features/credit/review/review.server";
import { movingNotedCustomersOnce } from "~/features/kpi/index.server";
import { rebuildKpiSummaries } from "~/features/kpi/queries/summary.server";
import { signedInAs } from "../../../../support/app";
import { openReviewAndWait } from "../../../../support/credit-review";
import { importLedgerFixture } from "../../../../support/ledger";

/*
 * Many review decisions in a row (the demo's seed) put their customers' moves in the KPI summaries
 * off to one at the end, on SQLite and PostgreSQL: meanwhile the customers are noted and the
 * summaries count them as they were; afterwards nothing waits and every row equals a rebuild.
 */

/** Every summary row as text, by scope kind and key (scope ids differ after a rebuild). */
async function summaryRows(): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT s.kind, s.key, d.* FROM kpi_daily_summaries d JOIN kpi_scopes s ON s.id = d.scope_id ORDER BY s.kind, s.key, d.day`.execute(getDb());
  return rows.map(({ scope_id: _scopeId, ...row }) => Object.values(row).map(String).join("|"));
}

async function noted(): Promise<number[]> {
  const rows = await getDb().selectFrom("kpi_summary_pending_customers").select("customer_id").orderBy("customer_id").execute();
  return rows.map((row) => Number(row.customer_id));
}

let head: { id: number };
let reviewId = 0;

beforeAll(async () => {
  await importLedgerFixture();
  const signedIn = await signedInAs("head");
  head = signedIn.user;
  reviewId = await openReviewAndWait(signedIn.cookie);
});

describe("review decisions with their summary moves put off to the end", () => {
  it("notes the customers meanwhile, then moves them once: summaries equal to a rebuild", async () => {
    const items = await getDb().selectFrom("credit_review_items").select(["id", "customer_id"]).where("review_id", "=", reviewId).orderBy("customer_id").limit(3).execute();
    expect(items).toHaveLength(3);
    const before = await summaryRows();
    expect(before.length).toBeGreaterThan(0);
    await movingNotedCustomersOnce(getDb(), async () => {
      for (const item of items) {
        // A lower limit and grade D: no approval needed, and the customer moves to another grade scope.
        const answer = await decideReviewItem(getDb(), head, reviewId, item.id, { decision: "modify", grade: "D", limit: 100, comment: "Lowered for the test." });
        expect(answer.state).toBe("applied");
      }
      expect(await noted()).toEqual(items.map((item) => Number(item.customer_id)));
      expect(await summaryRows()).toEqual(before);
    });
    expect(await noted()).toEqual([]);
    const moved = await summaryRows();
    expect(moved).not.toEqual(before);
    const connection = openLedgerConnection();
    try {
      rebuildKpiSummaries(connection);
    } finally {
      connection.close();
    }
    expect(await summaryRows()).toEqual(moved);
  });
});
