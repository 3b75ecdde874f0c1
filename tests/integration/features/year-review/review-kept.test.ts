import { describe, expect, it } from "vitest";

import { loader } from "~/routes/_app.review.$fiscalYear";
import { call, get, payloadOf, statusOf } from "../../../support/app";
import { keptPageSetUp } from "../../../support/kept-pages";
import { csvSource, importIntoTestDb } from "../../../support/ledger";

/** A year's review is kept between views until the database changes: an import shows at once. */

type Data = Awaited<ReturnType<typeof loader>>;
const cookies = keptPageSetUp("2026-02-15");

async function review(cookie: string): Promise<Data> {
  const result = await call(loader, get("/review/2025", cookie), { fiscalYear: "2025" });
  expect(statusOf(result)).toBe(200);
  return payloadOf<Data>(result);
}

describe("the year review's kept figures", () => {
  it("answers a repeated view from what it kept, and shows an import's unpaid invoice on the next view", async () => {
    const first = await review(cookies.head);
    expect((await review(cookies.head)).review).toBe(first.review);
    const before = first.review.receivables.overdue.year.atEnd ?? 0;
    await importIntoTestDb([
      {
        kind: "invoices",
        source: csvSource("late.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "KEPT-INV-1,FX002,2025-06-01,2025-07-01,1234.56"]),
      },
    ]);
    const after = await review(cookies.head);
    expect(after.review.receivables.overdue.year.atEnd).toBe(before + 123_456);
  });

  it("keeps each viewer's own review: staff's is computed for staff", async () => {
    const head = await review(cookies.head);
    const staff = await review(cookies.staff);
    expect(staff.review).not.toBe(head.review);
    expect(staff.may).toEqual({ comment: false, draft: false, report: false });
    expect(head.may).toEqual({ comment: false, draft: true, report: true });
  });
});
