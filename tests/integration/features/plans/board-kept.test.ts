import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { action as listAction } from "~/routes/_app.plans._index";
import { loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { createItem, getPlan, updateItem } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

/** A plan's board is kept between views until the database changes: an edit or an import shows at once. */

type BoardData = Awaited<ReturnType<typeof boardLoader>>;
const TODAY = "2025-07-31";
const cookies = { head: "", staff: "" };
const ids = { head: 0, plan: 0 };

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  ids.head = head.id;
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const created = await call(listAction, post("/plans", { intent: "create-plan", fiscalYear: "2025", quarter: "3", source: "empty", language: "en" }, cookies.head));
  ids.plan = Number((created as Response).headers.get("Location")?.split("/").pop());
  vi.unstubAllEnvs();
});
beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function board(cookie: string, query = ""): Promise<BoardData> {
  const result = await call(boardLoader, get(`/plans/${ids.plan}${query}`, cookie), { planId: String(ids.plan) });
  expect(statusOf(result)).toBe(200);
  return payloadOf<BoardData>(result);
}

describe("the plan board's kept figures", () => {
  it("answers a repeated view from what it kept; an item edit and an import show on the next view", async () => {
    const head = { id: ids.head, role: "head" as const };
    const fields = { title: "Company overdue down", category: "collection", ownerId: String(ids.head), dueDate: "2025-09-20", kpiKey: "overdue_total", kpiScope: "company", kpiTarget: "20000" };
    await createItem(getDb(), head, ids.plan, itemFieldsSchema.parse(fields), TODAY);
    const first = await board(cookies.head);
    expect(await board(cookies.head)).toBe(first);
    const current = first.items[0]?.kpi?.current ?? null;
    expect(current).not.toBeNull();

    const item = (await getPlan(getDb(), ids.plan)).items[0];
    if (!item) throw new Error("no item");
    await updateItem(getDb(), head, ids.plan, item.id, item.version, itemFieldsSchema.parse({ ...fields, title: "Company overdue down by a third" }), TODAY);
    const edited = await board(cookies.head);
    expect(edited.items.map((i) => i.title)).toEqual(["Company overdue down by a third"]);

    // an invoice already past due by the business date raises the item's current overdue amount
    await importIntoTestDb([
      {
        kind: "invoices",
        source: csvSource("late.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "BOARD-INV-1,FX002,2025-06-01,2025-07-01,1234.56"]),
      },
    ]);
    const imported = await board(cookies.head);
    expect(imported.items[0]?.kpi?.current).toBe((current as number) + 123_456);
  });

  it("keeps each viewer's and each filter's board apart", async () => {
    const head = await board(cookies.head);
    const staff = await board(cookies.staff);
    expect(staff).not.toBe(head);
    expect(head.may.addItem).toBe(true);
    expect(staff.may.addItem).toBe(false);
    const done = await board(cookies.head, "?status=done");
    expect(done.items).toEqual([]);
    expect(head.items).toHaveLength(1);
  });
});
