/**
 * Collection actions on a customer (催收记录): calls, visits, emails, lawyer's letters (律师函),
 * promises to pay (承诺付款) and repayment agreements (还款协议) with their instalments. The
 * promises and instalments are judged kept or broken from the ledger's payments by
 * app/features/credit/collection-actions/promises.ts, never by hand.
 */
import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";
import { type PaymentPromise, type PromiseStatus, evaluatePromises } from "~/features/credit/collection-actions/promises";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { addDays } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { can } from "~/kernel/permissions";
import { recordAudit } from "~/features/audit/index.server";
import { inViewerLanguage } from "~/features/settings/index.server";
import {
  type PromiseStatusRow,
  collectionsBetween,
  countCollectionActions,
  insertCollectionAction,
  listCollectionActions,
  loadPromiseStatuses,
  ownersCustomersWithPromises,
  recentActionsOnOwnersCustomers,
} from "~/features/credit/collection-actions/queries.server";
import { findCustomer } from "~/features/ledger/index.server";
import { type CollectionActionInput, type CollectionActionKind, collectionActionSchema } from "~/features/credit/collection-actions/schema";

/** May this user record actions on a customer with this owner? Head: any; staff: their own. */
export function canRecordCollectionAction(user: Pick<CurrentUser, "id" | "role">, ownerId: number | null): boolean {
  return can(user, "collection:log", { ownerId });
}

export interface CustomerForLogging {
  id: number;
  code: string;
  name: string;
  ownerId: number | null;
}

/**
 * The customer by code, if the user may record collection actions on it; else AppError
 * not_found (no such customer) or forbidden (not theirs, or a role that records nothing).
 */
export async function customerForLogging(db: Db, user: Pick<CurrentUser, "id" | "role">, code: string): Promise<CustomerForLogging> {
  const lookup = await findCustomer(db, { kind: "all" }, code);
  if (!lookup.found) {
    // Someone who may not log anything is refused before learning whether the customer exists.
    if (can(user, "collection:log") || can(user, "collection:log", { ownerId: user.id })) throw AppError.notFound();
    throw AppError.forbidden();
  }
  const { id, name, ownerId } = lookup.customer;
  if (!canRecordCollectionAction(user, ownerId)) throw AppError.forbidden();
  return { id, code: lookup.customer.code, name, ownerId };
}

/**
 * Validates and records one action with its promise or instalments, in one transaction with its
 * audit entry. `raw` is the unflattened form post. Nothing is written unless all of it is valid:
 * AppError invalid with the messages at the fields (dotted paths, `instalments.1.amount`),
 * forbidden or not_found as `customerForLogging`.
 */
export async function recordCollectionAction(
  db: Db,
  user: Pick<CurrentUser, "id" | "role">,
  customerCode: string,
  raw: Record<string, unknown>,
  today: IsoDate,
  now = new Date(),
  /** more to write in the same transaction, knowing the action's id (a letter e-mailed with it) */
  within?: (trx: Db, actionId: number) => Promise<void>,
): Promise<{ actionId: number; promiseIds: number[] }> {
  const customer = await customerForLogging(db, user, customerCode);

  const parsed = collectionActionSchema(today).safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? issue.path.join(".") : "form";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw AppError.invalid(fieldErrors);
  }
  const input = parsed.data;
  const promises = promisesOf(input);
  const written = await db.transaction().execute(async (trx) => {
    const ids = await insertCollectionAction(
      trx,
      {
        customerId: customer.id,
        userId: user.id,
        kind: input.kind,
        actionDate: input.actionDate,
        note: input.note,
        amount: input.kind === "promise_to_pay" || input.kind === "repayment_agreement" ? input.amount : null,
        promises,
      },
      now,
    );
    await recordAudit(
      trx,
      {
        userId: user.id,
        entity: "collection_action",
        entityId: ids.actionId,
        action: "record",
        after: { customer: customer.code, ...input, promises: promises.map((c, i) => ({ id: ids.promiseIds[i], ...c })) },
      },
      now,
    );
    if (within) await within(trx, ids.actionId);
    return ids;
  });
  return written;
}

/**
 * Actions set for other people in one step (the year-end push): one action per customer in its
 * owner's name (the recorder's when the customer has none), dated today, all in one transaction
 * with an audit entry each naming who set it and why. The caller has checked the customers; the
 * recorder needs the head's `collection:log`.
 */
