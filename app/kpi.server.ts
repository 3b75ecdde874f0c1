import type { Db } from "~/db.server";
import { isValidIsoDate } from "~/domain/dates";
import { type KpiScope, parseScope, scopeText } from "~/domain/kpi-scope";
import { type KpiJson, type KpiValues, computeKpis, kpiJson, resolveKpiPeriod } from "~/domain/kpis";
import type { IsoDate, LedgerSnapshot } from "~/domain/ledger-types";
import { loadLedgerSnapshot, scopeCustomerIds } from "~/models/kpi-ledger.server";
import { getSettings } from "~/models/settings.server";

/**
 * The KPI object of KPIS.md section 5 for any date and scope: one implementation behind the CLI,
 * the API, the dashboard and plan items. Today it settles the scope's documents in memory with
 * the pure engine; a summary-backed fast path can replace `kpiValues` without changing callers
 * (the property test guards that both agree).
 */

export class KpiRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

export interface KpiRequest {
  asOf: string;
  scope?: string | null;
  periodStart?: string | null;
  baseline?: string | null;
}

export interface ResolvedKpiRequest {
  asOf: IsoDate;
  scope: KpiScope;
  periodStart?: IsoDate;
  baseline?: IsoDate;
}

function checkDate(name: string, value: string | null | undefined): IsoDate | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (!isValidIsoDate(value)) throw new KpiRequestError(`${name} must be a real date written YYYY-MM-DD, got "${value}"`);
  return value;
}

/** Validates the request's words (dates, scope syntax, period order); no database needed. */
export function resolveKpiRequest(request: KpiRequest, names = { asOf: "asOf", periodStart: "periodStart", baseline: "baseline" }): ResolvedKpiRequest {
  const asOf = checkDate(names.asOf, request.asOf);
  if (!asOf) throw new KpiRequestError(`${names.asOf} is required (YYYY-MM-DD)`);
  const periodStart = checkDate(names.periodStart, request.periodStart);
  const baseline = checkDate(names.baseline, request.baseline);
  if (periodStart && periodStart > asOf) {
    throw new KpiRequestError(`${names.periodStart} ${periodStart} is after ${names.asOf} ${asOf}`);
  }
  const parsed = parseScope(request.scope);
  if (!parsed.ok) throw new KpiRequestError(parsed.message);
  return { asOf, scope: parsed.scope, periodStart, baseline };
}

/** The scope's ledger through the latest date the computation looks at. */
async function scopedSnapshot(db: Db, request: ResolvedKpiRequest, through: IsoDate): Promise<LedgerSnapshot> {
  const customerIds = await scopeCustomerIds(db, request.scope);
  if (customerIds === "unknown") {
    throw new KpiRequestError(`scope ${scopeText(request.scope)} names no known ${request.scope.type}`, 404);
  }
  return loadLedgerSnapshot(db, customerIds, through);
}

export async function kpiValues(db: Db, request: ResolvedKpiRequest): Promise<{ values: KpiValues; json: KpiJson }> {
  const settings = await getSettings(db);
  const period = resolveKpiPeriod({ ...request, fiscalStartMonth: settings.fiscalStartMonth });
  const through = period.baselineDate > period.asOf ? period.baselineDate : period.asOf;
  const snapshot = await scopedSnapshot(db, request, through);
  const values = computeKpis(snapshot, { ...request, fiscalStartMonth: settings.fiscalStartMonth });
  const json = kpiJson(values, {
    asOf: period.asOf,
    periodStart: period.periodStart,
    baselineDate: period.baselineDate,
    scope: scopeText(request.scope),
    currency: settings.baseCurrency,
  });
  return { values, json };
}

/** KPIS.md section 5's object from raw words (CLI flags, API query parameters). */
export async function kpiObject(db: Db, request: KpiRequest): Promise<KpiJson> {
  return (await kpiValues(db, resolveKpiRequest(request))).json;
}
