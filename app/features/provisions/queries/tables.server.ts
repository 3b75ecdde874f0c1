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
