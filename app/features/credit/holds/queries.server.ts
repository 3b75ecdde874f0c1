import { sql } from "kysely";

import type { HoldKind } from "~/features/credit/holds/holds";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Db } from "~/server/db.server";
import { dayStartsAt } from "~/server/clock.server";
import { displayTimeZone } from "~/server/env.server";
import { addDays } from "~/kernel/dates";
import { recordAudit } from "~/features/audit/index.server";
import { holdChanged } from "~/features/notifications/index.server";

export interface HoldRow {
  id: number;
  customerId: number;
  kind: HoldKind;
  reason: string;
  setAt: string;
  setByName: string | null;
  releasedAt: string | null;
  releasedByName: string | null;
  releaseReason: string | null;
}

function holdsQuery(db: Db) {
  return db
    .selectFrom("customer_holds as h")
    .leftJoin("users as setter", "setter.id", "h.set_by")
    .leftJoin("users as releaser", "releaser.id", "h.released_by")
    .select([
      "h.id",
      "h.customer_id as customerId",
      "h.kind",
      "h.reason",
      "h.set_at as setAt",
      "setter.name as setByName",
      "h.released_at as releasedAt",
      "releaser.name as releasedByName",
      "h.release_reason as releaseReason",
    ]);
}

/** The hold in force (at most one per customer), or null. */
export async function currentHold(db: Db, customerId: number): Promise<HoldRow | null> {
  const row = await holdsQuery(db).where("h.customer_id", "=", customerId).where("h.released_at", "is", null).executeTakeFirst();
  return row ?? null;
}

/** Every hold the customer has had, newest first. */
export function holdHistory(db: Db, customerId: number): Promise<HoldRow[]> {
  return holdsQuery(db).where("h.customer_id", "=", customerId).orderBy("h.set_at", "desc").orderBy("h.id", "desc").execute();
}

/** Customers on hold now, with the customer's code and name, stop shipment first. */
export function listCurrentHolds(db: Db) {
  return holdsQuery(db)
    .innerJoin("customers as c", "c.id", "h.customer_id")
    .select(["c.code as customerCode", "c.name as customerName"])
    .where("h.released_at", "is", null)
    .orderBy("h.kind", "desc")
    .orderBy("c.code")
    .execute();
}

export async function countCustomersOnHold(db: Db): Promise<number> {
  const row = await db
    .selectFrom("customer_holds")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("released_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type HoldChangeResult = { ok: true; hold: HoldRow | null } | { ok: false; error: "sameHold" | "noHold" | "unknownCustomer" };

/**
 * Puts a customer on hold. Changing the kind of a hold in force releases the old row (its
 * release reason says what replaced it) and opens a new one, so the history reads in order.
 */
export async function setHold(
  db: Db,
  input: { customerId: number; kind: HoldKind; reason: string },
  userId: number,
  now = new Date(),
): Promise<HoldChangeResult> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx.selectFrom("customers").select("id").where("id", "=", input.customerId).executeTakeFirst();
    if (!customer) return { ok: false as const, error: "unknownCustomer" as const };
    const before = await currentHold(trx, input.customerId);
    if (before?.kind === input.kind) return { ok: false as const, error: "sameHold" as const };
    const at = now.toISOString();
    if (before) {
      await trx
        .updateTable("customer_holds")
        .set({ released_at: at, released_by: userId, release_reason: `→ ${input.kind}: ${input.reason}` })
        .where("id", "=", before.id)
        .execute();
    }
    await trx
      .insertInto("customer_holds")
      .values({ customer_id: input.customerId, kind: input.kind, reason: input.reason, set_by: userId, set_at: at })
      .execute();
    const after = await currentHold(trx, input.customerId);
    await recordAudit(
      trx,
      {
        userId,
        entity: "hold",
        entityId: input.customerId,
        action: before ? "change" : "set",
        before: before ? { kind: before.kind, reason: before.reason } : null,
        after: { kind: input.kind, reason: input.reason },
      },
      now,
    );
    await holdChanged(trx, { customerId: input.customerId, kind: input.kind, actorId: userId }, now);
    return { ok: true as const, hold: after };
  });
}

export async function releaseHold(
  db: Db,
  input: { customerId: number; reason: string },
  userId: number,
  now = new Date(),
): Promise<HoldChangeResult> {
  return db.transaction().execute(async (trx) => {
    const before = await currentHold(trx, input.customerId);
    if (!before) return { ok: false as const, error: "noHold" as const };
    await trx
      .updateTable("customer_holds")
      .set({ released_at: now.toISOString(), released_by: userId, release_reason: input.reason })
      .where("id", "=", before.id)
      .execute();
    await recordAudit(
      trx,
      {
        userId,
        entity: "hold",
        entityId: input.customerId,
        action: "release",
        before: { kind: before.kind, reason: before.reason },
        after: { released: true, reason: input.reason },
      },
      now,
    );
    await holdChanged(trx, { customerId: input.customerId, kind: null, actorId: userId }, now);
    return { ok: true as const, hold: null };
  });
}

// ---------------------------------------------------------------- the holds page's reads

/** The status table's tables the hold figures read (kept by the status-table feature). */
type StatusRunTables = {
  status_open_runs: { customer_id: number; to_day: string; from_day: string; due_date: string; open_amount: number };
  status_customer_dates: { customer_id: number; last_document_date: string };
};

export interface HoldsCustomerFilters {
  /** an owner's user id, or "none" for customers without an owner */
  owner?: number | "none";
  region?: string;
}

