import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { sweepWarnings } from "~/features/warnings/index.server";
import { action, loader } from "~/routes/_app.tasks";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";
import { presentNamed } from "../../../support/present";
import { itemRow } from "../../../support/plan-pages";
import { itemFields, planWithItems } from "../../../support/plans";

/**
 * My tasks is kept between views until the database changes: a repeated view is answered from
 * what was kept, and a ticked item, a new warning or an import that moves a linked KPI shows on
 * the very next view.
 */

const TODAY = "2025-08-05";
type Who = "head" | "staff" | "leader";
const actors = {} as Record<Who, Actor & { email: string }>;
const cookies = {} as Record<Who, string>;
const ids = { call: 0, linked: 0 };

type TasksData = Awaited<ReturnType<typeof loader>>;

async function tasks(who: Who): Promise<TasksData> {
  const result = await call(loader, get("/tasks", cookies[who]));
  expect(statusOf(result)).toBe(200);
  return payloadOf<TasksData>(result);
}

beforeAll(async () => {
  for (const role of ["head", "staff", "leader"] as const) {
    const user = await makeUser(role);
    actors[role] = { id: user.id, role, email: user.email };
    cookies[role] = await signIn(user.email);
  }
  await importLedgerFixture();
  const fields = (values: Record<string, string>) => itemFields({ ownerId: String(actors.staff.id), dueDate: "2025-09-15", ...values });
  const made = await planWithItems(
    getDb(),
    actors,
    { fiscalYear: 2025, quarter: 3 },
    [fields({ title: "Call Harbour Trading" }), fields({ title: "Bring overdue down", kpiKey: "overdue_total", kpiTarget: "1000" })],
    { approve: true, today: TODAY },
  );
  Object.assign(ids, presentNamed(["call", "linked"], made.itemIds));
});
beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("My tasks' kept figures", () => {
  it("answers a repeated view from what it kept, each viewer apart", async () => {
    const first = await tasks("staff");
    const again = await tasks("staff");
    // the very same lists: nothing was computed again
    expect(again.open).toBe(first.open);
    const head = await tasks("head");
    expect(head.open).not.toBe(first.open);
    expect(head.open).toEqual([]);
    expect(first.open.map((task) => task.title).sort()).toEqual(["Bring overdue down", "Call Harbour Trading"]);
  });

  it("shows an item ticked done at the next view", async () => {
    const before = await tasks("staff");
    expect(before.open.map((task) => task.id)).toContain(ids.call);
    const row = await itemRow(ids.call);
    const ticked = await call(action, post("/tasks", { intent: "set-status", itemId: String(ids.call), version: String(row.version), status: "done" }, cookies.staff));
    expect(statusOf(ticked)).toBe(302);
    const after = await tasks("staff");
    expect(after.open.map((task) => task.id)).toEqual([ids.linked]);
    expect(after.finished.map((task) => [task.id, task.status])).toEqual([[ids.call, "done"]]);
  });

  it("shows a new early warning on the owner's customer at the next view", async () => {
    const before = await tasks("staff");
    expect(before.warnings?.total).toBe(0);
    await importIntoTestDb([
      {
        kind: "customers",
        source: csvSource("customers.csv", ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days", `KEPT-1,Kept Co.,East,${actors.staff.email},B,100.00,30`]),
      },
      { kind: "invoices", source: csvSource("invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "KEPT-INV-1,KEPT-1,2025-08-01,2025-08-31,500.00"]) },
    ]);
    await sweepWarnings(getDb(), TODAY);
    const after = await tasks("staff");
    expect(after.warnings?.total).toBe(1);
    expect(after.warnings?.top.map((warning) => warning.customerCode)).toEqual(["KEPT-1"]);
  });

  it("shows a linked KPI moved by an import at the next view", async () => {
    const linked = async () => (await tasks("staff")).open.find((task) => task.id === ids.linked)?.kpi?.current ?? null;
    const current = await linked();
    expect(current).not.toBeNull();
    // an invoice already past due by the business date raises the company's overdue amount
    await importIntoTestDb([
      { kind: "invoices", source: csvSource("late.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "KEPT-INV-2,FX002,2025-06-01,2025-07-01,1234.56"]) },
    ]);
    expect(await linked()).toBe((current as number) + 123_456);
  });
});
