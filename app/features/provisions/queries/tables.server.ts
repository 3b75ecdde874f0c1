import type { Db } from "~/server/db.server";
import type { ProvisionReason } from "../../../../db/schema";
import type { IsoDate } from "~/kernel/ledger/types";
import type { AgeBasis } from "~/features/provisions/positions";

/** The stored rate table, named-customer provisions and forward-looking adjustments (migration 2026-12-08-provisions-tables). */

export interface StoredRateTable {
  id: number;
  effectiveFrom: IsoDate;
  basis: AgeBasis;
  upperDays: number[];
  ratesPpm: number[];
  note: string;
  version: number;
}

const numbers = (text: string) => (text === "" ? [] : text.split(",").map(Number));

/** The table in force at D: the latest effective on or before D. */
export async function rateTableAt(db: Db, asOf: IsoDate): Promise<StoredRateTable | null> {
  const row = await db.selectFrom("provision_rate_tables").selectAll().where("effective_from", "<=", asOf).orderBy("effective_from", "desc").limit(1).executeTakeFirst();
  return row ? toRateTable(row) : null;
}

function toRateTable(row: { id: number; effective_from: string; basis: AgeBasis; upper_days: string; rates_ppm: string; note: string; version: number }): StoredRateTable {
  return {
    id: row.id,
    effectiveFrom: row.effective_from,
    basis: row.basis,
    upperDays: numbers(row.upper_days),
    ratesPpm: numbers(row.rates_ppm),
    note: row.note,
    version: Number(row.version),
  };
}

export async function listRateTables(db: Db): Promise<StoredRateTable[]> {
  return (await db.selectFrom("provision_rate_tables").selectAll().orderBy("effective_from", "desc").execute()).map(toRateTable);
}

export interface StoredSpecific {
  id: number;
  customerId: number;
  customerCode: string;
  customerName: string;
  effectiveFrom: IsoDate;
  endedOn: IsoDate | null;
  kind: "percent" | "amount";
  value: number;
  reason: ProvisionReason;
  evidence: string;
  version: number;
}

/** Named-customer provisions in force at D, of the scope's customers (null: all). */
export async function specificAt(db: Db, asOf: IsoDate, customerIds: readonly number[] | null): Promise<StoredSpecific[]> {
  if (customerIds !== null && customerIds.length === 0) return [];
  const rows = await db
    .selectFrom("provision_specific as s")
    .innerJoin("customers as c", "c.id", "s.customer_id")
    .select(["s.id", "s.customer_id", "c.code", "c.name", "s.effective_from", "s.ended_on", "s.kind", "s.value", "s.reason", "s.evidence", "s.version"])
    .where("s.effective_from", "<=", asOf)
    .where((eb) => eb.or([eb("s.ended_on", "is", null), eb("s.ended_on", ">", asOf)]))
    .$if(customerIds !== null, (q) => q.where("s.customer_id", "in", customerIds ?? []))
    .orderBy("c.code")
    .orderBy("s.effective_from", "desc")
    .execute();
  // One in force per customer: the latest.
  const seen = new Set<number>();
  const result: StoredSpecific[] = [];
  for (const row of rows) {
    if (seen.has(row.customer_id)) continue;
    seen.add(row.customer_id);
    result.push({
      id: row.id,
      customerId: row.customer_id,
      customerCode: row.code,
      customerName: row.name,
      effectiveFrom: row.effective_from,
      endedOn: row.ended_on,
      kind: row.kind,
      value: Number(row.value),
      reason: row.reason,
      evidence: row.evidence,
      version: Number(row.version),
    });
  }
  return result;
}

