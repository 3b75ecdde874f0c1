import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { navigationFor } from "~/kernel/navigation";
import type { Actor } from "~/features/plans/lifecycle";
import { listAuditFor } from "~/features/audit/index.server";
import { setItemStatus } from "~/features/plans/plans.server";
import { action, loader } from "~/routes/_app.tasks";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { present, presentNamed } from "../../../support/present";
import { itemRow } from "../../../support/plan-pages";
import { clearPlans, itemFields, planWithItems } from "../../../support/plans";

// The fixture ledger is dated 2025; "today" is in its third quarter.
const TODAY = "2025-08-05";
type Who = "head" | "staff" | "otherStaff" | "leader" | "admin";
const actors = {} as Record<Who, Actor>;
const cookies = {} as Record<Who, string>;
const ids = { overdue: 0, soon: 0, later: 0, undated: 0, linked: 0, other: 0, head: 0, draft: 0, doneEarlier: 0 };

type TasksData = Awaited<ReturnType<typeof loader>>;
type Refused = { ok: false; message: string | null; fieldErrors: Record<string, string[]>; subjectId: number | null; current: { version: number } | null };

function fields(overrides: Record<string, string> = {}) {
  return itemFields({ title: "Task", ownerId: String(actors.staff.id), dueDate: "2025-09-15", ...overrides });
}

async function plan(fiscalYear: number, quarter: 1 | 2 | 3 | 4, specs: Record<string, string>[], approve: boolean) {
  return (await planWithItems(getDb(), actors, { fiscalYear, quarter }, specs.map(fields), { approve, today: TODAY })).itemIds;
}

async function tasks(who: Who): Promise<TasksData> {
  const result = await call(loader, get("/tasks", cookies[who]));
  expect(statusOf(result)).toBe(200);
  return payloadOf<TasksData>(result);
}

const tick = (who: Who, form: Record<string, string>) => call(action, post("/tasks", form, cookies[who]));

async function statusForm(id: number, status: string, extra: Record<string, string> = {}) {
  const row = await itemRow(id);
  return { intent: "set-status", itemId: String(id), version: String(row.version), status, ...extra };
}

beforeAll(async () => {
  for (const [who, role] of [["head", "head"], ["staff", "staff"], ["otherStaff", "staff"], ["leader", "leader"], ["admin", "admin"]] as const) {
    const user = await makeUser(role);
    actors[who] = { id: user.id, role };
    cookies[who] = await signIn(user.email);
  }
  await importLedgerFixture();
});

