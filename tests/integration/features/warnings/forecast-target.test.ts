import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays } from "~/kernel/dates";
import { sweepWarnings, warningsJob } from "~/features/warnings/index.server";
import type { PushPlan } from "~/features/forecast/push.server";
import { loader as pushLoader } from "~/routes/_app.forecast_.push";
import { loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { loader as listLoader } from "~/routes/_app.warnings._index";
import { loader as warningLoader } from "~/routes/_app.warnings.$warningId";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { rememberWordings } from "~/features/settings/index.server";
import { action as rulesAction, loader as rulesLoader } from "~/routes/_app.warnings.rules";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { catchUpForecastInputs } from "~/features/forecast/index.server";
import { forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";
import { makePlan } from "../../../support/plans";
import { warningRulesPost } from "../../../support/warning-rules";

/**
 * The early warning "a forecast that misses a plan target" on the forecast's small ledger: every
 * open invoice is overdue long before an item due in 24 days, so overdue projected there stays
 * far above a target of 500.00; a target of 100,000.00 is met.
 */
const owners = forecastLedgerOwners("warnfc");
const cookies = { head: "", staffA: "", staffB: "", leader: "" };
const people = { a: 0, b: 0 };
const items = { overdue: 0, dso: 0, receivables: 0, ownerB: 0 };
let planId = 0;
let dueDate = "";

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  people.a = (await makeUser("staff", { email: owners.a })).id;
  people.b = (await makeUser("staff", { email: owners.b })).id;
  await importForecastLedger(owners);
  // the background job sums the payments by month; the projections read that, never the paid dates
  await catchUpForecastInputs(getDb());
  Object.assign(cookies, { head: await signIn(head.email), staffA: await signIn(owners.a), staffB: await signIn(owners.b), leader: await signIn(leader.email) });
  dueDate = addDays(today(), 24);
  const month = Number(dueDate.slice(5, 7));
  const made = await makePlan(
    getDb(),
    { head: head.email, leader: leader.email },
    {
      fiscalYear: Number(dueDate.slice(0, 4)),
      quarter: Math.ceil(month / 3) as 1 | 2 | 3 | 4,
      items: [
        { title: "Clear the overdue", dueDate, owner: owners.a, kpi: { key: "overdue_total", scope: "company", target: "500.00" } },
        { title: "Bring DSO down", dueDate, owner: owners.a, kpi: { key: "dso", scope: "company", target: "100000" } },
        { title: "Receivables down", dueDate, owner: owners.a, kpi: { key: "ar_total", scope: "company", target: "100000000.00" } },
        { title: "Owner B's overdue", dueDate, owner: owners.b, kpi: { key: "overdue_total", scope: `owner:${owners.b}`, target: "0" } },
      ],
    },
    today(),
  );
  planId = made.planId;
  [items.overdue, items.dso, items.receivables, items.ownerB] = made.itemIds as [number, number, number, number];
});

const forecastWarnings = () => getDb().selectFrom("warnings").selectAll().where("rule_kind", "=", "forecast_misses_target").orderBy("id").execute();
const activeFor = async (itemId: number) =>
  getDb().selectFrom("warnings").selectAll().where("subject_key", "=", `item:${itemId}`).where("state", "!=", "resolved").executeTakeFirst();

const seeded = { params: "", severity: "warning" as "info" | "warning" | "critical", enabled: 1 };
beforeAll(async () => {
  const row = await getDb().selectFrom("warning_rules").select(["params", "severity", "enabled"]).where("kind", "=", "forecast_misses_target").executeTakeFirstOrThrow();
  Object.assign(seeded, row);
});
beforeEach(async () => {
  const db = getDb();
  await db.deleteFrom("warnings").execute();
  await db.updateTable("warning_rules").set({ ...seeded, updated_by: null }).where("kind", "=", "forecast_misses_target").execute();
  await db.updateTable("plan_items").set({ status: "todo", kpi_target: 50_000 }).where("id", "=", items.overdue).execute();
  await db.updateTable("plans").set({ state: "draft" }).where("id", "=", planId).execute();
});

