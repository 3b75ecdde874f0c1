import type { Db } from "../../app/server/db.server";
import { addDays, fiscalQuarter, quarterOf, type QuarterNumber } from "../../app/kernel/dates";
import { kpiDefinition } from "../../app/features/kpi/register";
import type { IsoDate } from "../../app/kernel/ledger/types";
import { suggestedOutcome, type Actor } from "../../app/features/plans/lifecycle";
import { targetToInput } from "../../app/features/plans/kpi";
import { nextQuarter } from "../../app/features/plans/carry-over";
import type { StoredItem } from "../../app/features/plans/queries/plans.server";
import { getSettings } from "../../app/features/settings/index.server";
import { closeAction, createItem, createPlan, getPlan, setItemStatus, transition, updateItem } from "../../app/features/plans/plans.server";
import { itemFieldsSchema, scopeFormFields } from "../../app/features/plans/schema";
import { both, keepBoth } from "./built-in-text";

/**
 * The demo's plans: every quarter of last fiscal year and this one up to today, from
 * the standard template plus two KPI-linked items of the head's own; owners assigned, targets
 * set a step better than the baseline, approved by leadership. Past quarters are worked and
 * closed (most items done, a few missed or carried over); the current quarter is approved and
 * in progress, with one item blocked and one overdue. Deterministic: the same story every run.
 * Every text is written in English and Chinese (./built-in-text.ts); the template items keep
 * both wordings through createPlan.
 */

const TEXT = {
  regionTitle: (region: string) => both(`Cut the ${region} region's overdue receivables`, `压降${region}区域的逾期应收账款`),
  regionDescription: (region: string) =>
    both(
      `Weekly calls and visits to the ${region} region's ten largest overdue customers; repayment agreements where a customer cannot pay at once.`,
      `每周对${region}区域逾期金额最大的十家客户电话催收并上门走访；无法一次付清的客户签订还款协议。`,
    ),
  dsoTitle: both("Bring Li Wei's customers' DSO down", "降低李伟名下客户的应收账款周转天数（DSO）"),
  dsoDescription: both(
    "Statement reconciliation and collection calls on the slowest payers in Li Wei's portfolio.",
    "对李伟负责的客户中付款最慢的几家开展对账和电话催收。",
  ),
  approved: both("Approved. Keep the overdue targets in sight.", "同意。请紧盯逾期压降目标。"),
  finishedEarly: both("Finished early.", "提前完成。"),
  workingPapers: both("Done; the working papers are in the shared drive.", "已完成，工作底稿已存入共享盘。"),
  blocked: both("Waiting for the sales department's customer list.", "等待销售部门提供客户名单。"),
  reviewNote: (done: number, total: number) =>
    both(
      `${done} of ${total} items done. Overdue collection went to plan; the blocked items wait on other departments and move to next quarter.`,
      `${total} 项中完成 ${done} 项。逾期账款回收按计划推进；受阻事项有赖其他部门配合，转入下季度。`,
    ),
};

/** The newest note or comment on a plan (or one of its items) with this text: the one just written. */
async function lastComment(db: Db, planId: number, itemId: number | null, body: string): Promise<number> {
  let query = db.selectFrom("plan_comments").select("id").where("plan_id", "=", planId).where("body", "=", body);
  query = itemId === null ? query.where("item_id", "is", null) : query.where("item_id", "=", itemId);
  const row = await query.orderBy("id", "desc").executeTakeFirstOrThrow();
  return row.id;
}

interface DemoPeople {
  head: Actor;
  leader: Actor;
  /** Owners in turn: the head and the field staff (the demo staff sign-in first). */
  owners: Actor[];
  staffEmail: string;
}

