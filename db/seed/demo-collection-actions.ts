import type { Db } from "../../app/server/db.server";
import { type Collection, type PaymentPromise, type PromiseStatus, evaluatePromises } from "../../app/features/credit/collection-actions/promises";
import { addDays } from "../../app/kernel/dates";
import type { IsoDate } from "../../app/kernel/ledger/types";
import type { Actor } from "../../app/features/plans/lifecycle";
import type { Wordings } from "../../app/kernel/built-in-text";
import { recordAudit } from "../../app/features/audit/index.server";
import { rememberWordings } from "../../app/features/settings/index.server";
import { both } from "./built-in-text";
import { collectionsBetween, insertCollectionAction } from "../../app/features/credit/collection-actions/queries.server";
import type { CollectionActionKind } from "../../app/features/credit/collection-actions/schema";

/**
 * The demo's collection actions, read off the demo ledger so that the promises and
 * instalments come out kept or broken from its real payments:
 * - promises to pay recorded a few days before a payment that then came (kept), promises on
 *   customers that then paid nothing (broken, each followed by another call), and promises
 *   falling due in the coming days (pending, on the owners' My tasks);
 * - a repayment agreement (还款协议) with a large debtor: the first instalments met by its real
 *   payments, the next one missed (broken), the last still to come;
 * - for the worst payer, calls, a visit, a final email and a lawyer's letter (律师函);
 * - routine calls, visits and emails on overdue customers in the last weeks.
 * The demo staff sign-in (staff@demo.quarterdeck) gets some of each on its own customers.
 * Deterministic: customers are taken in code order, every date is relative to `today`.
 */

interface DemoPeople {
  head: Actor;
  leader: Actor;
  owners: Actor[];
}

const STAFF_EMAIL = "staff@demo.quarterdeck";
const YUAN = 100;

interface Customer {
  id: number;
  code: string;
  ownerId: number | null;
  overdue: number;
  collections: Collection[];
}

interface Planned {
  customer: Customer;
  userId: number | null;
  kind: CollectionActionKind;
  actionDate: IsoDate;
  /** English and Chinese: the action stores the English, both are kept (./built-in-text.ts) */
  note: Wordings;
  amount: number | null;
  promises: { kind: "promise" | "instalment"; dueOn: IsoDate; amount: number }[];
}

/** Rounds down to whole hundreds of yuan (at least 100 yuan): how people promise. */
function roundPromise(minor: number): number {
  return Math.max(100 * YUAN, Math.floor(minor / (100 * YUAN)) * 100 * YUAN);
}

/** The statuses these promises would get as of today from the customer's collections. */
function judge(customer: Customer, planned: readonly Planned[], today: IsoDate): PromiseStatus[] {
  const promises: PaymentPromise[] = [];
  for (const action of planned.filter((p) => p.customer.id === customer.id)) {
    for (const c of action.promises) {
      promises.push({ id: promises.length + 1, kind: c.kind, madeOn: action.actionDate, dueOn: c.dueOn, amount: c.amount });
    }
  }
  return evaluatePromises(promises, customer.collections, today).map((r) => r.status);
}

/** Adds `action` only if, with it, every promise of the customer comes out as `expected` (in order). */
function tryPlan(planned: Planned[], action: Planned, expected: PromiseStatus[], today: IsoDate): boolean {
  const before = judge(action.customer, planned, today);
  const after = judge(action.customer, [...planned, action], today);
  const ok = after.slice(0, before.length).every((status, i) => status === before[i]) &&
    after.slice(before.length).every((status, i) => status === expected[i]);
  if (ok) planned.push(action);
  return ok;
}