describe("the sweep", () => {
  it("raises a warning for the item whose projected overdue misses its target, owned by the item's owner, with the push page's figures", async () => {
    await sweepWarnings(getDb(), today());
    const rows = await forecastWarnings();
    // DSO and receivables meet their generous targets
    expect(rows.map((row) => row.subject_key).sort()).toEqual([`item:${items.overdue}`, `item:${items.ownerB}`].sort());
    const overdue = rows.find((row) => row.subject_key === `item:${items.overdue}`);
    expect(overdue).toMatchObject({ severity: "warning", owner_id: people.a, customer_id: null, invoice_id: null, state: "open", raised_on: today() });
    const push = payloadOf<PushPlan>(await call(pushLoader, get(`/forecast/push?item=${items.overdue}`, cookies.head)));
    const projected = push.projection.overdue;
    expect(projected).toBeGreaterThan(50_000);
    expect(JSON.parse(overdue?.reasons ?? "")).toEqual([
      {
        key: "warnings.reason.forecastOverdue",
        params: { item: "Clear the overdue", planId, itemId: items.overdue, dueDate, projectedAmount: projected, targetAmount: 50_000, gapAmount: projected - 50_000 },
      },
    ]);
    expect(rows.find((row) => row.subject_key === `item:${items.ownerB}`)?.owner_id).toBe(people.b);
  });

  it("names an item whose title came from built-in text in the reader's language, on the list, its page and My tasks", async () => {
    await rememberWordings(getDb(), [{ entity: "plan_item", entityId: items.ownerB, field: "title", wordings: { en: "Owner B's overdue", zh: "乙负责人的逾期" } }]);
    try {
      await sweepWarnings(getDb(), today());
      const warning = (await forecastWarnings()).find((row) => row.subject_key === `item:${items.ownerB}`)!;
      // the reason keeps the title as it was raised
      expect(JSON.parse(warning.reasons)[0].params.item).toBe("Owner B's overdue");
      type List = { rows: { id: number; reasons: string }[] };
      const titleIn = (reasons: string) => JSON.parse(reasons)[0].params.item;
      const listed = async () => titleIn(payloadOf<List>(await call(listLoader, get("/warnings", cookies.staffB))).rows.find((row) => row.id === warning.id)!.reasons);
      const page = async () => titleIn(payloadOf<{ warning: { reasons: string } }>(await call(warningLoader, get(`/warnings/${warning.id}`, cookies.staffB), { warningId: String(warning.id) })).warning.reasons);
      const tasks = async () =>
        titleIn(payloadOf<{ warnings: { top: { id: number; reasons: string }[] } }>(await call(tasksLoader, get("/tasks", cookies.staffB))).warnings.top.find((row) => row.id === warning.id)!.reasons);
      expect([await listed(), await page(), await tasks()]).toEqual(["Owner B's overdue", "Owner B's overdue", "Owner B's overdue"]);
      await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", people.b).execute();
      expect([await listed(), await page(), await tasks()]).toEqual(["乙负责人的逾期", "乙负责人的逾期", "乙负责人的逾期"]);
    } finally {
      await getDb().updateTable("users").set({ locale: "en" }).where("id", "=", people.b).execute();
      await getDb().deleteFrom("built_in_texts").where("entity", "=", "plan_item").where("entity_id", "=", items.ownerB).execute();
    }
  });

  it("staff see the warning of their own item only; the head sees both", async () => {
    await sweepWarnings(getDb(), today());
    type List = { rows: { kind: string; reasons: string }[] };
    const mine = payloadOf<List>(await call(listLoader, get("/warnings", cookies.staffB))).rows.filter((row) => row.kind === "forecast_misses_target");
    expect(mine.map((row) => JSON.parse(row.reasons)[0].params.item)).toEqual(["Owner B's overdue"]);
    const all = payloadOf<List>(await call(listLoader, get("/warnings", cookies.head))).rows.filter((row) => row.kind === "forecast_misses_target");
    expect(all).toHaveLength(2);
  });

  it("closes the warning once the target is met, and when the item is done", async () => {
    await sweepWarnings(getDb(), today());
    const first = await activeFor(items.overdue);
    expect(first).toBeDefined();
    await getDb().updateTable("plan_items").set({ kpi_target: 10_000_000 }).where("id", "=", items.overdue).execute();
    await sweepWarnings(getDb(), today());
    expect(await activeFor(items.overdue)).toBeUndefined();
    expect(await getDb().selectFrom("warnings").select(["state", "resolution"]).where("id", "=", first?.id ?? 0).executeTakeFirstOrThrow()).toEqual({ state: "resolved", resolution: "cleared" });

    await getDb().updateTable("plan_items").set({ kpi_target: 50_000 }).where("id", "=", items.overdue).execute();
    await sweepWarnings(getDb(), today());
    const again = await activeFor(items.overdue);
    expect(again?.id).toBeGreaterThan(first?.id ?? 0);
    await getDb().updateTable("plan_items").set({ status: "done" }).where("id", "=", items.overdue).execute();
    await sweepWarnings(getDb(), today());
    expect(await activeFor(items.overdue)).toBeUndefined();
  });

  it("closes every item's warning when the plan is closed, and watches an approved plan as a draft", async () => {
    await getDb().updateTable("plans").set({ state: "approved" }).where("id", "=", planId).execute();
    await sweepWarnings(getDb(), today());
    expect(await forecastWarnings()).toHaveLength(2);
    await getDb().updateTable("plans").set({ state: "closed" }).where("id", "=", planId).execute();
    expect(await sweepWarnings(getDb(), today())).toMatchObject({ closed: 2 });
    expect((await forecastWarnings()).every((row) => row.state === "resolved" && row.resolution === "cleared")).toBe(true);
  });

  it("a tolerance wider than the miss keeps quiet; the rule switched off closes its warnings", async () => {
    await sweepWarnings(getDb(), today());
    expect(await forecastWarnings()).toHaveLength(2);
    // Owner B's target is 0: any projected overdue misses it, whatever the tolerance
    await getDb().updateTable("warning_rules").set({ params: JSON.stringify({ tolerancePercent: 100 }) }).where("kind", "=", "forecast_misses_target").execute();
    await getDb().updateTable("plan_items").set({ kpi_target: 1_000_000 }).where("id", "=", items.overdue).execute();
    await sweepWarnings(getDb(), today());
    expect((await forecastWarnings()).filter((row) => row.state !== "resolved").map((row) => row.subject_key)).toEqual([`item:${items.ownerB}`]);
    await getDb().updateTable("warning_rules").set({ enabled: 0 }).where("kind", "=", "forecast_misses_target").execute();
    await sweepWarnings(getDb(), today());
    expect((await forecastWarnings()).find((row) => row.subject_key === `item:${items.ownerB}`)).toMatchObject({ state: "resolved", resolution: "rule_off" });
  });

  it("the background job raises it without a request; reading the item and warnings pages never does", async () => {
    await call(itemLoader, get(`/plans/${planId}/items/${items.overdue}`, cookies.head), { planId: String(planId), itemId: String(items.overdue) });
    await call(listLoader, get("/warnings", cookies.head));
    expect(await forecastWarnings()).toEqual([]);
    await warningsJob(getDb(), () => today()).run();
    expect((await forecastWarnings()).map((row) => row.subject_key).sort()).toEqual([`item:${items.overdue}`, `item:${items.ownerB}`].sort());
  });
});

