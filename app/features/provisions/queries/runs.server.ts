import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { PeriodKind } from "~/features/provisions/movement";

/** Provision runs (migration 2026-12-09-provisions-runs) and what a draft reads besides the provision. */

export type RunRow = Awaited<ReturnType<typeof runById>> & {};

export async function runById(db: Db, id: number) {
  return db.selectFrom("provision_runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function runByPeriod(db: Db, periodEnd: IsoDate) {
  return db.selectFrom("provision_runs").selectAll().where("period_end", "=", periodEnd).executeTakeFirst();
}

/** The runs, newest first; of one period kind when given (month, quarter or year ends). */
export async function listRuns(db: Db, kind: PeriodKind | null = null) {
  let query = db
    .selectFrom("provision_runs")
    .select(["id", "period_end", "period_kind", "status", "ladder_total", "matrix_total", "gross", "version", "approved_at"])
    .orderBy("period_end", "desc");
  if (kind) query = query.where("period_kind", "=", kind);
  return query.execute();
}

/** The latest approved run ending before D. */
export async function previousApproved(db: Db, before: IsoDate) {
  return db
    .selectFrom("provision_runs")
    .selectAll()
    .where("status", "=", "approved")
    .where("period_end", "<", before)
    .orderBy("period_end", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Whether an approved run ends after D (runs are approved in date order, so each movement chains). */
export async function approvedAfter(db: Db, after: IsoDate): Promise<boolean> {
  const row = await db.selectFrom("provision_runs").select("id").where("status", "=", "approved").where("period_end", ">", after).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function approvedAt(db: Db, periodEnd: IsoDate) {
  return db.selectFrom("provision_runs").selectAll().where("status", "=", "approved").where("period_end", "=", periodEnd).executeTakeFirst();
}

/** The ledger's write-offs dated after `after` up to and including `upTo` (minor units). */
export async function writtenOffBetween(db: Db, after: IsoDate, upTo: IsoDate): Promise<number> {
  const row = await db
    .selectFrom("adjustments")
    .select((eb) => eb.fn.sum<number | string | null>("amount").as("total"))
    .where("type", "=", "write_off")
    .where("date", ">", after)
    .where("date", "<=", upTo)
    .executeTakeFirst();
  return Math.abs(Number(row?.total ?? 0));
}

/** Every customer with documents (the ones the provision inputs are kept for), with code and name. */
export async function customersWithDocuments(db: Db): Promise<{ id: number; code: string; name: string }[]> {
  return db
    .selectFrom("provision_customers as pc")
    .innerJoin("customers as c", "c.id", "pc.customer_id")
    .select(["c.id", "c.code", "c.name"])
    .orderBy("c.code")
    .execute();
}

/** The approved runs ending in [start, end], oldest first. */
export async function approvedRunsBetween(db: Db, start: IsoDate, end: IsoDate) {
  return db
    .selectFrom("provision_runs")
    .select(["id", "period_end", "opening", "written_off", "ladder_total"])
    .where("status", "=", "approved")
    .where("period_end", ">=", start)
    .where("period_end", "<=", end)
    .orderBy("period_end", "asc")
    .execute();
}

/** Codes and names of the given customers, one query. */
export async function customerNames(db: Db, ids: readonly number[]): Promise<{ id: number; code: string; name: string }[]> {
  if (ids.length === 0) return [];
  return db.selectFrom("customers").select(["id", "code", "name"]).where("id", "in", [...ids]).execute();
}

/** Every run with its movement's stored parts, oldest first (the movement table). */
export async function runMovements(db: Db, kind: PeriodKind | null) {
  let query = db
    .selectFrom("provision_runs")
    .select(["id", "period_end", "period_kind", "status", "opening", "written_off", "ladder_total", "matrix_total", "gross", "approved_at"])
    .orderBy("period_end", "asc");
  if (kind) query = query.where("period_kind", "=", kind);
  return query.execute();
}

export interface RunValues {
  periodEnd: IsoDate;
  kind: PeriodKind;
  basis: "issue" | "due";
  figures: string;
  ladderTotal: number;
  matrixTotal: number;
  gross: number;
  previousRunId: number | null;
  opening: number;
  writtenOff: number;
}

const columns = (values: RunValues) => ({
  period_kind: values.kind,
  basis: values.basis,
  figures: values.figures,
  ladder_total: values.ladderTotal,
  matrix_total: values.matrixTotal,
  gross: values.gross,
  previous_run_id: values.previousRunId,
  opening: values.opening,
  written_off: values.writtenOff,
});

export async function insertRun(db: Db, values: RunValues, userId: number, at: string): Promise<number> {
  const row = await db
    .insertInto("provision_runs")
    .values({ period_end: values.periodEnd, ...columns(values), drafted_by: userId, drafted_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Recomputes a draft the head saw at `version`; false when it moved on (or was approved). */
export async function updateDraft(db: Db, id: number, version: number, values: RunValues, userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable("provision_runs")
    .set({ ...columns(values), drafted_by: userId, drafted_at: at, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("status", "=", "draft")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function approveRun(db: Db, id: number, version: number, flags: string, seen: boolean, userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable("provision_runs")
    .set({ status: "approved", flags, flags_seen: seen ? 1 : 0, approved_by: userId, approved_at: at, version: version + 1 })
    .where("id", "=", id)
    .where("version", "=", version)
    .where("status", "=", "draft")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
