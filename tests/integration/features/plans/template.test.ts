import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { PLAN_TEMPLATE, templateItemsFor } from "~/features/plans/template";
import { loadPlanTemplate } from "~/features/plans/queries/template.server";
import { createPlan, getPlan } from "~/features/plans/plans.server";
import { action, loader } from "~/routes/_app.plans.template";
import { templateItemFormValues } from "~/features/plans/template.schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { present } from "../../../support/present";
import { clearPlans } from "../../../support/plans";

type PageData = Awaited<ReturnType<typeof loader>>;
type Refusal = {
  ok: false;
  intent: string;
  fieldErrors: Record<string, string[]>;
  message: string | null;
  submitted: Record<string, string>;
  current: Record<string, string> | null;
};

const cookies = { head: "", staff: "", leader: "", admin: "" };
const head = { id: 0, role: "head" as const };

beforeAll(async () => {
  const users = {
    head: await makeUser("head"),
    staff: await makeUser("staff"),
    leader: await makeUser("leader"),
    admin: await makeUser("admin"),
  };
  head.id = users.head.id;
  for (const role of ["head", "staff", "leader", "admin"] as const) cookies[role] = await signIn(users[role].email);
});

const db = () => getDb();

// Each test starts from the standard template with no template history and no plans.
beforeEach(async () => {
  await db().deleteFrom("plan_template_items").execute();
  await db().deleteFrom("audit_log").where("entity", "=", "plan_template").execute();
  await clearPlans(db());
});
const storedCount = async () => (await db().selectFrom("plan_template_items").select("id").execute()).length;
const auditActions = async () =>
  (await db().selectFrom("audit_log").select(["action", "entity_id"]).where("entity", "=", "plan_template").orderBy("id").execute()).map(
    (entry) => `${entry.action}:${entry.entity_id}`,
  );

const agingAnalysis = PLAN_TEMPLATE[2].find((item) => item.key === "aging_analysis")!;
const saveFields = (changes: Record<string, string> = {}) => ({
  intent: "save-item",
  key: agingAnalysis.key,
  version: "1",
  ...templateItemFormValues(agingAnalysis),
  ...changes,
});
const newItem = {
  intent: "add-item",
  quarter: "2",
  titleEn: "Call the ten largest debtors",
  titleZh: "电话联系前十大欠款客户",
  descriptionEn: "",
  descriptionZh: "逐一确认还款计划",
  category: "collection",
  dueMonth: "2",
  dueDay: "10",
  kpiKey: "overdue_total",
};

const postAs = (role: keyof typeof cookies, fields: Record<string, string>) => call(action, post("/plans/template", fields, cookies[role]));

