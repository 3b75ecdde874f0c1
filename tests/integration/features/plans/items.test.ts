import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { createItem } from "~/features/plans/plans.server";
import { action as itemAction, loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { action as newAction, loader as newLoader } from "~/routes/_app.plans.$planId.items.new";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { itemRow } from "../../../support/plan-pages";
import { itemFields, planWithItems } from "../../../support/plans";
import { present, presentNamed } from "../../../support/present";

// The fixture ledger is dated 2025; "today" is in its third quarter.
const TODAY = "2025-07-31";
type Who = "head" | "staff" | "otherStaff" | "leader" | "admin";
const actors = {} as Record<Who, Actor>;
const cookies = {} as Record<Who, string>;
const plans = { approved: 0, draft: 0, future: 0 };
const items = { staffOwn: 0, staffOther: 0, otherStaff: 0, kpi: 0, draft: 0, future: 0, headEdit: 0 };

type ItemData = Awaited<ReturnType<typeof itemLoader>>;
type Refused = { ok: false; intent: string; message: string | null; fieldErrors: Record<string, string[]>; current: { version: number; title: string; status: string } | null };

function fields(overrides: Record<string, string> = {}) {
  return itemFields({ title: "Chase overdue", ownerId: String(actors.staff.id), dueDate: "2025-09-15", ...overrides });
}

async function approvedPlan(fiscalYear: number, quarter: 1 | 2 | 3 | 4, specs: Record<string, string>[], approve = true) {
  const made = await planWithItems(getDb(), actors, { fiscalYear, quarter }, specs.map(fields), { approve, today: TODAY });
  return { planId: made.planId, ids: made.itemIds };
}
const commentCount = () => getDb().selectFrom("plan_comments").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow().then((r) => Number(r.n));
const path = (planId: number, itemId: number | string) => `/plans/${planId}/items/${itemId}`;
const params = (planId: number, itemId: number | string) => ({ planId: String(planId), itemId: String(itemId) });

async function page(who: Who, planId: number, itemId: number): Promise<ItemData> {
  const result = await call(itemLoader, get(path(planId, itemId), cookies[who]), params(planId, itemId));
  expect(statusOf(result)).toBe(200);
  return payloadOf<ItemData>(result);
}

function postItem(who: Who, planId: number, itemId: number | string, form: Record<string, string>) {
  return call(itemAction, post(path(planId, itemId), form, cookies[who]), params(planId, itemId));
}

beforeAll(async () => {
  for (const [who, role] of [["head", "head"], ["staff", "staff"], ["otherStaff", "staff"], ["leader", "leader"], ["admin", "admin"]] as const) {
    const user = await makeUser(role);
    actors[who] = { id: user.id, role };
    cookies[who] = await signIn(user.email);
  }
  await importLedgerFixture();
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const approved = await approvedPlan(2025, 3, [
    { title: "Call Harbour Trading", dueDate: "2025-07-20", customers: "FX001 FX002" },
    { title: "Reconcile FX002", dueDate: "2025-08-20" },
    { title: "Visit East region", ownerId: String(actors.otherStaff.id) },
    { title: "Bring DSO down", kpiKey: "dso", kpiTarget: "30" },
    { title: "Head's own review", ownerId: String(actors.head.id) },
  ]);
  plans.approved = approved.planId;
  Object.assign(items, presentNamed(["staffOwn", "staffOther", "otherStaff", "kpi", "headEdit"], approved.ids));
  const draft = await approvedPlan(2025, 2, [{ title: "Draft item", dueDate: "2025-05-10" }], false);
  plans.draft = draft.planId;
  items.draft = present(draft.ids[0], "the draft item");
  const future = await approvedPlan(2025, 4, [{ title: "Q4 overdue push", dueDate: "2025-11-10", kpiKey: "overdue_total", kpiTarget: "1000" }], false);
  plans.future = future.planId;
  items.future = present(future.ids[0], "the future item");
  vi.unstubAllEnvs();
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the item page", () => {
  it("shows the item, its KPI progress and what each role may do", async () => {
    const head = await page("head", plans.approved, items.kpi);
    expect(head.item.title).toBe("Bring DSO down");
    expect(head.item.kpiLink).toMatchObject({ kpi: "dso", baselineDate: "2025-06-30", target: 30, better: "down" });
    expect(head.kpi).toMatchObject({ measuredOn: TODAY, provisional: false, quarterStart: "2025-07-01" });
    expect(head.may).toEqual({ edit: true, delete: false, updateStatus: true, note: true, comment: true, cancel: true });
    expect(head.owners.length).toBeGreaterThan(0);

    const staff = await page("staff", plans.approved, items.staffOwn);
    expect(staff.overdue).toBe(true);
    expect(staff.item.customers).toEqual(["FX001", "FX002"]);
    expect(staff.may).toMatchObject({ edit: false, delete: false, updateStatus: true, note: true, comment: true, cancel: false });
    expect(staff.owners).toEqual([]);
    expect((await page("staff", plans.approved, items.otherStaff)).may).toMatchObject({ updateStatus: false, note: false, comment: true });
    expect((await page("leader", plans.approved, items.staffOwn)).may).toMatchObject({ edit: false, updateStatus: false, note: false, comment: true });
  });

  it("says a baseline taken before the quarter is provisional", async () => {
    const data = await page("head", plans.future, items.future);
    expect(data.item.kpiLink?.baselineDate).toBe(TODAY);
    expect(data.kpi).toMatchObject({ provisional: true, quarterStart: "2025-10-01" });
    expect(data.may).toMatchObject({ edit: true, delete: true, updateStatus: false });
  });

  it("is 404 for an unknown item, a malformed id or another plan's item, and 403 for the administrator", async () => {
    for (const [planId, itemId] of [
      [plans.approved, 999_999],
      [plans.draft, items.staffOwn],
    ] as const) {
      expect(statusOf(await call(itemLoader, get(path(planId, itemId), cookies.head), params(planId, itemId)))).toBe(404);
    }
    expect(statusOf(await call(itemLoader, get(path(plans.approved, "1x"), cookies.head), params(plans.approved, "1x")))).toBe(404);
    expect(statusOf(await call(itemLoader, get(path(plans.approved, items.staffOwn), cookies.admin), params(plans.approved, items.staffOwn)))).toBe(403);
  });
});

describe("status, notes and comments on the item page", () => {
  it("staff tick their own item done without JavaScript (redirect back) and with a fetcher (data)", async () => {
    const before = await itemRow(items.staffOther);
    const result = await postItem("staff", plans.approved, items.staffOther, {
      intent: "set-status", itemId: String(items.staffOther), version: String(before.version), status: "in_progress", reason: "", note: "",
    });
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toBe(path(plans.approved, items.staffOther));
    const row = await itemRow(items.staffOther);
    expect(row).toMatchObject({ status: "in_progress", version: before.version + 1 });

    const viaFetcher = await postItem("staff", plans.approved, items.staffOther, {
      intent: "set-status", itemId: String(items.staffOther), version: String(row.version), status: "done", note: "Statement signed", via: "fetcher",
    });
    expect(statusOf(viaFetcher)).toBe(200);
    expect(payloadOf(viaFetcher)).toMatchObject({ ok: true, itemId: items.staffOther });
    expect(await itemRow(items.staffOther)).toMatchObject({ status: "done", done_on: TODAY });
    const history = (await page("staff", plans.approved, items.staffOther)).history;
    expect(history[0]).toMatchObject({ action: "status", text: "Statement signed", changes: [{ field: "status", before: "in_progress", after: "done" }] });
  });

  it("refuses staff another's item and any edit, and changes nothing", async () => {
    const before = await itemRow(items.otherStaff);
    const comments = await commentCount();
    const status = await postItem("staff", plans.approved, items.otherStaff, {
      intent: "set-status", itemId: String(items.otherStaff), version: String(before.version), status: "done",
    });
    expect(statusOf(status)).toBe(403);
    expect(await (status as Response).text()).toBe("item.error.forbidden");
    expect(statusOf(await postItem("staff", plans.approved, items.otherStaff, { intent: "note", itemId: String(items.otherStaff), body: "mine now" }))).toBe(403);
    const own = await itemRow(items.staffOwn);
    const update = await postItem("staff", plans.approved, items.staffOwn, {
      intent: "update-item", version: String(own.version), title: "Renamed by staff", category: "collection", reason: "because",
    });
    expect(statusOf(update)).toBe(403);
    expect(statusOf(await postItem("staff", plans.approved, items.staffOwn, { intent: "delete-item", version: String(own.version) }))).toBe(403);
    expect(await itemRow(items.otherStaff)).toEqual(before);
    expect(await itemRow(items.staffOwn)).toEqual(own);
    expect(await commentCount()).toBe(comments);
  });

  it("lets the leader comment but not change a status; the administrator does nothing", async () => {
    const comment = await postItem("leader", plans.approved, items.staffOwn, { intent: "comment", body: "Please call before Friday." });
    expect(statusOf(comment)).toBe(302);
    const data = await page("staff", plans.approved, items.staffOwn);
    expect(data.comments.map((c) => [c.kind, c.body])).toContainEqual(["comment", "Please call before Friday."]);
    expect(data.history[0]).toMatchObject({ action: "comment", text: "Please call before Friday." });

    const before = await itemRow(items.staffOwn);
    const status = await postItem("leader", plans.approved, items.staffOwn, {
      intent: "set-status", itemId: String(items.staffOwn), version: String(before.version), status: "done",
    });
    expect(statusOf(status)).toBe(403);
    expect(statusOf(await postItem("leader", plans.approved, items.staffOwn, { intent: "note", itemId: String(items.staffOwn), body: "x" }))).toBe(403);
    const comments = await commentCount();
    const forms: Record<string, string>[] = [
      { intent: "comment", body: "admin" },
      { intent: "set-status", itemId: String(items.staffOwn), version: String(before.version), status: "done" },
      { intent: "update-item", version: String(before.version), title: "Admin", category: "other" },
    ];
    for (const form of forms) {
      expect(statusOf(await postItem("admin", plans.approved, items.staffOwn, form))).toBe(403);
    }
    expect(await itemRow(items.staffOwn)).toEqual(before);
    expect(await commentCount()).toBe(comments);
  });

  it("answers forged posts with 400 or 404 and changes nothing", async () => {
    const before = await itemRow(items.staffOwn);
    const comments = await commentCount();
    const version = String(before.version);
    const cases: [number, Record<string, string>, number, number][] = [
      [400, { intent: "rename-everything", title: "x" }, plans.approved, items.staffOwn],
      [400, { intent: "set-status", itemId: String(items.staffOwn), status: "done" }, plans.approved, items.staffOwn],
      [400, { intent: "update-item", title: "No version", category: "collection" }, plans.approved, items.staffOwn],
      // the body names another item than the URL
      [400, { intent: "set-status", itemId: String(items.staffOwn), version, status: "done" }, plans.approved, items.staffOther],
      // the URL puts the item under another plan
      [404, { intent: "set-status", itemId: String(items.staffOwn), version, status: "done" }, plans.draft, items.staffOwn],
      [404, { intent: "update-item", version, title: "Moved", category: "collection" }, plans.draft, items.staffOwn],
      [404, { intent: "comment", body: "Wrong plan" }, plans.draft, items.staffOwn],
    ];
    for (const [status, form, planId, itemId] of cases) {
      const who: Who = form.intent === "update-item" || form.intent === "rename-everything" ? "head" : "staff";
      expect(statusOf(await postItem(who, planId, itemId, form)), JSON.stringify(form)).toBe(status);
    }
    expect(await itemRow(items.staffOwn)).toEqual(before);
    expect(await commentCount()).toBe(comments);
  });

  it("refuses blocked without a reason at the field, and a status change on a draft plan with 409", async () => {
    const before = await itemRow(items.staffOwn);
    const blocked = await postItem("staff", plans.approved, items.staffOwn, {
      intent: "set-status", itemId: String(items.staffOwn), version: String(before.version), status: "blocked", reason: " ",
    });
    expect(statusOf(blocked)).toBe(400);
    expect(payloadOf<Refused>(blocked).fieldErrors.reason).toEqual(["item.error.blockedNeedsReason"]);
    expect(await itemRow(items.staffOwn)).toEqual(before);

    const draftRow = await itemRow(items.draft);
    const draft = await postItem("staff", plans.draft, items.draft, {
      intent: "set-status", itemId: String(items.draft), version: String(draftRow.version), status: "done",
    });
    expect(statusOf(draft)).toBe(409);
    expect(payloadOf<Refused>(draft).message).toBe("item.error.planNotApproved");
    expect(await itemRow(items.draft)).toEqual(draftRow);
  });
});

describe("editing an item (head)", () => {
  it("needs a reason on an approved plan, records the change field by field, and refuses a stale version with the current item", async () => {
    const start = await itemRow(items.headEdit);
    const form = {
      intent: "update-item",
      version: String(start.version),
      title: "Head's own review, extended",
      category: "audit",
      ownerId: String(actors.head.id),
      dueDate: "2025-09-30",
      customers: "FX003",
    };
    const noReason = await postItem("head", plans.approved, items.headEdit, form);
    expect(statusOf(noReason)).toBe(400);
    expect(payloadOf<Refused>(noReason).fieldErrors.reason).toEqual(["plan.error.changeNeedsReason"]);
    expect(await itemRow(items.headEdit)).toEqual(start);

    const saved = await postItem("head", plans.approved, items.headEdit, { ...form, reason: "Audit moved to September" });
    expect(statusOf(saved)).toBe(302);
    const data = await page("head", plans.approved, items.headEdit);
    expect(data.item).toMatchObject({ title: "Head's own review, extended", category: "audit", customers: ["FX003"], version: start.version + 1 });
    expect(data.history[0]).toMatchObject({ action: "changed", text: "Audit moved to September" });
    expect(present(data.history[0], "the newest history entry").changes).toEqual(
      expect.arrayContaining([
        { field: "title", before: "Head's own review", after: "Head's own review, extended" },
        { field: "category", before: "collection", after: "audit" },
        { field: "due_date", before: "2025-09-15", after: "2025-09-30" },
        { field: "customers", before: null, after: "FX003" },
      ])
    );
    expect(data.history.at(-1)).toMatchObject({ action: "created" });

    // a second person's form, opened before that save
    const current = await itemRow(items.headEdit);
    const stale = await postItem("head", plans.approved, items.headEdit, { ...form, title: "Someone else's title", reason: "late" });
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf<Refused>(stale)).toMatchObject({
      message: "plans.error.conflict",
      current: { version: current.version, title: "Head's own review, extended" },
    });
    expect(await itemRow(items.headEdit)).toEqual(current);

    const staleStatus = await postItem("head", plans.approved, items.headEdit, {
      intent: "set-status", itemId: String(items.headEdit), version: String(start.version), status: "in_progress",
    });
    expect(statusOf(staleStatus)).toBe(409);
    expect(payloadOf<Refused>(staleStatus).current).toMatchObject({ version: current.version, status: "todo" });
    expect(await itemRow(items.headEdit)).toEqual(current);
  });

  it("deletes an item of a draft plan only", async () => {
    const approved = await itemRow(items.headEdit);
    expect(statusOf(await postItem("head", plans.approved, items.headEdit, { intent: "delete-item", version: String(approved.version) }))).toBe(409);
    const draftId = await createItem(getDb(), actors.head, plans.draft, fields({ title: "To delete", dueDate: "2025-05-20" }), TODAY);
    const row = await itemRow(draftId);
    const deleted = await postItem("head", plans.draft, draftId, { intent: "delete-item", version: String(row.version) });
    expect(statusOf(deleted)).toBe(302);
    expect((deleted as Response).headers.get("Location")).toBe(`/plans/${plans.draft}`);
    expect(await getDb().selectFrom("plan_items").select("id").where("id", "=", draftId).executeTakeFirst()).toBeUndefined();
  });
});