export async function recordActionsForOwners(
  db: Db,
  user: Pick<CurrentUser, "id" | "role">,
  entries: readonly { customerId: number; code: string; ownerId: number | null }[],
  action: { kind: "call" | "visit" | "email" | "lawyer_letter"; note: string; source: string },
  today: IsoDate,
  now = new Date(),
): Promise<number[]> {
  if (!can(user, "collection:log")) throw AppError.forbidden();
  return db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    for (const entry of entries) {
      const userId = entry.ownerId ?? user.id;
      const { actionId } = await insertCollectionAction(
        trx,
        { customerId: entry.customerId, userId, kind: action.kind, actionDate: today, note: action.note, amount: null, promises: [] },
        now,
      );
      ids.push(actionId);
      await recordAudit(
        trx,
        {
          userId: user.id,
          entity: "collection_action",
          entityId: actionId,
          action: "record",
          after: { customer: entry.code, kind: action.kind, actionDate: today, note: action.note, for: userId, source: action.source },
        },
        now,
      );
    }
    return ids;
  });
}

function promisesOf(input: CollectionActionInput) {
  if (input.kind === "promise_to_pay") return [{ kind: "promise" as const, dueOn: input.dueOn, amount: input.amount }];
  if (input.kind === "repayment_agreement") {
    return input.instalments.map((instalment) => ({ kind: "instalment" as const, dueOn: instalment.dueOn, amount: instalment.amount }));
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// The customer page's section

export const ACTIONS_SHOWN = 50;

export interface PromiseView {
  id: number;
  kind: "promise" | "instalment";
  sequence: number;
  dueOn: IsoDate;
  amount: number;
  status: PromiseStatus;
  paid: number;
  keptOn: IsoDate | null;
}

export interface ActionView {
  id: number;
  kind: CollectionActionKind;
  actionDate: IsoDate;
  note: string;
  amount: number | null;
  userName: string | null;
  promises: PromiseView[];
}

export interface CustomerCollectionActions {
  actions: ActionView[];
  total: number;
  canRecord: boolean;
  asOf: IsoDate;
}

/** The newest actions on a customer with each promise and instalment judged as of `asOf`. */
export async function customerCollectionActions(
  db: Db,
  user: Pick<CurrentUser, "id" | "role" | "locale">,
  customer: { id: number; ownerId: number | null },
  asOf: IsoDate,
): Promise<CustomerCollectionActions> {
  const [actions, total, statuses] = await Promise.all([
    listCollectionActions(db, customer.id, ACTIONS_SHOWN).then((list) => inViewerLanguage(db, "collection_action", list, (action) => action.id, { note: "note" }, user.locale)),
    countCollectionActions(db, customer.id),
    loadPromiseStatuses(db, [customer.id], asOf),
  ]);
  const byAction = new Map<number, PromiseView[]>();
  for (const row of [...statuses].sort((a, b) => a.actionId - b.actionId || a.sequence - b.sequence)) {
    const list = byAction.get(row.actionId) ?? [];
    list.push(promiseView(row));
    byAction.set(row.actionId, list);
  }
  return {
    actions: actions.map(({ id, kind, actionDate, note, amount, userName }) => ({
      id,
      kind,
      actionDate,
      note,
      amount,
      userName,
      promises: byAction.get(id) ?? [],
    })),
    total,
    canRecord: canRecordCollectionAction(user, customer.ownerId),
    asOf,
  };
}

function promiseView(row: PromiseStatusRow): PromiseView {
  const { id, kind, sequence, dueOn, amount, status, paid, keptOn } = row;
  return { id, kind, sequence, dueOn, amount, status, paid, keptOn };
}

// ---------------------------------------------------------------------------------------------
// My tasks: follow-ups on the signed-in user's own customers

export const DUE_SOON_DAYS = 14;
export const RECENT_ACTION_DAYS = 30;
const RECENT_ACTIONS_SHOWN = 10;
const FOLLOW_UPS_SHOWN = 50;
const FAR_FUTURE: IsoDate = "9999-12-31";

export interface FollowUp {
  id: number;
  customerCode: string;
  customerName: string;
  kind: "promise" | "instalment";
  sequence: number;
  /** instalments in the agreement, 1 for a promise */
  of: number;
  dueOn: IsoDate;
  amount: number;
  paid: number;
  /** still owed on a broken promise, after any later payments */
  outstanding: number;
}

export interface CollectionFollowUps {
  dueSoon: FollowUp[];
  broken: FollowUp[];
  recent: {
    id: number;
    customerCode: string;
    customerName: string;
    kind: CollectionActionKind;
    actionDate: IsoDate;
    note: string;
    amount: number | null;
    userName: string | null;
  }[];
  dueSoonUntil: IsoDate;
  recentSince: IsoDate;
}

/**
 * What needs chasing on the user's customers: promises and instalments due in the next
 * DUE_SOON_DAYS days, broken ones not made good since, and recent actions. Null for users who
 * record no collection actions (leaders, administrators).
 */
export async function collectionFollowUps(
  db: Db,
  user: Pick<CurrentUser, "id" | "role" | "locale">,
  today: IsoDate,
): Promise<CollectionFollowUps | null> {
  if (!canRecordCollectionAction(user, user.id)) return null;
  const dueSoonUntil = addDays(today, DUE_SOON_DAYS);
  const recentSince = addDays(today, -RECENT_ACTION_DAYS);
  const [customers, recent] = await Promise.all([
    ownersCustomersWithPromises(db, user.id),
    recentActionsOnOwnersCustomers(db, user.id, recentSince, today, RECENT_ACTIONS_SHOWN).then((list) =>
      inViewerLanguage(db, "collection_action", list, (action) => action.id, { note: "note" }, user.locale),
    ),
  ]);
  const statuses = await loadPromiseStatuses(
    db,
    customers.map((c) => c.id),
    today,
  );
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const countByAction = new Map<number, number>();
  for (const row of statuses) countByAction.set(row.actionId, (countByAction.get(row.actionId) ?? 0) + 1);
  const outstanding = await outstandingAfterBreaking(db, statuses, today);

  const view = (row: PromiseStatusRow): FollowUp => {
    // The statuses were loaded for exactly these customers, so each row's customer is in the map.
    const customer = customerById.get(row.customerId)!;
    return {
      id: row.id,
      customerCode: customer.code,
      customerName: customer.name,
      kind: row.kind,
      sequence: row.sequence,
      of: countByAction.get(row.actionId) ?? 1,
      dueOn: row.dueOn,
      amount: row.amount,
      paid: row.paid,
      outstanding: outstanding.get(row.id) ?? row.amount - row.paid,
    };
  };
  const dueSoon = statuses
    .filter((row) => row.status === "pending" && row.dueOn <= dueSoonUntil)
    .sort((a, b) => cmp(a.dueOn, b.dueOn) || a.id - b.id)
    .slice(0, FOLLOW_UPS_SHOWN)
    .map(view);
  const broken = statuses
    .filter((row) => row.status === "broken" && (outstanding.get(row.id) ?? 1) > 0)
    .sort((a, b) => cmp(b.dueOn, a.dueOn) || b.id - a.id)
    .slice(0, FOLLOW_UPS_SHOWN)
    .map(view);
  return {
    dueSoon,
    broken,
    recent: recent.map(({ id, customerCode, customerName, kind, actionDate, note, amount, userName }) => ({
      id,
      customerCode,
      customerName,
      kind,
      actionDate,
      note,
      amount,
      userName,
    })),
    dueSoonUntil,
    recentSince,
  };
}

/**
 * What is still owed on each broken promise once later payments are counted ("made good").
 * Each shortfall becomes a make-good promise made the day after the due date and due far in
 * the future, evaluated together with the real ones: the real ones, due sooner, still take the
 * money first, so a payment is never counted twice, and a shortfall is covered only by what is
 * left over.
 */
export async function outstandingAfterBreaking(
  db: Db,
  statuses: readonly PromiseStatusRow[],
  today: IsoDate,
): Promise<Map<number, number>> {
  const owed = new Map<number, number>();
  const customersWithBroken = new Set(statuses.filter((row) => row.status === "broken").map((row) => row.customerId));
  if (customersWithBroken.size === 0) return owed;
  const earliest = statuses.reduce((min, row) => (row.madeOn < min ? row.madeOn : min), today);
  const collections = await collectionsBetween(db, [...customersWithBroken], earliest, today);
  for (const customerId of customersWithBroken) {
    const own = statuses.filter((row) => row.customerId === customerId);
    const real: PaymentPromise[] = own.map(({ id, kind, madeOn, dueOn, amount }) => ({ id, kind, madeOn, dueOn, amount }));
    // Virtual ids below zero never collide with real ones.
    const makeGood: PaymentPromise[] = own
      .filter((row) => row.status === "broken")
      .map((row) => ({ id: -row.id, kind: row.kind, madeOn: addDays(row.dueOn, 1), dueOn: FAR_FUTURE, amount: row.amount - row.paid }));
    const evaluated = evaluatePromises([...real, ...makeGood], collections.get(customerId) ?? [], today);
    for (const result of evaluated) {
      if (result.id >= 0) continue;
      // result comes from judging makeGood itself, so its id is in it
      const shortfall = makeGood.find((c) => c.id === result.id)!.amount;
      owed.set(-result.id, shortfall - result.paid);
    }
  }
  return owed;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
