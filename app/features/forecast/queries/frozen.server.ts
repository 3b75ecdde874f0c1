/**
 * The SQL of forecast against actual: the frozen weekly forecasts (`forecast_frozen_weeks`, written
 * only by the background job) and each scope's collections by week from the KPI summaries'
 * running total of collections (no ledger scan).
 */
import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { addDays } from "~/kernel/dates";
import type { FrozenWeek } from "../frozen";
import type { ForecastScopeFilter } from "../queries.server";

export type SummaryScopeKind = "company" | "owner" | "region" | "grade";

export interface SummaryScopeRow {
  id: number;
  kind: SummaryScopeKind;
  key: string;
  /** the owner's e-mail for an owner scope */
  email: string | null;
}

/** Every KPI summary scope (company, owners, regions, grades), the company first. */
export async function summaryScopes(db: Db): Promise<SummaryScopeRow[]> {
  const rows = await db.selectFrom("kpi_scopes").select(["id", "kind", "key"]).orderBy("id").execute();
  const owners = new Map((await db.selectFrom("users").select(["id", "email"]).execute()).map((u) => [String(u.id), u.email]));
  const order = { company: 0, owner: 1, region: 2, grade: 3 } as const;
  return rows
    .map((r) => ({ id: r.id, kind: r.kind, key: r.key, email: r.kind === "owner" ? (owners.get(r.key) ?? null) : null }))
    .sort((a, b) => order[a.kind] - order[b.kind] || a.id - b.id);
}

/** The summary scope (kind and key as `kpi_scopes`) a forecast filter names; null for one customer. */
export function summaryKeyOf(filter: ForecastScopeFilter): { kind: SummaryScopeKind; key: string } | null {
  switch (filter.kind) {
    case "company":
      return { kind: "company", key: "" };
    case "owner":
      return { kind: "owner", key: String(filter.ownerId) };
    case "region":
      return { kind: "region", key: filter.name };
    case "grade":
      return { kind: "grade", key: filter.grade };
    case "customer":
      return null;
  }
}

export function filterOfSummaryScope(scope: { kind: SummaryScopeKind; key: string }): ForecastScopeFilter {
  switch (scope.kind) {
    case "company":
      return { kind: "company" };
    case "owner":
      return { kind: "owner", ownerId: Number(scope.key) };
    case "region":
      return { kind: "region", name: scope.key };
    case "grade":
      return { kind: "grade", grade: scope.key };
  }
}

/** Which (scope, Monday) pairs are already frozen from `from` on, as "kind|key|monday". */
export async function frozenMondays(db: Db, from: IsoDate): Promise<Set<string>> {
  const rows = await db
    .selectFrom("forecast_frozen_weeks")
    .select(["scope_kind", "scope_key", "frozen_on"])
    .where("week", "=", 1)
    .where("frozen_on", ">=", from)
    .execute();
  return new Set(rows.map((r) => `${r.scope_kind}|${r.scope_key}|${r.frozen_on}`));
}

export interface FrozenInsert {
  kind: SummaryScopeKind;
  key: string;
  frozenOn: IsoDate;
  weeks: { start: IsoDate; end: IsoDate; expected: number; low: number; high: number }[];
  reconstructed: boolean;
  frozenAt: string;
}

/** Keeps one Monday's forecast for one scope; a pair already kept stays as it was. */
export async function insertFrozen(db: Db, freeze: FrozenInsert): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const kept = await trx
      .selectFrom("forecast_frozen_weeks")
      .select("week")
      .where("scope_kind", "=", freeze.kind)
      .where("scope_key", "=", freeze.key)
      .where("frozen_on", "=", freeze.frozenOn)
      .executeTakeFirst();
    if (kept || freeze.weeks.length === 0) return;
    await trx
      .insertInto("forecast_frozen_weeks")
      .values(
        freeze.weeks.map((w, i) => ({
          scope_kind: freeze.kind,
          scope_key: freeze.key,
          frozen_on: freeze.frozenOn,
          week: i + 1,
          week_start: w.start,
          week_end: w.end,
          expected: w.expected,
          low: w.low,
          high: w.high,
          reconstructed: freeze.reconstructed ? 1 : 0,
          frozen_at: freeze.frozenAt,
        })),
      )
      .execute();
  });
}

/** The frozen forecasts of one scope for the weeks starting from..to (as week 1 or any later week). */
export async function frozenWeeksOf(db: Db, scope: { kind: SummaryScopeKind; key: string }, from: IsoDate, to: IsoDate): Promise<FrozenWeek[]> {
  const rows = await db
    .selectFrom("forecast_frozen_weeks")
    .select(["frozen_on", "week", "week_start", "week_end", "expected", "low", "high", "reconstructed"])
    .where("scope_kind", "=", scope.kind)
    .where("scope_key", "=", scope.key)
    .where("week_start", ">=", from)
    .where("week_start", "<=", to)
    .execute();
  return rows.map((r) => ({
    frozenOn: r.frozen_on,
    week: r.week,
    start: r.week_start,
    end: r.week_end,
    expected: Number(r.expected),
    low: Number(r.low),
    high: Number(r.high),
    reconstructed: r.reconstructed === 1,
  }));
}

/**
 * What the scope collected in each week (Monday `starts`, each through the Sunday after): the
 * KPI summaries' running total of collections at the end of the Sunday less at the end of the
 * day before the Monday.
 */
export async function collectedByWeek(db: Db, scope: { kind: SummaryScopeKind; key: string }, starts: readonly IsoDate[]): Promise<Map<IsoDate, number>> {
  const result = new Map<IsoDate, number>();
  if (starts.length === 0) return result;
  const row = await db.selectFrom("kpi_scopes").select("id").where("kind", "=", scope.kind).where("key", "=", scope.key).executeTakeFirst();
  if (!row) return result;
  const days = [...new Set(starts.flatMap((start) => [addDays(start, -1), addDays(start, 6)]))];
  const list = sql.join(days.map((day) => sql`(${day})`));
  const rows = await sql<{ asked_day: string; collected: number | null }>`
    WITH asked (day) AS (VALUES ${list})
    SELECT asked.day AS asked_day, (
      SELECT s.collected_to_date FROM kpi_daily_summaries s
      WHERE s.scope_id = ${row.id} AND s.day = (SELECT max(m.day) FROM kpi_daily_summaries m WHERE m.scope_id = ${row.id} AND m.day <= asked.day)
    ) AS collected
    FROM asked`.execute(db);
  const through = new Map(rows.rows.map((r) => [String(r.asked_day), Number(r.collected ?? 0)]));
  for (const start of starts) result.set(start, (through.get(addDays(start, 6)) ?? 0) - (through.get(addDays(start, -1)) ?? 0));
  return result;
}