describe("the new item page", () => {
  const newPath = (planId: number | string) => `/plans/${planId}/items/new`;

  it("is for the head only and 404 for an unknown plan", async () => {
    expect(statusOf(await call(newLoader, get(newPath(plans.draft), cookies.head), { planId: String(plans.draft) }))).toBe(200);
    for (const who of ["staff", "leader", "admin"] as const) {
      expect(statusOf(await call(newLoader, get(newPath(plans.draft), cookies[who]), { planId: String(plans.draft) }))).toBe(403);
      expect(statusOf(await call(newAction, post(newPath(plans.draft), { intent: "create-item", title: "x", category: "other" }, cookies[who]), { planId: String(plans.draft) }))).toBe(403);
    }
    expect(statusOf(await call(newLoader, get(newPath(999_999), cookies.head), { planId: "999999" }))).toBe(404);
    expect(statusOf(await call(newAction, post(newPath(999_999), { intent: "create-item", title: "x", category: "other" }, cookies.head), { planId: "999999" }))).toBe(404);
  });

  it("creates an item and goes back to the board at the new item; invalid input comes back at the fields", async () => {
    const invalid = await call(newAction, post(newPath(plans.draft), { intent: "create-item", title: " ", category: "collection", kpiKey: "dso", kpiScope: "customer" }, cookies.head), { planId: String(plans.draft) });
    expect(statusOf(invalid)).toBe(400);
    expect(payloadOf<Refused>(invalid).fieldErrors).toMatchObject({ title: ["validation.required"], kpiCustomer: ["plans.validation.customerScope"] });

    const outside = await call(newAction, post(newPath(plans.draft), { intent: "create-item", title: "Late", category: "collection", dueDate: "2025-12-01" }, cookies.head), { planId: String(plans.draft) });
    expect(statusOf(outside)).toBe(400);
    expect(payloadOf<Refused>(outside).fieldErrors.dueDate).toEqual(["plan.error.itemDueOutsideQuarter"]);

    const created = await call(
      newAction,
      post(newPath(plans.draft), { intent: "create-item", title: "Confirm balances with FX004", category: "reconciliation", ownerId: String(actors.staff.id), dueDate: "2025-06-10", customers: "FX004" }, cookies.head),
      { planId: String(plans.draft) }
    );
    expect(statusOf(created)).toBe(302);
    const location = (created as Response).headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/plans/${plans.draft}#item-\\d+$`));
    const row = await itemRow(Number(location.split("#item-")[1]));
    expect(row).toMatchObject({ title: "Confirm balances with FX004", owner_id: actors.staff.id, due_date: "2025-06-10" });
  });
});