describe("the template page", () => {
  it("shows everyone who reads plans the standard template on a fresh database; only the head may edit", async () => {
    const page = payloadOf<PageData>(await call(loader, get("/plans/template", cookies.head)));
    expect(page.edited).toBe(false);
    expect(page.canEdit).toBe(true);
    expect(page.quarters.map((quarter) => quarter.items)).toEqual([PLAN_TEMPLATE[1], PLAN_TEMPLATE[2], PLAN_TEMPLATE[3], PLAN_TEMPLATE[4]]);
    for (const role of ["staff", "leader"] as const) {
      const result = await call(loader, get("/plans/template", cookies[role]));
      expect(statusOf(result)).toBe(200);
      expect(payloadOf<PageData>(result).canEdit).toBe(false);
    }
    expect(statusOf(await call(loader, get("/plans/template", cookies.admin)))).toBe(403);
    expect(statusOf(await call(loader, get("/plans/template")))).toBe(302);
  });

  it("refuses staff, leadership and administrators without changing anything", async () => {
    for (const role of ["staff", "leader", "admin"] as const) {
      expect(statusOf(await postAs(role, saveFields({ titleZh: "改" })))).toBe(403);
      expect(statusOf(await postAs(role, newItem))).toBe(403);
      expect(statusOf(await postAs(role, { intent: "delete-item", key: agingAnalysis.key }))).toBe(403);
      expect(statusOf(await postAs(role, { intent: "reset" }))).toBe(403);
    }
    expect(await storedCount()).toBe(0);
    expect(await auditActions()).toEqual([]);
  });

  it("saving an unchanged item writes nothing", async () => {
    const result = await postAs("head", saveFields());
    expect(payloadOf(result)).toMatchObject({ ok: true, done: "unchanged" });
    expect(await storedCount()).toBe(0);
  });

  it.each([
    ["a day 31", saveFields({ dueDay: "31" }), "dueDay", "planTemplate.validation.dueDay"],
    ["month 4", saveFields({ dueMonth: "4" }), "dueMonth", "planTemplate.validation.dueMonth"],
    ["an unknown category", saveFields({ category: "lunch" }), "category", "planTemplate.validation.category"],
    ["an unknown KPI", saveFields({ kpiKey: "happiness" }), "kpiKey", "planTemplate.validation.kpi"],
    ["an empty title", saveFields({ titleEn: "  " }), "titleEn", "validation.required"],
    ["a new item without Chinese title", { ...newItem, titleZh: "" }, "titleZh", "validation.required"],
    ["a new item due on day 31", { ...newItem, dueDay: "31" }, "dueDay", "planTemplate.validation.dueDay"],
    ["a new item in quarter 5", { ...newItem, quarter: "5" }, "quarter", "planTemplate.validation.quarter"],
  ])("answers %s with 400 and the field's message, saving nothing", async (_case, fields, field, message) => {
    const result = await postAs("head", fields);
    expect(statusOf(result)).toBe(400);
    const refusal = payloadOf<Refusal>(result);
    expect(refusal.fieldErrors[field]).toEqual([message]);
    // Shown again in the form, so a browser without JavaScript keeps what the head typed.
    if (field !== "quarter") expect(refusal.submitted[field]).toBe((fields as Record<string, string>)[field]);
    expect(refusal.intent).toBe(fields.intent === "save-item" ? "save:aging_analysis" : `add:${(fields as { quarter?: string }).quarter}`);
    expect(await storedCount()).toBe(0);
    expect(await loadPlanTemplate(db())).toBe(PLAN_TEMPLATE);
  });

  it("answers an unknown form with 400", async () => {
    const result = await postAs("head", { intent: "rename-everything" });
    expect(statusOf(result)).toBe(400);
    expect(payloadOf<Refusal>(result).message).toBe("planTemplate.error.unknownForm");
  });

  it("answers an unknown item with 404", async () => {
    const result = await postAs("head", { ...saveFields({ titleZh: "改" }), key: "no_such_item" });
    expect(statusOf(result)).toBe(404);
    expect(payloadOf<Refusal>(result).message).toBe("planTemplate.error.notFound");
    expect(await storedCount()).toBe(0);
  });
});