describe("the rules page", () => {
  const ruleRow = () => getDb().selectFrom("warning_rules").selectAll().where("kind", "=", "forecast_misses_target").executeTakeFirstOrThrow();

  it("shows the new rule, seeded on with a 5 % tolerance", async () => {
    const { rules } = payloadOf<{ rules: { kind: string; enabled: boolean; severity: string; params: unknown }[] }>(await call(rulesLoader, get("/warnings/rules", cookies.head)));
    expect(rules.find((rule) => rule.kind === "forecast_misses_target")).toEqual({ kind: "forecast_misses_target", enabled: true, severity: "warning", params: { tolerancePercent: 5 } });
  });

  it("the head changes the tolerance and severity: saved, and the next sweep raises with that severity", async () => {
    const fields = await warningRulesPost((f) => {
      f["rules.forecast_misses_target.tolerancePercent"] = "12";
      f["rules.forecast_misses_target.severity"] = "critical";
    });
    expect(payloadOf(await call(rulesAction, post("/warnings/rules", fields, cookies.head)))).toEqual({ ok: true, changed: true });
    expect(await ruleRow()).toMatchObject({ params: JSON.stringify({ tolerancePercent: 12 }), severity: "critical", enabled: 1 });
    await sweepWarnings(getDb(), today());
    expect((await forecastWarnings()).map((row) => row.severity)).toEqual(["critical", "critical"]);
  });

  it("refuses a tolerance out of range, not a number or missing, and staff, changing nothing", async () => {
    const before = await getDb().selectFrom("warning_rules").selectAll().orderBy("kind").execute();
    for (const bad of ["101", "-1", "five", "2.5", ""]) {
      const fields = await warningRulesPost((f) => (f["rules.forecast_misses_target.tolerancePercent"] = bad));
      const refused = await call(rulesAction, post("/warnings/rules", fields, cookies.head));
      expect(statusOf(refused)).toBe(400);
      expect(Object.keys(payloadOf<{ fieldErrors: Record<string, unknown> }>(refused).fieldErrors)).toEqual(["rules.forecast_misses_target.tolerancePercent"]);
    }
    const missing = await warningRulesPost((f) => delete f["rules.forecast_misses_target.tolerancePercent"]);
    expect(statusOf(await call(rulesAction, post("/warnings/rules", missing, cookies.head)))).toBe(400);
    const good = await warningRulesPost((f) => (f["rules.forecast_misses_target.tolerancePercent"] = "20"));
    expect(statusOf(await call(rulesAction, post("/warnings/rules", good, cookies.staffA)))).toBe(403);
    expect(await getDb().selectFrom("warning_rules").selectAll().orderBy("kind").execute()).toEqual(before);
  });
});