export interface HoldsCustomerRow {
  id: number;
  code: string;
  name: string;
  region: string | null;
  ownerName: string | null;
  creditGrade: string | null;
  creditLimit: number | null;
  holdId: number | null;
  holdKind: HoldKind | null;
  holdSetAt: string | null;
  holdReason: string | null;
  holdSetByName: string | null;
}

/** Every customer in scope passing the filters, with the hold in force (if any). */
export async function holdsCustomers(db: Db, scope: LedgerScope, filters: HoldsCustomerFilters): Promise<HoldsCustomerRow[]> {
  let query = db
    .selectFrom("customers as c")
    .leftJoin("customer_holds as h", (join) => join.onRef("h.customer_id", "=", "c.id").on("h.released_at", "is", null))
    .leftJoin("users as o", "o.id", "c.owner_id")
    .leftJoin("users as setter", "setter.id", "h.set_by")
    .select([
      "c.id",
      "c.code",
      "c.name",
      "c.region",
      "o.name as ownerName",
      "c.credit_grade as creditGrade",
      "c.credit_limit as creditLimit",
      "h.id as holdId",
      "h.kind as holdKind",
      "h.set_at as holdSetAt",
      "h.reason as holdReason",
      "setter.name as holdSetByName",
    ]);
  if (scope.kind === "owner") query = query.where("c.owner_id", "=", scope.ownerId);
  if (filters.owner === "none") query = query.where("c.owner_id", "is", null);
  else if (filters.owner !== undefined) query = query.where("c.owner_id", "=", filters.owner);
  if (filters.region) query = query.where("c.region", "=", filters.region);
  return query.orderBy("c.code").execute();
}

export interface OpenLine {
  customerId: number;
  dueDate: IsoDate;
  /** the open amount of the customer's documents due that day (credits included) */
  amount: number;
  /** the same without credits: what the hold rules count as overdue */
  positiveAmount: number;
}

/**
 * The open amounts as of T of the customers in scope, per due date: from `open_items` (which
 * counts every document, exactly today for a customer with no document dated after today) or,
 * for customers with later-dated documents, from their open runs covering T.
 */
export async function openLinesAsOf(db: Db, scope: LedgerScope, filters: HoldsCustomerFilters, T: IsoDate): Promise<OpenLine[]> {
  const sdb = db.withTables<StatusRunTables>();
  let customers = sdb.selectFrom("customers as c").select("c.id");
  if (scope.kind === "owner") customers = customers.where("c.owner_id", "=", scope.ownerId);
  if (filters.owner === "none") customers = customers.where("c.owner_id", "is", null);
  else if (filters.owner !== undefined) customers = customers.where("c.owner_id", "=", filters.owner);
  if (filters.region) customers = customers.where("c.region", "=", filters.region);
  const later = sdb.selectFrom("status_customer_dates").select("customer_id").where("last_document_date", ">", T);

  const fromOpenItems = sdb
    .selectFrom("open_items")
    .select(["customer_id", "due_date", "open_amount"])
    .where("customer_id", "in", customers)
    .where("customer_id", "not in", later);
  const fromRuns = sdb
    .selectFrom("status_open_runs")
    .select(["customer_id", "due_date", "open_amount"])
    .where("customer_id", "in", customers)
    .where("customer_id", "in", later)
    .where("to_day", ">=", T)
    .where("from_day", "<=", T)
    .where("open_amount", ">", 0);
  const rows = await sdb
    .selectFrom(fromOpenItems.unionAll(fromRuns).as("l"))
    .select((eb) => [
      "l.customer_id",
      "l.due_date",
      eb.fn.sum<number>("l.open_amount").as("amount"),
      eb.fn.sum<number>(eb.case().when("l.open_amount", ">", 0).then(eb.ref("l.open_amount")).else(0).end()).as("positive"),
    ])
    .groupBy(["l.customer_id", "l.due_date"])
    .execute();
  return rows.map((row) => ({
    customerId: Number(row.customer_id),
    dueDate: row.due_date,
    amount: Number(row.amount),
    positiveAmount: Number(row.positive),
  }));
}

export async function customerIdByCode(db: Db, code: string): Promise<{ id: number; code: string } | undefined> {
  return db.selectFrom("customers").select(["id", "code"]).where("code", "=", code).executeTakeFirst();
}

/** SQLite caps bound parameters; long id lists are counted in slices. */
const ID_CHUNK = 500;

/**
 * Customers with a hold in force at the end of `asOf`: set on or before that day and not released
 * by its end. Holds are stamped with an ISO instant; its UTC date is the day it counts from.
 */
export async function customersOnHoldAsOf(db: Db, customerIds: readonly number[] | null, asOf: IsoDate, timeZone: string = displayTimeZone()): Promise<number> {
  // On hold at the end of asOf in the installation's time zone (the day the page dates a hold by),
  // not at the end of asOf's UTC day: set before the next local day began and not released by then.
  const dayEnd = dayStartsAt(addDays(asOf, 1), timeZone);
  const count = async (ids: readonly number[] | null) => {
    let query = db
      .selectFrom("customer_holds")
      .select(sql<number>`count(distinct customer_id)`.as("n"))
      .where("set_at", "<", dayEnd)
      .where((eb) => eb.or([eb("released_at", "is", null), eb("released_at", ">=", dayEnd)]));
    if (ids !== null) query = query.where("customer_id", "in", ids);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };
  if (customerIds === null) return count(null);
  let total = 0;
  const unique = [...new Set(customerIds)];
  for (let i = 0; i < unique.length; i += ID_CHUNK) total += await count(unique.slice(i, i + ID_CHUNK));
  return total;
}