// Each test starts from the same two plans, made anew: the tests tick, block and note their items.
beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  await clearPlans(getDb());
  const made = await plan(
    2025,
    3,
    [
      { title: "Quarter-end reconciliation", dueDate: "2025-10-10" },
      { title: "Call Harbour Trading", dueDate: "2025-07-25" },
      { title: "Follow-up call", dueDate: "2025-09-30" },
      { title: "Statements to East region", dueDate: "2025-08-10" },
      { title: "Bring overdue down", dueDate: "2025-09-20", kpiKey: "overdue_total", kpiTarget: "1000" },
      { title: "Someone else's visit", ownerId: String(actors.otherStaff.id) },
      { title: "Head's review", ownerId: String(actors.head.id) },
      { title: "Already done", dueDate: "2025-07-15" },
    ],
    true
  );
  Object.assign(ids, presentNamed(["later", "overdue", "undated", "soon", "linked", "other", "head", "doneEarlier"], made));
  ids.draft = present((await plan(2025, 4, [{ title: "Draft plan item", dueDate: "2025-11-10" }], false))[0], "the draft item");
  const done = await itemRow(ids.doneEarlier);
  await setItemStatus(getDb(), actors.staff, ids.doneEarlier, done.version, { status: "done", reason: "", note: "" }, TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("My tasks", () => {
  it("is in the menu of those who own items: the head and staff", () => {
    const menu = (role: "head" | "staff" | "leader" | "admin") => navigationFor({ id: 1, role }).map((entry) => entry.to);
    expect(menu("head")).toContain("/tasks");
    expect(menu("staff")).toContain("/tasks");
    expect(menu("leader")).not.toContain("/tasks");
    expect(menu("admin")).not.toContain("/tasks");
  });

  it("lists the staff member's open items of approved plans, overdue first then due soonest, with KPI progress", async () => {
    const data = await tasks("staff");
    expect(data.ownsItems).toBe(true);
    expect(data.canCancel).toBe(false);
    expect(data.open.map((task) => task.title)).toEqual([
      "Call Harbour Trading",
      "Statements to East region",
      "Bring overdue down",
      "Follow-up call",
      "Quarter-end reconciliation",
    ]);
    expect(data.open.map((task) => task.overdue)).toEqual([true, false, false, false, false]);
    expect(data.finished.map((task) => [task.title, task.status])).toEqual([["Already done", "done"]]);
    const linked = data.open.find((task) => task.id === ids.linked)!;
    expect(linked.kpiLink).toMatchObject({ kpi: "overdue_total", baselineDate: "2025-06-30", target: 100_000 });
    expect(linked.kpi).toMatchObject({ measuredOn: TODAY, quarterStart: "2025-07-01" });
    // another owner's items and a draft plan's are not mine to do
    const all = [...data.open, ...data.finished].map((task) => task.id);
    expect(all).not.toContain(ids.other);
    expect(all).not.toContain(ids.draft);
  });

  it("shows the head their own items, the leader a friendly empty page, and refuses the administrator", async () => {
    const head = await tasks("head");
    expect(head.open.map((task) => task.id)).toEqual([ids.head]);
    expect(head.canCancel).toBe(true);
    const leader = await tasks("leader");
    expect(leader).toMatchObject({ ownsItems: false, open: [], finished: [] });
    expect(statusOf(await call(loader, get("/tasks", cookies.admin)))).toBe(403);
    expect(statusOf(await tick("admin", await statusForm(ids.soon, "done")))).toBe(403);
  });

  it("ticks an item done with a note without JavaScript: redirect back to the row, note kept, audit written", async () => {
    const result = await tick("staff", await statusForm(ids.soon, "done", { note: "All statements sent" }));
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toBe(`/tasks#item-${ids.soon}`);
    expect(await itemRow(ids.soon)).toMatchObject({ status: "done", done_on: TODAY });
    const notes = await getDb().selectFrom("plan_comments").selectAll().where("item_id", "=", ids.soon).execute();
    expect(notes).toMatchObject([{ kind: "note", body: "All statements sent", author_id: actors.staff.id }]);
    const audit = await listAuditFor(getDb(), "plan_item", ids.soon);
    expect(audit[0]).toMatchObject({ action: "status" });
    expect(JSON.parse(present(audit[0]?.after, "the status entry"))).toMatchObject({ status: "done", note: "All statements sent" });
    const data = await tasks("staff");
    expect(data.open.map((task) => task.id)).not.toContain(ids.soon);
    expect(data.finished.map((task) => task.id)).toContain(ids.soon);
  });

  it("ticks an item done without a note through a fetcher, and a second identical post is not a conflict", async () => {
    const form = await statusForm(ids.undated, "done", { via: "fetcher" });
    const result = await tick("staff", form);
    expect(statusOf(result)).toBe(200);
    expect(payloadOf(result)).toEqual({ ok: true, intent: "set-status", itemId: ids.undated });
    const row = await itemRow(ids.undated);
    expect(row.status).toBe("done");
    // the same form posted twice (a double click): accepted, nothing changes
    expect(statusOf(await tick("staff", form))).toBe(200);
    expect(await itemRow(ids.undated)).toEqual(row);
    expect(await getDb().selectFrom("plan_comments").select("id").where("item_id", "=", ids.undated).execute()).toEqual([]);
  });

  it("needs a reason to block, and staff may not cancel", async () => {
    const before = await itemRow(ids.later);
    const noReason = await tick("staff", await statusForm(ids.later, "blocked", { reason: "" }));
    expect(statusOf(noReason)).toBe(400);
    expect(payloadOf<Refused>(noReason)).toMatchObject({ subjectId: ids.later, fieldErrors: { reason: ["item.error.blockedNeedsReason"] } });
    const cancel = await tick("staff", await statusForm(ids.later, "cancelled"));
    expect(statusOf(cancel)).toBe(403);
    expect(await (cancel as Response).text()).toBe("item.error.onlyHeadCancels");
    expect(await itemRow(ids.later)).toEqual(before);

    expect(statusOf(await tick("staff", await statusForm(ids.later, "blocked", { reason: "Customer disputes the balance" })))).toBe(302);
    expect(await itemRow(ids.later)).toMatchObject({ status: "blocked", blocked_reason: "Customer disputes the balance" });
    const data = await tasks("staff");
    expect(data.open.find((task) => task.id === ids.later)).toMatchObject({ status: "blocked", blockedReason: "Customer disputes the balance" });
  });

  it("adds a note to my own item only", async () => {
    const ok = await tick("staff", { intent: "note", itemId: String(ids.overdue), body: "Called, promised to pay Friday" });
    expect(statusOf(ok)).toBe(302);
    expect(await getDb().selectFrom("plan_comments").select(["kind", "body"]).where("item_id", "=", ids.overdue).execute()).toEqual([
      { kind: "note", body: "Called, promised to pay Friday" },
    ]);
    const empty = await tick("staff", { intent: "note", itemId: String(ids.overdue), body: "  " });
    expect(statusOf(empty)).toBe(400);
    expect(payloadOf<Refused>(empty).fieldErrors.body).toEqual(["validation.required"]);
    expect(statusOf(await tick("staff", { intent: "note", itemId: String(ids.other), body: "Not mine" }))).toBe(403);
    expect(statusOf(await tick("leader", { intent: "note", itemId: String(ids.overdue), body: "Leader" }))).toBe(403);
    expect(await getDb().selectFrom("plan_comments").select("id").where("item_id", "=", ids.other).execute()).toEqual([]);
  });

  it("refuses another's item, the leader, forged and stale posts, and changes nothing", async () => {
    const other = await itemRow(ids.other);
    const mine = await itemRow(ids.overdue);
    expect(statusOf(await tick("staff", await statusForm(ids.other, "done")))).toBe(403);
    expect(statusOf(await tick("leader", await statusForm(ids.overdue, "done")))).toBe(403);
    expect(statusOf(await tick("staff", { intent: "delete-everything", itemId: String(ids.overdue) }))).toBe(400);
    expect(statusOf(await tick("staff", { intent: "set-status", itemId: String(ids.overdue), status: "done" }))).toBe(400);
    expect(statusOf(await tick("staff", { intent: "set-status", itemId: "999999", version: "1", status: "done" }))).toBe(404);
    expect(statusOf(await tick("staff", await statusForm(ids.overdue, "done-ish")))).toBe(400);

    const stale = await tick("staff", { ...(await statusForm(ids.overdue, "in_progress")), version: String(mine.version - 1 || 99) });
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf<Refused>(stale)).toMatchObject({ message: "plans.error.conflict", current: { version: mine.version } });

    const draft = await tick("staff", await statusForm(ids.draft, "done"));
    expect(statusOf(draft)).toBe(409);
    expect(await itemRow(ids.other)).toEqual(other);
    expect(await itemRow(ids.overdue)).toEqual(mine);
  });
});