/** The approved forward-looking adjustment in force at D (ppm), 0 without one. */
export async function adjustmentAt(db: Db, asOf: IsoDate): Promise<{ ppm: number; reason: string } | null> {
  const row = await db
    .selectFrom("provision_adjustments")
    .select(["adjustment_ppm", "reason"])
    .where("effective_from", "<=", asOf)
    .where("approved_at", "is not", null)
    .orderBy("effective_from", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { ppm: Number(row.adjustment_ppm), reason: row.reason } : null;
}

// ---------------------------------------------------------------- edits (the use cases audit them)

export async function rateTableByDate(db: Db, effectiveFrom: IsoDate): Promise<StoredRateTable | null> {
  const row = await db.selectFrom("provision_rate_tables").selectAll().where("effective_from", "=", effectiveFrom).executeTakeFirst();
  return row ? toRateTable(row) : null;
}

export async function insertRateTable(db: Db, table: Omit<StoredRateTable, "id" | "version">, userId: number, at: string): Promise<number> {
  const row = await db
    .insertInto("provision_rate_tables")
    .values({
      effective_from: table.effectiveFrom,
      basis: table.basis,
      upper_days: table.upperDays.join(","),
      rates_ppm: table.ratesPpm.join(","),
      note: table.note,
      updated_by: userId,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Updates the version the editor saw; false when another save came first. */
export async function updateRateTable(db: Db, id: number, version: number, table: Omit<StoredRateTable, "id" | "version">, userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable("provision_rate_tables")
    .set({
      basis: table.basis,
      upper_days: table.upperDays.join(","),
      rates_ppm: table.ratesPpm.join(","),
      note: table.note,
      updated_by: userId,
      updated_at: at,
      version: version + 1,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function customerForProvision(db: Db, code: string): Promise<{ id: number; code: string; ownerId: number | null } | null> {
  const row = await db.selectFrom("customers").select(["id", "code", "owner_id"]).where("code", "=", code).executeTakeFirst();
  return row ? { id: row.id, code: row.code, ownerId: row.owner_id } : null;
}

/** Of these collection actions, the ones recorded for the customer. */
export async function actionsOfCustomer(db: Db, customerId: number, actionIds: readonly number[]): Promise<number[]> {
  if (actionIds.length === 0) return [];
  const rows = await db.selectFrom("collection_actions").select("id").where("customer_id", "=", customerId).where("id", "in", [...actionIds]).execute();
  return rows.map((row) => row.id);
}

export async function specificById(db: Db, id: number) {
  return db.selectFrom("provision_specific").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface SpecificValues {
  customerId: number;
  effectiveFrom: IsoDate;
  kind: "percent" | "amount";
  value: number;
  reason: ProvisionReason;
  evidence: string;
}

export async function insertSpecific(db: Db, values: SpecificValues, actionIds: readonly number[], userId: number, at: string): Promise<number> {
  const row = await db
    .insertInto("provision_specific")
    .values({
      customer_id: values.customerId,
      effective_from: values.effectiveFrom,
      kind: values.kind,
      value: values.value,
      reason: values.reason,
      evidence: values.evidence,
      updated_by: userId,
      updated_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await linkActions(db, row.id, actionIds);
  return row.id;
}

async function linkActions(db: Db, specificId: number, actionIds: readonly number[]) {
  await db.deleteFrom("provision_specific_actions").where("specific_id", "=", specificId).execute();
  if (actionIds.length) await db.insertInto("provision_specific_actions").values(actionIds.map((actionId) => ({ specific_id: specificId, action_id: actionId }))).execute();
}

export async function updateSpecific(db: Db, id: number, version: number, values: SpecificValues, actionIds: readonly number[], userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable("provision_specific")
    .set({
      effective_from: values.effectiveFrom,
      kind: values.kind,
      value: values.value,
      reason: values.reason,
      evidence: values.evidence,
      updated_by: userId,
      updated_at: at,
      version: version + 1,
    })
    .where("id", "=", id)
    .where("customer_id", "=", values.customerId)
    .where("version", "=", version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await linkActions(db, id, actionIds);
  return true;
}

export async function endSpecific(db: Db, id: number, version: number, endedOn: IsoDate, userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable("provision_specific")
    .set({ ended_on: endedOn, updated_by: userId, updated_at: at, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function linkedActions(db: Db, specificIds: readonly number[]) {
  if (specificIds.length === 0) return [];
  return db
    .selectFrom("provision_specific_actions as l")
    .innerJoin("collection_actions as a", "a.id", "l.action_id")
    .select(["l.specific_id", "a.id", "a.kind", "a.action_date", "a.note"])
    .where("l.specific_id", "in", [...specificIds])
    .orderBy("a.action_date")
    .execute();
}

export async function insertAdjustment(db: Db, values: { effectiveFrom: IsoDate; ppm: number; reason: string }, userId: number, at: string): Promise<number> {
  const row = await db
    .insertInto("provision_adjustments")
    .values({ effective_from: values.effectiveFrom, adjustment_ppm: values.ppm, reason: values.reason, proposed_by: userId, proposed_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function adjustmentById(db: Db, id: number) {
  return db.selectFrom("provision_adjustments").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function approveAdjustment(db: Db, id: number, version: number, userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable("provision_adjustments")
    .set({ approved_by: userId, approved_at: at, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("approved_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listAdjustments(db: Db) {
  return db.selectFrom("provision_adjustments").selectAll().orderBy("effective_from", "desc").orderBy("id", "desc").limit(20).execute();
}

export async function listSpecific(db: Db, customerIds: readonly number[] | null) {
  if (customerIds !== null && customerIds.length === 0) return [];
  return db
    .selectFrom("provision_specific as s")
    .innerJoin("customers as c", "c.id", "s.customer_id")
    .select(["s.id", "c.code", "c.name", "s.effective_from", "s.ended_on", "s.kind", "s.value", "s.reason", "s.evidence", "s.version"])
    .$if(customerIds !== null, (q) => q.where("s.customer_id", "in", customerIds ?? []))
    .orderBy("c.code")
    .orderBy("s.effective_from", "desc")
    .execute();
}
