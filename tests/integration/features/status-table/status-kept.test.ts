import { describe, expect, it } from "vitest";

import { loader } from "~/routes/_app.status._index";
import { call, get, payloadOf, statusOf } from "../../../support/app";
import { keptPageSetUp } from "../../../support/kept-pages";
import { csvSource, importIntoTestDb } from "../../../support/ledger";

/** A status table page is kept between views until the database changes: an import shows at once. */

type Data = Awaited<ReturnType<typeof loader>>;
const cookies = keptPageSetUp("2025-07-31");

async function status(query: string, cookie: string): Promise<Data> {
  const result = await call(loader, get(`/status${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  return payloadOf<Data>(result);
}

describe("the status table's kept pages", () => {
  it("answers a repeated view from what it kept, and shows an import's invoice on the next view", async () => {
    const first = await status("?month=2025-07", cookies.head);
    expect(await status("?month=2025-07", cookies.head)).toBe(first);
    await importIntoTestDb([
      {
        kind: "invoices",
        source: csvSource("july.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "KEPT-INV-2,FX002,2025-07-10,2025-08-09,1234.56"]),
      },
    ]);
    const after = await status("?month=2025-07", cookies.head);
    expect(after.totals.closing).toBe(first.totals.closing + 123_456);
    expect(after.totals.billed).toBe(first.totals.billed + 123_456);
  });

  it("keeps staff to their own customers after the head's page was kept", async () => {
    const head = await status("?month=2025-07", cookies.head);
    const staff = await status("?month=2025-07", cookies.staff);
    expect(staff).not.toBe(head);
    expect(staff.ownerFilter).toBe(false);
    expect(staff.rows.length).toBeLessThan(head.rows.length);
  });

  it("keeps each filter and page apart", async () => {
    const all = await status("?month=2025-07", cookies.head);
    const overdue = await status("?month=2025-07&overdue=1", cookies.head);
    expect(overdue).not.toBe(all);
    expect(overdue.state.filters.overdueOnly).toBe(true);
    expect(all.state.filters.overdueOnly).toBe(false);
  });
});
