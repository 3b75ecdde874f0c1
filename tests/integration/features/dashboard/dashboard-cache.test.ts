import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { databaseGeneration, getDb } from "~/server/db.server";
import { loader } from "~/routes/_app._index";
import { action as boardAction } from "~/routes/_app.plans.$planId._index";
import { action as listAction } from "~/routes/_app.plans._index";
import { action as settingsAction } from "~/routes/_app.admin.settings";
import { createItem, getPlan, updateItem } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

/**
 * A dashboard's figures are kept between views until the database changes: each test views the
 * dashboard, changes one input the way the app changes it (an import in its own connection, a
 * plan edit, a setting, the business date) and expects the next view to show the change at once.
 * Scope rules stay those of the uncached page.
 */

type Unwrap<T> = T extends { data: infer D; init: ResponseInit | null } ? D : T;
type Loaded = Unwrap<Awaited<ReturnType<typeof loader>>>;
type DashboardPage = Extract<Loaded, { kind: "dashboard" }>;

const TODAY = "2025-07-31";
const cookies = { head: "", staff: "", leader: "", admin: "" };
const ids = { head: 0, staff: 0 };

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  ids.head = head.id;
  ids.staff = staff.id;
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function dashboard(query: string, cookie: string): Promise<DashboardPage> {
  const result = await call(loader, get(`/${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  const page = payloadOf<Loaded>(result);
  if (page.kind !== "dashboard") throw new Error(`expected the dashboard, got ${page.kind}`);
  return page;
}

function card(page: DashboardPage, key: string) {
  const found = page.dashboard?.headline.cards.find((candidate) => candidate.key === key);
  if (!found) throw new Error(`no ${key} card`);
  return found;
}

describe("the dashboard's kept figures", () => {
  it("answers a repeated view from what it kept, writing nothing", async () => {
    const generation = await databaseGeneration(getDb());
    const first = await dashboard("", cookies.head);
    const second = await dashboard("", cookies.head);
    expect(second.dashboard).toEqual(first.dashboard);
    // the very same object: the figures were not computed again
    expect(second.dashboard).toBe(first.dashboard);
    expect(await databaseGeneration(getDb())).toBe(generation);
  });

  it("shows an import's invoice on the next view (the import writes through its own connection)", async () => {
    const before = card(await dashboard("", cookies.head), "ar_total").value as number;
    await importIntoTestDb([
      {
        kind: "invoices",
        source: csvSource("more-invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "CACHE-INV-1,FX001,2025-07-10,2025-08-09,1234.56"]),
      },
    ]);
    const after = card(await dashboard("", cookies.head), "ar_total").value as number;
    expect(after).toBe(before + 123_456);
  });

  it("shows a plan's new target on the next view after the item is edited", async () => {
    const created = await call(listAction, post("/plans", { intent: "create-plan", fiscalYear: "2025", quarter: "3", source: "empty", language: "en" }, cookies.head));
    expect(statusOf(created)).toBe(302);
    const planId = Number((created as Response).headers.get("Location")?.split("/").pop());
    const head = { id: ids.head, role: "head" as const };
    const fields = { title: "Company overdue down", category: "collection", ownerId: String(ids.head), dueDate: "2025-09-20", kpiKey: "overdue_total", kpiScope: "company" };
    await createItem(getDb(), head, planId, itemFieldsSchema.parse({ ...fields, kpiTarget: "20000" }), TODAY);
    const postBoard = (body: Record<string, string>, cookie: string) => call(boardAction, post(`/plans/${planId}`, body, cookie), { planId: String(planId) });
    expect(statusOf(await postBoard({ intent: "submit", version: String((await getPlan(getDb(), planId)).version) }, cookies.head))).toBe(302);
    // a draft or submitted plan is not on the dashboard
    expect((await dashboard("", cookies.head)).dashboard?.plan).toBeNull();
    expect(statusOf(await postBoard({ intent: "approve", version: String((await getPlan(getDb(), planId)).version), comment: "" }, cookies.leader))).toBe(302);

    const approved = await dashboard("", cookies.head);
    expect(approved.dashboard?.plan).toMatchObject({ id: planId, state: "approved" });
    expect(card(approved, "overdue_total").target).toMatchObject({ value: 2_000_000, source: "Company overdue down" });

    const item = (await getPlan(getDb(), planId)).items.find((candidate) => candidate.title === "Company overdue down");
    if (!item) throw new Error("the item is missing");
    await updateItem(getDb(), head, planId, item.id, item.version, itemFieldsSchema.parse({ ...fields, kpiTarget: "15000", reason: "Sharper target" }), TODAY);
    const edited = await dashboard("", cookies.head);
    expect(card(edited, "overdue_total").target).toMatchObject({ value: 1_500_000 });
  });

  it("follows a change of the fiscal year's first month at once", async () => {
    const before = await dashboard("?asOf=2025-06-30", cookies.head);
    expect(before.dashboard?.fiscalStartMonth).toBe(1);
    expect(before.dashboard?.headline.period).toEqual({ start: "2025-04-01", end: "2025-06-30" });
    expect(statusOf(await call(settingsAction, post("/admin/settings", { fiscalStartMonth: "2", basedOn: "1" }, cookies.admin)))).toBe(200);
    const after = await dashboard("?asOf=2025-06-30", cookies.head);
    expect(after.dashboard?.fiscalStartMonth).toBe(2);
    // quarters now begin in February, May, August and November
    expect(after.dashboard?.headline.period).toEqual({ start: "2025-05-01", end: "2025-06-30" });
    expect(statusOf(await call(settingsAction, post("/admin/settings", { fiscalStartMonth: "1", basedOn: "2" }, cookies.admin)))).toBe(200);
    expect((await dashboard("?asOf=2025-06-30", cookies.head)).dashboard?.headline.period).toEqual({ start: "2025-04-01", end: "2025-06-30" });
  });

  it("moves with the business date when no date is asked for", async () => {
    const today = await dashboard("", cookies.head);
    expect(today.dashboard?.headline.asOf).toBe(TODAY);
    vi.stubEnv("QUARTERDECK_TODAY", "2025-08-15");
    const later = await dashboard("", cookies.head);
    expect(later.form.asOf).toBe("2025-08-15");
    expect(later.dashboard?.headline.asOf).toBe("2025-08-15");
    expect(later.dashboard?.headline.period).toEqual({ start: "2025-07-01", end: "2025-08-15" });
  });

  it("keeps each viewer's scope rules: staff see their own customers named after the head's view was kept", async () => {
    const head = await dashboard("?scope=company", cookies.head);
    expect(head.dashboard?.topOverdue.ownCustomersOnly).toBe(false);
    expect(head.dashboard?.topOverdue.customers.map((c) => c.code)).toContain("FX002");

    const staff = await dashboard("?scope=company", cookies.staff);
    expect(staff.dashboard?.topOverdue.ownCustomersOnly).toBe(true);
    expect(staff.dashboard?.topOverdue.customers.map((c) => c.code)).toEqual(["FX001"]);
    // the same totals: the company's for both
    expect(card(staff, "ar_total").value).toBe(card(head, "ar_total").value);
    // and the scopes refused to staff stay refused, kept figures or not
    expect(statusOf(await call(loader, get("/?scope=region:East", cookies.head)))).toBe(200);
    expect(statusOf(await call(loader, get("/?scope=region:East", cookies.staff)))).toBe(403);
    expect(statusOf(await call(loader, get("/?scope=owner:head@demo.quarterdeck", cookies.staff)))).toBe(403);
  });
});
