import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import {
  type Collection,
  type PromiseKind,
  type PromiseStatus,
  evaluatePromises,
} from "~/features/credit/collection-actions/promises";
import type { IsoDate } from "~/kernel/ledger/types";
import type { CollectionActionKind } from "~/features/credit/collection-actions/schema";

/** A promise to pay or an agreement instalment with its status derived from the ledger as of a date. */
export interface PromiseStatusRow {
  id: number;
  customerId: number;
  actionId: number;
  kind: PromiseKind;
  sequence: number;
  madeOn: IsoDate;
  dueOn: IsoDate;
  /** minor units */
  amount: number;
  status: PromiseStatus;
  /** collected towards it up to asOf, minor units */
  paid: number;
  keptOn: IsoDate | null;
}

/** SQLite caps bound parameters; long id lists are read in slices of this size. */
const ID_CHUNK = 500;

function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Every promise made on or before `asOf` by the given customers (null = all), with status,
 * paid and keptOn derived as of `asOf` from the customer's collections (payments and `offset`
 * adjustments, app/features/credit/collection-actions/promises.ts). Ordered by customer, due date, id. The status
 * columns stored in payment_promises are a cache and are not read here.
 */
export async function loadPromiseStatuses(
  db: Db,
  customerIds: readonly number[] | null,
  asOf: IsoDate,
): Promise<PromiseStatusRow[]> {
  if (customerIds !== null && customerIds.length === 0) return [];
  const promiseQuery = db
    .selectFrom("payment_promises")
    .select([
      "id",
      "customer_id as customerId",
      "action_id as actionId",
      "kind",
      "sequence",
      "made_on as madeOn",
      "due_on as dueOn",
      "amount",
    ])
    .where("made_on", "<=", asOf)
    .orderBy("customer_id")
    .orderBy("due_on")
    .orderBy("id");
  const promises =
    customerIds === null
      ? await promiseQuery.execute()
      : (
          await Promise.all(
            chunks([...new Set(customerIds)]).map((ids) => promiseQuery.where("customer_id", "in", ids).execute()),
          )
        )
          .flat()
          .sort((a, b) => a.customerId - b.customerId || cmp(a.dueOn, b.dueOn) || a.id - b.id);
  if (promises.length === 0) return [];

  const byCustomer = new Map<number, typeof promises>();
  for (const promise of promises) {
    const list = byCustomer.get(promise.customerId);
    if (list) list.push(promise);
    else byCustomer.set(promise.customerId, [promise]);
  }

  // Only collections a promise could count: made on or before them, and up to asOf.
  const earliest = promises.reduce((min, c) => (c.madeOn < min ? c.madeOn : min), promises[0]?.madeOn ?? asOf);
  const collections = new Map<number, Collection[]>();
  for (const ids of chunks([...byCustomer.keys()])) {
    const rows = await db
      .selectFrom("payments")
      .select(["customer_id as customerId", "date", "amount", "id", sql<number>`0`.as("source")])
      .where("customer_id", "in", ids)
      .where("date", ">=", earliest)
      .where("date", "<=", asOf)
      .unionAll(
        db
          .selectFrom("adjustments")
          .select(["customer_id as customerId", "date", "amount", "id", sql<number>`1`.as("source")])
          .where("type", "=", "offset")
          .where("customer_id", "in", ids)
          .where("date", ">=", earliest)
          .where("date", "<=", asOf),
      )
      .orderBy("customerId")
      .orderBy("date")
      .orderBy("source")
      .orderBy("id")
      .execute();
    for (const row of rows) {
      const list = collections.get(row.customerId);
      const collection = { date: row.date, amount: row.amount };
      if (list) list.push(collection);
      else collections.set(row.customerId, [collection]);
    }
  }

  const result: PromiseStatusRow[] = [];
  for (const [customerId, list] of byCustomer) {
    const evaluated = evaluatePromises(list, collections.get(customerId) ?? [], asOf);
    list.forEach((promise, i) => {
      // evaluatePromises answers one result per promise, in order
      const { status, paid, keptOn } = evaluated[i] as (typeof evaluated)[number];
      result.push({ ...promise, status, paid, keptOn });
    });
  }
  return result;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface CollectionActionRow {
  id: number;
  customerId: number;
  kind: CollectionActionKind;
  actionDate: IsoDate;
  note: string;
  /** a promise's amount or an agreement's total, minor units */
  amount: number | null;
  userName: string | null;
  createdAt: string;
}

function actionsQuery(db: Db) {
  return db
    .selectFrom("collection_actions as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .select([
      "a.id",
      "a.customer_id as customerId",
      "a.kind",
      "a.action_date as actionDate",
      "a.note",
      "a.amount",
      "u.name as userName",
      "a.created_at as createdAt",
    ]);
}

/** A customer's collection actions, newest first (by date, then by when they were recorded). */
export function listCollectionActions(db: Db, customerId: number, limit: number): Promise<CollectionActionRow[]> {
  return actionsQuery(db)
    .where("a.customer_id", "=", customerId)
    .orderBy("a.action_date", "desc")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();
}