/** A target one step better than the baseline, in the form's units. */
function targetFor(item: StoredItem): string {
  // called only for KPI-linked items
  const link = item.kpiLink!;
  const baseline = link.baseline ?? 0;
  const unit = kpiDefinition(link.kpi).unit;
  let target: number;
  if (unit === "money") target = Math.round((baseline * 0.8) / 100) * 100;
  else if (unit === "ratio") target = link.better === "up" ? Math.min(1, baseline + 0.05) : Math.max(0, baseline * 0.85);
  else if (unit === "count") target = link.better === "up" ? baseline + 1 : Math.max(0, Math.floor(baseline * 0.8));
  else target = link.better === "up" ? baseline + 5 : Math.max(0, baseline * 0.85);
  if (unit === "ratio") target = Math.round(target * 1000) / 1000;
  if (unit === "days" || unit === "percent") target = Math.round(target * 10) / 10;
  return targetToInput(unit, target);
}

function fieldsOf(item: StoredItem, overrides: Record<string, string>) {
  const link = item.kpiLink;
  return itemFieldsSchema.parse({
    title: item.title,
    category: item.category,
    description: item.description,
    ownerId: item.ownerId === null ? "" : String(item.ownerId),
    dueDate: item.dueDate ?? "",
    customers: item.customers.join(" "),
    kpiKey: link?.kpi ?? "",
    ...scopeFormFields(link?.scope ?? null),
    kpiTarget: link && link.target !== null ? targetToInput(kpiDefinition(link.kpi).unit, link.target) : "",
    ...overrides,
  });
}

async function draftQuarter(db: Db, people: DemoPeople, fiscalYear: number, quarter: QuarterNumber, region: string, startMonth: number): Promise<number> {
  const range = fiscalQuarter(fiscalYear, quarter, startMonth);
  const day = range.start;
  const planId = await createPlan(db, people.head, { fiscalYear, quarter, source: "template", language: "en" }, day);
  // Two items of the head's own, linked to the region's overdue and to one owner's DSO.
  const own = [
    {
      title: TEXT.regionTitle(region),
      description: TEXT.regionDescription(region),
      fields: { dueDate: addDays(range.end, -5), kpiKey: "overdue_total", kpiScope: `region:${region}` },
    },
    {
      title: TEXT.dsoTitle,
      description: TEXT.dsoDescription,
      fields: { dueDate: addDays(range.end, -10), kpiKey: "dso", kpiScope: `owner:${people.staffEmail}` },
    },
  ];
  for (const item of own) {
    const itemId = await createItem(
      db,
      people.head,
      planId,
      itemFieldsSchema.parse({ title: item.title.en, category: "collection", description: item.description.en, ...item.fields }),
      day,
    );
    await keepBoth(db, "plan_item", itemId, "title", item.title);
    await keepBoth(db, "plan_item", itemId, "description", item.description);
  }
  // Owners in turn, targets a step better than the baselines just captured.
  const plan = await getPlan(db, planId);
  for (const [index, item] of plan.items.entries()) {
    const owner = (item.title.includes("Li Wei") ? people.owners[1] : people.owners[index % people.owners.length]) ?? people.head;
    await updateItem(db, people.head, planId, item.id, item.version, fieldsOf(item, { ownerId: String(owner.id), ...(item.kpiLink ? { kpiTarget: targetFor(item) } : {}) }), day);
  }
  const ready = await getPlan(db, planId);
  const submitted = await transition(db, people.head, planId, ready.version, { type: "submit" }, day);
  await transition(db, people.leader, planId, submitted.version, { type: "approve", comment: TEXT.approved.en }, day);
  await keepBoth(db, "plan_comment", await lastComment(db, planId, null, TEXT.approved.en), "body", TEXT.approved);
  return planId;
}