describe("the head edits the template, and new plans follow it", () => {
  const editedTitle = "账龄结构分析（按区域）";

  it("edits an item's Chinese title: the standard is copied in, the change applied and audited", async () => {
    const result = await postAs("head", saveFields({ titleZh: editedTitle }));
    expect(statusOf(result)).toBe(200);
    expect(payloadOf(result)).toMatchObject({ ok: true, done: "saved", key: "aging_analysis", quarter: 2 });
    const template = await loadPlanTemplate(db());
    expect(template[2].find((item) => item.key === "aging_analysis")).toEqual({ ...agingAnalysis, title: { ...agingAnalysis.title, zh: editedTitle } });
    // Everything else is still the standard, in the same order.
    for (const quarter of [1, 2, 3, 4] as const) {
      expect(template[quarter].map((item) => item.key)).toEqual(PLAN_TEMPLATE[quarter].map((item) => item.key));
    }
    expect(template[1]).toEqual(PLAN_TEMPLATE[1]);
    expect(await auditActions()).toEqual(["update:aging_analysis"]);
    const page = payloadOf<PageData>(await call(loader, get("/plans/template", cookies.staff)));
    expect(page).toMatchObject({ edited: true, updatedByName: expect.any(String) });
  });

  it("adds an item at the end of Q2, with the KPI's direction from the register", async () => {
    const result = await postAs("head", newItem);
    expect(payloadOf(result)).toMatchObject({ ok: true, done: "added", title: newItem.titleEn, quarter: 2 });
    const q2 = (await loadPlanTemplate(db()))[2];
    expect(q2).toHaveLength(PLAN_TEMPLATE[2].length + 1);
    expect(q2.at(-1)).toEqual({
      key: "call_the_ten_largest_debtors",
      category: "collection",
      title: { en: newItem.titleEn, zh: newItem.titleZh },
      description: { en: "", zh: newItem.descriptionZh },
      due: { month: 2, day: 10 },
      kpi: { key: "overdue_total", better: "down" },
    });
    expect(await auditActions()).toEqual(["create:call_the_ten_largest_debtors"]);
  });

  const editTitleAndAddItem = async () => {
    expect(payloadOf(await postAs("head", saveFields({ titleZh: editedTitle })))).toMatchObject({ ok: true });
    expect(payloadOf(await postAs("head", newItem))).toMatchObject({ ok: true });
  };

  it("the template's items for a concrete quarter carry the new item and the edited title", async () => {
    await editTitleAndAddItem();
    const items = templateItemsFor(2026, 2, 1, await loadPlanTemplate(db()));
    expect(items.map((item) => item.title.zh)).toEqual(expect.arrayContaining([editedTitle, newItem.titleZh]));
    expect(items.find((item) => item.key === "call_the_ten_largest_debtors")?.dueDate).toBe("2026-05-10");
  });

  it("a draft created afterwards from the template has the new item and the edited title", async () => {
    await editTitleAndAddItem();
    const planId = await createPlan(db(), head, { fiscalYear: 2026, quarter: 2, source: "template", language: "zh" }, "2026-01-15");
    const plan = await getPlan(db(), planId);
    const titles = plan.items.map((item) => item.title);
    expect(titles).toContain(editedTitle);
    expect(titles).toContain(newItem.titleZh);
    expect(plan.items.find((item) => item.title === newItem.titleZh)?.dueDate).toBe("2026-05-10");
  });

  it("deletes an item after the head confirms", async () => {
    const result = await postAs("head", { intent: "delete-item", key: "collection_drive" });
    expect(payloadOf(result)).toMatchObject({ ok: true, done: "deleted", quarter: 2 });
    expect((await loadPlanTemplate(db()))[2].map((item) => item.key)).not.toContain("collection_drive");
    const again = await postAs("head", { intent: "delete-item", key: "collection_drive" });
    expect(statusOf(again)).toBe(404);
    expect(payloadOf<Refusal>(again)).toMatchObject({ intent: "delete:collection_drive", message: "planTemplate.error.notFound" });
  });

  it("resets to the standard template", async () => {
    await editTitleAndAddItem();
    const result = await postAs("head", { intent: "reset" });
    expect(payloadOf(result)).toMatchObject({ ok: true, done: "reset" });
    expect(await loadPlanTemplate(db())).toEqual(PLAN_TEMPLATE);
    expect(await storedCount()).toBe(0);
    expect((await auditActions()).at(-1)).toBe("reset:template");
    expect(payloadOf(await postAs("head", { intent: "reset" }))).toMatchObject({ ok: true, done: "alreadyStandard" });
    expect(payloadOf<PageData>(await call(loader, get("/plans/template", cookies.head))).edited).toBe(false);
  });

  it("keeps at least one item: deleting the last one would silently bring the standard back", async () => {
    const keys = [1, 2, 3, 4].flatMap((quarter) => PLAN_TEMPLATE[quarter as 1].map((item) => item.key));
    for (const key of keys.slice(1)) expect(payloadOf(await postAs("head", { intent: "delete-item", key }))).toMatchObject({ ok: true });
    const last = await postAs("head", { intent: "delete-item", key: present(keys[0], "the first key") });
    expect(statusOf(last)).toBe(400);
    expect(payloadOf<Refusal>(last).message).toBe("planTemplate.error.lastItem");
    const template = await loadPlanTemplate(db());
    expect([1, 2, 3, 4].flatMap((quarter) => template[quarter as 1].map((item) => item.key))).toEqual([keys[0]]);
  });
});

