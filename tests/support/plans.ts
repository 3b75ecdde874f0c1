import type { Db } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import type { Role } from "~/kernel/permissions";
import type { QuarterNumber } from "~/kernel/dates";
import { createItem, createPlan, getPlan, transition } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";

/**
 * A plan made through the plan service, the way a test that is not about drafting needs one:
 * its own quarter (plans never overlap, so a quarter no other test and no seed uses keeps the
 * plan and its items the test's alone), its items, and brought to the state the test starts from.
 */
export interface PlanFixture {
  fiscalYear: number;
  quarter: QuarterNumber;
  items: {
    title: string;
    category?: string;
    /** the owner's e-mail */
    owner?: string;
    dueDate?: string;
    /** a KPI link: the KPI's key, its scope in the item form's words (`region:East`) and the target as typed */
    kpi?: { key: string; scope: string; target: string };
  }[];
  state?: "draft" | "submitted" | "approved";
}

/** The user with this e-mail, acting in this role. */
export async function actorByEmail(db: Db, email: string, role: Role): Promise<Actor> {
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return { id: user.id, role };
}

/** Makes the plan as `head` (a head's e-mail); approval, when asked for, is by `leader`. */
export async function makePlan(
  db: Db,
  people: { head: string; leader: string },
  fixture: PlanFixture,
  today: string,
): Promise<{ planId: number; itemIds: number[] }> {
  const head = await actorByEmail(db, people.head, "head");
  const planId = await createPlan(db, head, { fiscalYear: fixture.fiscalYear, quarter: fixture.quarter, source: "empty", language: "en" }, today);
  const itemIds: number[] = [];
  for (const item of fixture.items) {
    const ownerId = item.owner === undefined ? "" : String((await db.selectFrom("users").select("id").where("email", "=", item.owner).executeTakeFirstOrThrow()).id);
    const fields = itemFieldsSchema.parse({
      title: item.title,
      category: item.category ?? "collection",
      ownerId,
      dueDate: item.dueDate ?? "",
      ...(item.kpi ? { kpiKey: item.kpi.key, kpiScope: item.kpi.scope, kpiTarget: item.kpi.target } : {}),
    });
    itemIds.push(await createItem(db, head, planId, fields, today));
  }
  const state = fixture.state ?? "draft";
  if (state !== "draft") await transition(db, head, planId, (await getPlan(db, planId)).version, { type: "submit" }, today);
  if (state === "approved") {
    const leader = await actorByEmail(db, people.leader, "leader");
    await transition(db, leader, planId, (await getPlan(db, planId)).version, { type: "approve" }, today);
  }
  return { planId, itemIds };
}

/**
 * Deletes every plan (items, comments and snapshots go with them), for a file whose tests each
 * make their own plan for the same quarter. Ids are never reused, so audit entries stay apart.
 */
export async function clearPlans(db: Db): Promise<void> {
  await db.deleteFrom("plans").execute();
}

type ItemFields = ReturnType<typeof itemFieldsSchema.parse>;

/** The item form's values as the plan service takes them; a collection item unless told. */
export function itemFields(values: Record<string, string>): ItemFields {
  return itemFieldsSchema.parse({ category: "collection", ...values });
}

/**
 * A plan made as `people.head` from the template-free start with these items, submitted and
 * approved by `people.leader` when `approve` is set.
 */
export async function planWithItems(
  db: Db,
  people: { head: Actor; leader: Actor },
  period: { fiscalYear: number; quarter: QuarterNumber },
  items: ItemFields[],
  options: { approve: boolean; today: string },
): Promise<{ planId: number; itemIds: number[] }> {
  const planId = await createPlan(db, people.head, { ...period, source: "empty", language: "en" }, options.today);
  const itemIds: number[] = [];
  for (const item of items) itemIds.push(await createItem(db, people.head, planId, item, options.today));
  if (options.approve) {
    await transition(db, people.head, planId, (await getPlan(db, planId)).version, { type: "submit" }, options.today);
    await transition(db, people.leader, planId, (await getPlan(db, planId)).version, { type: "approve" }, options.today);
  }
  return { planId, itemIds };
}