export async function countCollectionActions(db: Db, customerId: number): Promise<number> {
  const row = await db
    .selectFrom("collection_actions")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("customer_id", "=", customerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Actions dated in [since, until] on the customers an owner owns, newest first, with the customer. */
export function recentActionsOnOwnersCustomers(db: Db, ownerId: number, since: IsoDate, until: IsoDate, limit: number) {
  return actionsQuery(db)
    .innerJoin("customers as c", "c.id", "a.customer_id")
    .select(["c.code as customerCode", "c.name as customerName"])
    .where("c.owner_id", "=", ownerId)
    .where("a.action_date", ">=", since)
    .where("a.action_date", "<=", until)
    .orderBy("a.action_date", "desc")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();
}

export interface OwnedCustomer {
  id: number;
  code: string;
  name: string;
}

/** The customers an owner owns that have at least one promise: whose follow-ups to list. */
export function ownersCustomersWithPromises(db: Db, ownerId: number): Promise<OwnedCustomer[]> {
  return db
    .selectFrom("customers as c")
    .select(["c.id", "c.code", "c.name"])
    .where("c.owner_id", "=", ownerId)
    .where((eb) => eb.exists(eb.selectFrom("payment_promises as p").select("p.id").whereRef("p.customer_id", "=", "c.id")))
    .orderBy("c.code")
    .execute();
}

/** Collections (payments and offsets) of these customers dated in [from, to], in date order (a day's by amount). */
export async function collectionsBetween(
  db: Db,
  customerIds: readonly number[],
  from: IsoDate,
  to: IsoDate,
): Promise<Map<number, Collection[]>> {
  const result = new Map<number, Collection[]>();
  for (const ids of chunks([...new Set(customerIds)])) {
    if (ids.length === 0) continue;
    const rows = await db
      .selectFrom("payments")
      .select(["customer_id as customerId", "date", "amount"])
      .where("customer_id", "in", ids)
      .where("date", ">=", from)
      .where("date", "<=", to)
      .unionAll(
        db
          .selectFrom("adjustments")
          .select(["customer_id as customerId", "date", "amount"])
          .where("type", "=", "offset")
          .where("customer_id", "in", ids)
          .where("date", ">=", from)
          .where("date", "<=", to),
      )
      .orderBy("customerId")
      .orderBy("date")
      // the same day's collections in one order on every database (SQLite and PostgreSQL hand ties over differently)
      .orderBy("amount")
      .execute();
    for (const row of rows) {
      const list = result.get(row.customerId) ?? [];
      list.push({ date: row.date, amount: row.amount });
      result.set(row.customerId, list);
    }
  }
  return result;
}

export interface NewCollectionAction {
  customerId: number;
  userId: number | null;
  kind: CollectionActionKind;
  actionDate: IsoDate;
  note: string;
  amount: number | null;
  /** made on the action's date; a promise is one, an agreement's instalments are numbered in order */
  promises: { kind: PromiseKind; dueOn: IsoDate; amount: number }[];
}

/** Writes an action and its promises; call inside the caller's transaction. Returns the ids. */
export async function insertCollectionAction(
  db: Db,
  input: NewCollectionAction,
  now: Date,
): Promise<{ actionId: number; promiseIds: number[] }> {
  const createdAt = now.toISOString();
  const action = await db
    .insertInto("collection_actions")
    .values({
      customer_id: input.customerId,
      user_id: input.userId,
      kind: input.kind,
      action_date: input.actionDate,
      note: input.note,
      amount: input.amount,
      created_at: createdAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.promises.length === 0) return { actionId: action.id, promiseIds: [] };
  const rows = await db
    .insertInto("payment_promises")
    .values(
      input.promises.map((promise, i) => ({
        customer_id: input.customerId,
        action_id: action.id,
        kind: promise.kind,
        sequence: i + 1,
        made_on: input.actionDate,
        due_on: promise.dueOn,
        amount: promise.amount,
        created_at: createdAt,
      })),
    )
    .returning("id")
    .execute();
  return { actionId: action.id, promiseIds: rows.map((row) => row.id) };
}

// ---------------------------------------------------------------- the stored statuses (kept by promise-keeper.server.ts)

/** Every promise's stored status columns, by id. */
export async function storedPromiseColumns(
  db: Db,
): Promise<Map<number, { status: PromiseStatus; paid: number; keptOn: IsoDate | null; evaluatedOn: IsoDate | null }>> {
  const rows = await db.selectFrom("payment_promises").select(["id", "status", "paid", "kept_on", "evaluated_on"]).execute();
  return new Map(rows.map((row) => [row.id, { status: row.status, paid: row.paid, keptOn: row.kept_on, evaluatedOn: row.evaluated_on }]));
}

/** Writes evaluated statuses, stamped with the day they were worked out. */
export async function writePromiseStatuses(
  db: Db,
  rows: readonly { id: number; status: PromiseStatus; paid: number; keptOn: IsoDate | null }[],
  evaluatedOn: IsoDate,
): Promise<void> {
  for (const row of rows) {
    await db
      .updateTable("payment_promises")
      .set({ status: row.status, paid: row.paid, kept_on: row.keptOn, evaluated_on: evaluatedOn })
      .where("id", "=", row.id)
      .execute();
  }
}

/** Promises due in [from, to] as last stored, with their customer: what the scoring counts. */
export function storedPromisesDueBetween(db: Db, from: IsoDate, to: IsoDate) {
  return db
    .selectFrom("payment_promises")
    .select(["customer_id as customerId", "due_on as dueOn", "status", "kept_on as keptOn"])
    .where("due_on", ">=", from)
    .where("due_on", "<=", to)
    .execute();
}