/** Works a quarter's items: item `i` is done unless the pattern says otherwise. */
async function workItems(db: Db, planId: number, asOf: IsoDate, finished: boolean, people: DemoPeople): Promise<void> {
  const plan = await getPlan(db, planId);
  for (const [index, item] of plan.items.entries()) {
    const owner = people.owners.find((candidate) => candidate.id === item.ownerId) ?? people.head;
    const due = item.dueDate ?? asOf;
    if (!finished && item.category === "credit_review") {
      // The quarter's credit review is open and part decided (demo-credit-review.ts): its plan
      // item is under way, and overdue once its due date has passed, not done.
      await setItemStatus(db, owner, item.id, item.version, { status: "in_progress", reason: "", note: "" }, due < asOf ? due : asOf);
      continue;
    }
    if (!finished && due > asOf) {
      // Some of the quarter's work is done ahead of time, some under way.
      if (index % 3 === 1) {
        await setItemStatus(db, owner, item.id, item.version, { status: "done", reason: "", note: TEXT.finishedEarly.en }, asOf);
        await keepBoth(db, "plan_comment", await lastComment(db, planId, item.id, TEXT.finishedEarly.en), "body", TEXT.finishedEarly);
      } else if (index % 3 === 0) await setItemStatus(db, owner, item.id, item.version, { status: "in_progress", reason: "", note: "" }, asOf);
      continue;
    }
    if (index % 7 === 3) {
      await setItemStatus(db, owner, item.id, item.version, { status: "blocked", reason: TEXT.blocked.en, note: "" }, asOf);
      await keepBoth(db, "plan_item", item.id, "blocked_reason", TEXT.blocked);
    } else if (index % 7 === 5) {
      // Left undone: overdue in the current quarter, missed or carried over in a past one.
    } else {
      const doneOn = due < asOf ? due : asOf;
      const note = index % 2 === 0 ? TEXT.workingPapers : null;
      await setItemStatus(db, owner, item.id, item.version, { status: "done", reason: "", note: note?.en ?? "" }, doneOn);
      if (note) await keepBoth(db, "plan_comment", await lastComment(db, planId, item.id, note.en), "body", note);
    }
  }
}

async function closeQuarter(db: Db, people: DemoPeople, planId: number, day: IsoDate): Promise<void> {
  const plan = await getPlan(db, planId);
  const outcomes: Record<number, "done" | "missed" | "carried_over"> = {};
  for (const [index, item] of plan.items.entries()) {
    const suggested = suggestedOutcome(item);
    if (suggested) outcomes[item.id] = suggested === "carried_over" && index % 2 === 0 ? "missed" : suggested;
  }
  const done = plan.items.filter((item) => item.status === "done").length;
  const reviewNote = TEXT.reviewNote(done, plan.items.length);
  await transition(db, people.head, planId, plan.version, closeAction(outcomes, reviewNote.en), day);
  await keepBoth(db, "plan", planId, "review_note", reviewNote);
}

export async function seedDemoPlans(db: Db, today: IsoDate, people: DemoPeople): Promise<void> {
  const { fiscalStartMonth } = await getSettings(db);
  const regions = await db.selectFrom("customers").select("region").distinct().where("region", "is not", null).orderBy("region").execute();
  const current = quarterOf(today, fiscalStartMonth);
  let quarter: { fiscalYear: number; quarter: QuarterNumber } = { fiscalYear: current.fiscalYear - 1, quarter: 1 };
  let turn = 0;
  while (quarter.fiscalYear < current.fiscalYear || quarter.quarter <= current.quarter) {
    const range = fiscalQuarter(quarter.fiscalYear, quarter.quarter, fiscalStartMonth);
    const region = regions.length === 0 ? "East" : String(regions[turn % regions.length]?.region ?? "East");
    const planId = await draftQuarter(db, people, quarter.fiscalYear, quarter.quarter, region, fiscalStartMonth);
    const isCurrent = quarter.fiscalYear === current.fiscalYear && quarter.quarter === current.quarter;
    if (isCurrent) {
      await workItems(db, planId, today, false, people);
      break;
    }
    await workItems(db, planId, range.end, true, people);
    await closeQuarter(db, people, planId, addDays(range.end, 1));
    const next = nextQuarter(quarter.fiscalYear, quarter.quarter);
    quarter = { fiscalYear: next.fiscalYear, quarter: next.quarter };
    turn += 1;
  }
}