export async function seedDemoCollections(db: Db, today: IsoDate, actors: DemoPeople): Promise<void> {
  const staff = await db.selectFrom("users").select("id").where("email", "=", STAFF_EMAIL).executeTakeFirst();
  const staffId = staff?.id ?? actors.owners[1]?.id ?? null;

  const rows = await db
    .selectFrom("customers")
    .select(["id", "code", "owner_id"])
    .where("owner_id", "is not", null)
    .orderBy("code")
    .execute();
  const overdueRows = await db
    .selectFrom("open_items")
    .select(["customer_id", (eb) => eb.fn.sum<number>("open_amount").as("overdue")])
    .where("due_date", "<", today)
    .groupBy("customer_id")
    .execute();
  const overdueOf = new Map(overdueRows.map((r) => [r.customer_id, Number(r.overdue)]));
  const since = addDays(today, -240);
  const collections = await collectionsBetween(
    db,
    rows.map((r) => r.id),
    since,
    today,
  );
  const customers: Customer[] = rows.map((r) => ({
    id: r.id,
    code: r.code,
    ownerId: r.owner_id,
    overdue: overdueOf.get(r.id) ?? 0,
    collections: collections.get(r.id) ?? [],
  }));
  const staffFirst = [...customers.filter((c) => c.ownerId === staffId), ...customers.filter((c) => c.ownerId !== staffId)];
  const used = new Set<number>();
  const planned: Planned[] = [];
  const take = (customer: Customer) => used.add(customer.id);

  // A repayment agreement with a large debtor: two instalments met by real payments, the third missed, the last to come.
  const debtors = [...customers]
    .filter((c) => !used.has(c.id) && c.overdue > 0)
    .sort((a, b) => b.overdue - a.overdue || a.code.localeCompare(b.code));
  for (const debtor of debtors) {
    const window = debtor.collections.filter((p) => p.date >= addDays(today, -150) && p.date <= addDays(today, -40));
    const dates = [...new Set(window.map((p) => p.date))];
    const [first, second] = dates;
    if (first === undefined || second === undefined) continue;
    const onDate = (date: IsoDate) => window.filter((p) => p.date === date).reduce((sum, p) => sum + p.amount, 0);
    const missedDue = addDays(today, -12);
    const later = debtor.collections.filter((p) => p.date > second && p.date <= missedDue).reduce((sum, p) => sum + p.amount, 0);
    const instalments = [
      { kind: "instalment" as const, dueOn: first, amount: roundPromise(onDate(first)) },
      { kind: "instalment" as const, dueOn: second, amount: roundPromise(onDate(second)) },
      { kind: "instalment" as const, dueOn: missedDue, amount: roundPromise(later + Math.max(debtor.overdue / 3, 50_000 * YUAN)) },
      { kind: "instalment" as const, dueOn: addDays(today, 18), amount: roundPromise(Math.max(debtor.overdue / 3, 50_000 * YUAN)) },
    ];
    const made = addDays(first, -10);
    const agreement: Planned = {
      customer: debtor,
      userId: actors.head.id,
      kind: "repayment_agreement",
      actionDate: made,
      note: both("Repayment agreement signed after the leadership visit: four instalments.", "领导走访后签订还款协议：分四期还款。"),
      amount: instalments.reduce((sum, i) => sum + i.amount, 0),
      promises: instalments,
    };
    if (!tryPlan(planned, agreement, ["kept", "kept", "broken", "pending"], today)) continue;
    take(debtor);
    planned.push(
      { customer: debtor, userId: debtor.ownerId, kind: "visit", actionDate: addDays(made, -5), note: both("Leadership visit with the head of credit: agreed to settle in instalments.", "公司领导与信用负责人上门走访：客户同意分期结清。"), amount: null, promises: [] },
      { customer: debtor, userId: debtor.ownerId, kind: "call", actionDate: addDays(today, -8), note: both("Third instalment missed: called the CFO, promised within the month.", "第三期未按时还款：已致电财务总监，承诺本月内付清。"), amount: null, promises: [] },
    );
    break;
  }

  // The worst payer: the most overdue once the last 90 days' trickle of payments is counted.
  // Escalated over three months to a lawyer's letter.
  const shortfall = (c: Customer) =>
    c.overdue - c.collections.filter((p) => p.date > addDays(today, -90)).reduce((sum, p) => sum + p.amount, 0);
  const worst = [...customers]
    .filter((c) => !used.has(c.id) && c.overdue > 0)
    .sort((a, b) => shortfall(b) - shortfall(a) || a.code.localeCompare(b.code))[0];
  if (worst) {
    take(worst);
    const owner = worst.ownerId;
    planned.push(
      { customer: worst, userId: owner, kind: "call", actionDate: addDays(today, -84), note: both("Called the finance office twice: no answer, left a message.", "两次致电财务部：无人接听，已留言。"), amount: null, promises: [] },
      { customer: worst, userId: owner, kind: "visit", actionDate: addDays(today, -63), note: both("Visited with the regional manager; the general manager would not commit to a date.", "与区域经理一同上门：总经理不肯承诺付款日期。"), amount: null, promises: [] },
      { customer: worst, userId: actors.head.id, kind: "email", actionDate: addDays(today, -45), note: both("Final reminder with the statement of account: legal steps within 14 days.", "随对账单发出最后催款通知：14 天内将采取法律措施。"), amount: null, promises: [] },
      { customer: worst, userId: actors.head.id, kind: "lawyer_letter", actionDate: addDays(today, -28), note: both("Lawyer's letter sent by registered post; shipments stopped.", "律师函已挂号寄出；已停止发货。"), amount: null, promises: [] },
    );
  }

  // Kept promises: recorded a few days before a payment that came.
  let kept = 0;
  let keptForStaff = 0;
  for (const customer of staffFirst) {
    if (kept >= 8) break;
    if (used.has(customer.id)) continue;
    const isStaff = customer.ownerId === staffId;
    if (isStaff && keptForStaff >= 3) continue;
    // the latest such payment, so most kept promises fall in the running quarter
    const payment = [...customer.collections].reverse().find((p) => p.date >= addDays(today, -75) && p.date <= addDays(today, -4) && p.amount >= 1_000 * YUAN);
    if (!payment) continue;
    const made = addDays(payment.date, -6);
    const promise: Planned = {
      customer,
      userId: customer.ownerId,
      kind: "promise_to_pay",
      actionDate: made,
      note: both("Promised on the phone after the reminder.", "催款后客户电话承诺付款。"),
      amount: roundPromise(payment.amount),
      promises: [{ kind: "promise", dueOn: addDays(payment.date, 3), amount: roundPromise(payment.amount) }],
    };
    if (!tryPlan(planned, promise, ["kept"], today)) continue;
    take(customer);
    kept += 1;
    if (isStaff) keptForStaff += 1;
  }

  // Broken promises: overdue customers that then paid nothing by the date; each followed by another call.
  let broken = 0;
  let brokenForStaff = 0;
  for (const customer of staffFirst) {
    if (broken >= 5) break;
    if (used.has(customer.id) || customer.overdue < 1_000 * YUAN) continue;
    const isStaff = customer.ownerId === staffId;
    if (isStaff && brokenForStaff >= 2) continue;
    const made = addDays(today, -38);
    const due = addDays(today, -24);
    const amount = roundPromise(Math.min(customer.overdue, 80_000 * YUAN));
    const promise: Planned = {
      customer,
      userId: customer.ownerId,
      kind: "promise_to_pay",
      actionDate: made,
      note: both("Promised to pay the overdue invoices by the end of the fortnight.", "承诺两周内付清逾期发票。"),
      amount,
      promises: [{ kind: "promise", dueOn: due, amount }],
    };
    if (!tryPlan(planned, promise, ["broken"], today)) continue;
    take(customer);
    planned.push({
      customer,
      userId: customer.ownerId,
      kind: "call",
      actionDate: addDays(due, 3),
      note: both("Promise not kept: called again; warned of cash before delivery.", "未兑现承诺：再次致电，告知将改为款到发货。"),
      amount: null,
      promises: [],
    });
    broken += 1;
    if (isStaff) brokenForStaff += 1;
  }

  // Pending promises falling due in the coming days (My tasks).
  let pending = 0;
  let pendingForStaff = 0;
  for (const customer of staffFirst) {
    if (pending >= 5) break;
    if (used.has(customer.id) || customer.overdue < 500 * YUAN) continue;
    const isStaff = customer.ownerId === staffId;
    if (isStaff && pendingForStaff >= 2) continue;
    const amount = roundPromise(Math.min(customer.overdue, 30_000 * YUAN));
    const made = addDays(today, -1 - (pending % 3));
    const promise: Planned = {
      customer,
      userId: customer.ownerId,
      kind: "promise_to_pay",
      actionDate: made,
      note: both("Promised after the payment reminder call.", "催款电话后客户承诺付款。"),
      amount,
      promises: [{ kind: "promise", dueOn: addDays(today, 4 + 2 * pending), amount }],
    };
    // Not yet paid: the customer has paid nothing since the promise was made.
    if (customer.collections.some((p) => p.date >= made)) continue;
    if (!tryPlan(planned, promise, ["pending"], today)) continue;
    take(customer);
    pending += 1;
    if (isStaff) pendingForStaff += 1;
  }

  // Routine contact on other overdue customers in the last weeks.
  let routine = 0;
  const routineKinds: { kind: CollectionActionKind; note: Wordings }[] = [
    { kind: "call", note: both("Reminder call: invoice copies requested, will check with the buyer.", "电话催款：客户索要发票复印件，将与采购核实。") },
    { kind: "email", note: both("Sent the statement of account and the overdue list.", "已发送对账单和逾期清单。") },
    { kind: "visit", note: both("Visited the site office; payment run waits for the project acceptance.", "走访项目现场办公室：付款需等项目验收。") },
  ];
  for (const customer of staffFirst) {
    if (routine >= 12) break;
    if (used.has(customer.id) || customer.overdue === 0) continue;
    // The index is taken modulo the list's (non-zero) length.
    const { kind, note } = routineKinds[routine % routineKinds.length]!;
    planned.push({ customer, userId: customer.ownerId, kind, actionDate: addDays(today, -3 - 2 * routine), note, amount: null, promises: [] });
    take(customer);
    routine += 1;
  }

  planned.sort((a, b) => a.actionDate.localeCompare(b.actionDate) || a.customer.code.localeCompare(b.customer.code));
  await db.transaction().execute(async (trx) => {
    for (const action of planned) {
      const at = new Date(`${action.actionDate}T09:00:00.000Z`);
      const ids = await insertCollectionAction(
        trx,
        {
          customerId: action.customer.id,
          userId: action.userId,
          kind: action.kind,
          actionDate: action.actionDate,
          note: action.note.en,
          amount: action.amount,
          promises: action.promises,
        },
        at,
      );
      await rememberWordings(trx, [{ entity: "collection_action", entityId: ids.actionId, field: "note", wordings: action.note }]);
      await recordAudit(
        trx,
        {
          userId: action.userId,
          entity: "collection_action",
          entityId: ids.actionId,
          action: "record",
          after: { customer: action.customer.code, kind: action.kind, actionDate: action.actionDate, amount: action.amount, promises: action.promises },
        },
        at,
      );
    }
  });
}
