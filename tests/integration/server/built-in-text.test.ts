import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { PLAN_TEMPLATE } from "~/features/plans/template";
import type { Actor } from "~/features/plans/lifecycle";
import { createPlan, getPlan, transition, updateItem } from "~/features/plans/plans.server";
import { loader as boardLoader } from "~/routes/_app.plans.$planId._index";
import { loader as itemLoader } from "~/routes/_app.plans.$planId.items.$itemId";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, nth, payloadOf, signIn, statusOf } from "../../support/app";
import { importLedgerFixture } from "../../support/ledger";
import { clearPlans } from "../../support/plans";

/*
 * Items a plan takes from the standard template keep the template's two wordings: each reader
 * sees their own language until a person edits the text; what a person types stays as typed.
 */

const TODAY = "2025-07-31";
const Q3 = PLAN_TEMPLATE[3];
const actors = { head: { id: 0, role: "head" } as Actor, leader: { id: 0, role: "leader" } as Actor };
const cookies = { zh: "", en: "" };
let planId = 0;

type Board = { items: { id: number; title: string }[] };
type ItemPage = { item: { title: string; description: string } };

async function board(reader: "zh" | "en"): Promise<Board> {
  const result = await call(boardLoader, get(`/plans/${planId}`, cookies[reader]), { planId: String(planId) });
  expect(statusOf(result)).toBe(200);
  return payloadOf<Board>(result);
}

async function item(reader: "zh" | "en", itemId: number): Promise<ItemPage["item"]> {
  const result = await call(itemLoader, get(`/plans/${planId}/items/${itemId}`, cookies[reader]), { planId: String(planId), itemId: String(itemId) });
  expect(statusOf(result)).toBe(200);
  return payloadOf<ItemPage>(result).item;
}

beforeAll(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const head = await makeUser("head");
  const english = await makeUser("head");
  const leader = await makeUser("leader");
  actors.head.id = head.id;
  actors.leader.id = leader.id;
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", head.id).execute();
  cookies.zh = await signIn(head.email);
  cookies.en = await signIn(english.email);
  await importLedgerFixture();
  vi.unstubAllEnvs();
});

beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  // Each test starts from a new plan: a Chinese head starts the quarter from the template, so the
  // items are stored in Chinese.
  await clearPlans(getDb());
  planId = await createPlan(getDb(), actors.head, { fiscalYear: 2025, quarter: 3, source: "template", language: "zh" }, TODAY);
});

const TYPED = "跟进华东区三家重点客户的授信";

/** The head types a new title for the plan's second item, leaving its description as it is. */
async function editSecondTitle() {
  const plan = await getPlan(getDb(), planId);
  const target = nth(plan.items, 1);
  await updateItem(
    getDb(),
    actors.head,
    planId,
    target.id,
    target.version,
    itemFieldsSchema.parse({ title: TYPED, category: target.category, description: target.description, dueDate: target.dueDate ?? "" }),
    TODAY,
  );
  return target.id;
}
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("template text in both languages", () => {
  it("stores the creator's wording and shows each reader theirs", async () => {
    const stored = await getDb().selectFrom("plan_items").select("title").where("plan_id", "=", planId).orderBy("position").execute();
    expect(stored.map((row) => row.title)).toEqual(Q3.map((line) => line.title.zh));
    expect((await board("zh")).items.map((row) => row.title)).toEqual(Q3.map((line) => line.title.zh));
    expect((await board("en")).items.map((row) => row.title)).toEqual(Q3.map((line) => line.title.en));
    const first = nth((await board("en")).items, 0).id;
    expect(await item("en", first)).toMatchObject({ title: nth(Q3, 0).title.en, description: nth(Q3, 0).description.en });
    expect(await item("zh", first)).toMatchObject({ title: nth(Q3, 0).title.zh, description: nth(Q3, 0).description.zh });
  });

  it("shows a title a person edited as typed to every reader; the untouched description stays bilingual", async () => {
    const edited = await editSecondTitle();
    expect(await item("en", edited)).toMatchObject({ title: TYPED, description: nth(Q3, 1).description.en });
    expect(await item("zh", edited)).toMatchObject({ title: TYPED, description: nth(Q3, 1).description.zh });
    // the other items are untouched
    expect(nth((await board("en")).items, 0).title).toBe(nth(Q3, 0).title.en);
  });

  it("carries both wordings to next quarter with an unfinished item, not an edited one's", async () => {
    await editSecondTitle();
    const db = getDb();
    // Owners assigned (a plan needs them to be submitted), titles and descriptions left as they are.
    for (const entry of (await getPlan(db, planId)).items) {
      const fields = { title: entry.title, category: entry.category, description: entry.description, dueDate: entry.dueDate ?? "", ownerId: String(actors.head.id) };
      await updateItem(db, actors.head, planId, entry.id, entry.version, itemFieldsSchema.parse(fields), TODAY);
    }
    let plan = await getPlan(db, planId);
    plan = await transition(db, actors.head, planId, plan.version, { type: "submit" }, TODAY);
    plan = await transition(db, actors.leader, planId, plan.version, { type: "approve" }, TODAY);
    // every item left undone, closed after the quarter: all carried over
    const outcomes = Object.fromEntries(plan.items.map((entry) => [entry.id, "carried_over" as const]));
    await transition(db, actors.head, planId, plan.version, { type: "close", outcomes, reviewNote: "本季度事项全部转入下季度。" }, "2025-10-01");
    vi.stubEnv("QUARTERDECK_TODAY", "2025-10-01");
    const next = await createPlan(db, actors.head, { fiscalYear: 2025, quarter: 4, source: "carry_over", language: "zh" }, "2025-10-01");
    const previous = planId;
    planId = next;
    const titles = (await board("en")).items.map((row) => row.title);
    expect(titles).toContain(nth(Q3, 0).title.en);
    expect(titles).toContain(TYPED);
    expect(titles).not.toContain(nth(Q3, 1).title.en);
    planId = previous;
  });
});