describe("two heads save the same item from the same page", () => {
  const theirs = "账龄分析（张三改）";
  const mine = "账龄分析（李四改）";
  const page = async () => payloadOf<PageData>(await call(loader, get("/plans/template", cookies.head)));
  const title = async (key: string) => (await loadPlanTemplate(db()))[2].find((item) => item.key === key)?.title.zh;

  it("the first save wins; the stale one gets 409 with the other values and changes nothing", async () => {
    const shown = await page();
    const version = String(shown.versions[agingAnalysis.key]);
    const auditBefore = (await auditActions()).length;

    const first = await postAs("head", { ...saveFields({ titleZh: theirs }), version });
    expect(payloadOf(first)).toMatchObject({ ok: true, done: "saved" });
    const stored = await db().selectFrom("plan_template_items").selectAll().orderBy("id").execute();

    const second = await postAs("head", { ...saveFields({ titleZh: mine, descriptionEn: "mine too" }), version });
    expect(statusOf(second)).toBe(409);
    const refusal = payloadOf<Refusal>(second);
    expect(refusal).toMatchObject({ intent: `save:${agingAnalysis.key}`, message: "plans.error.conflict" });
    expect(refusal.current).toEqual({ ...templateItemFormValues(agingAnalysis), titleZh: theirs });
    // The head's own input comes back, to be shown beside theirs.
    expect(refusal.submitted).toMatchObject({ titleZh: mine, descriptionEn: "mine too" });

    expect(await title(agingAnalysis.key)).toBe(theirs);
    expect(await db().selectFrom("plan_template_items").selectAll().orderBy("id").execute()).toEqual(stored);
    expect((await auditActions()).slice(auditBefore)).toEqual([`update:${agingAnalysis.key}`]);

    // The page now shows the new version: saving from it is a deliberate overwrite and succeeds.
    const now = await page();
    expect(now.versions[agingAnalysis.key]).toBe(Number(version) + 1);
    const again = await postAs("head", { ...saveFields({ titleZh: mine }), version: String(now.versions[agingAnalysis.key]) });
    expect(payloadOf(again)).toMatchObject({ ok: true, done: "saved" });
    expect(await title(agingAnalysis.key)).toBe(mine);
  });

  it("a stale save of an already stored item is refused the same way", async () => {
    const shown = await page();
    const version = String(shown.versions.collection_drive);
    const auditBefore = (await auditActions()).length;
    expect(payloadOf(await postAs("head", { ...saveFields({ titleZh: "A" }), key: "collection_drive", ...pick("collection_drive", { titleZh: "A" }), version }))).toMatchObject({ ok: true });
    const stale = await postAs("head", { ...saveFields(), key: "collection_drive", ...pick("collection_drive", { titleZh: "B" }), version });
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf<Refusal>(stale).current?.titleZh).toBe("A");
    expect(await title("collection_drive")).toBe("A");
    expect((await auditActions()).slice(auditBefore)).toEqual(["update:collection_drive"]);
  });

  it.each([["missing", undefined], ["not a number", "abc"], ["zero", "0"]])("refuses a save whose version is %s with 400, saving nothing", async (_case, version) => {
    const before = await db().selectFrom("plan_template_items").selectAll().orderBy("id").execute();
    const { version: _v, ...fields } = saveFields({ titleZh: "改" });
    const result = await postAs("head", version === undefined ? fields : { ...fields, version });
    expect(statusOf(result)).toBe(400);
    expect(payloadOf<Refusal>(result).fieldErrors.version).toEqual(expect.any(Array));
    expect(await db().selectFrom("plan_template_items").selectAll().orderBy("id").execute()).toEqual(before);
  });
});

function pick(key: string, changes: Record<string, string>) {
  const item = PLAN_TEMPLATE[2].find((candidate) => candidate.key === key)!;
  return { ...templateItemFormValues(item), ...changes };
}
