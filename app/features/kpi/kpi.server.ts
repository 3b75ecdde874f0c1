import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { isValidIsoDate } from "~/kernel/dates";
import { type KpiScope, parseScope, scopeText } from "~/features/kpi/scope";
import { type SummaryScope, kpiInputsFromSummaries, summaryDaysFor } from "~/features/kpi/summary";
import {
  type KpiJson,
  type KpiOptions,
  type KpiPeriod,
  type KpiValues,
  computeKpis,
  kpiJson,
  kpisFromInputs,
  resolveKpiPeriod,
} from "~/features/kpi/kpis";
import type { IsoDate } from "~/kernel/ledger/types";
import { loadLedgerSnapshot, scopeCustomerIds } from "~/features/kpi/queries/ledger.server";
import {
  customerIdByCode,
  customersExistWith,
  ownerIdByEmail,
  summariesAreBuilt,
  summaryScopeRowId,
  summaryValuesOn,
} from "~/features/kpi/queries/summary.server";
import { getSettings } from "~/features/settings/index.server";
import type { AllKpiValues } from "~/features/credit";
import { creditKpiValues } from "~/features/credit/index.server";
import { type ProvisionKpiValues, provisionKpiJson } from "~/features/provisions";
import { provisionKpiValues } from "~/features/provisions/index.server";

/**
 * The KPI object of KPIS.md section 5 for any date and scope: one implementation behind the CLI,
 * the API, the dashboard and plan items. Company, owner, region and grade scopes read the KPI
 * summaries the import keeps (app/features/kpi/summary.ts); a customer scope, or any scope while the
 * summaries are stale, settles the documents with the pure engine (`computeKpis`).
 */

/**
 * A KPI request refused: 400 for its words, 404 for a scope the ledger does not have. The message
 * is the English sentence the API and the CLI answer with (their callers read English); pages
 * show their own translated text for the code.
 */
export function kpiRequestError(message: string, code: "invalid" | "not_found" = "invalid"): AppError {
  return new AppError(code, message);
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
  if (!isValidIsoDate(value)) throw kpiRequestError(`${name} must be a real date written YYYY-MM-DD, got "${value}"`);
  return value;
}

/** Validates the request's words (dates, scope syntax, period order); no database needed. */
export function resolveKpiRequest(request: KpiRequest, names = { asOf: "asOf", periodStart: "periodStart", baseline: "baseline" }): ResolvedKpiRequest {
  const asOf = checkDate(names.asOf, request.asOf);
  if (!asOf) throw kpiRequestError(`${names.asOf} is required (YYYY-MM-DD)`);
  const periodStart = checkDate(names.periodStart, request.periodStart);
  const baseline = checkDate(names.baseline, request.baseline);
  if (periodStart && periodStart > asOf) {
    throw kpiRequestError(`${names.periodStart} ${periodStart} is after ${names.asOf} ${asOf}`);
  }
  const parsed = parseScope(request.scope);
  if (!parsed.ok) throw kpiRequestError(parsed.message);
  return { asOf, scope: parsed.scope, periodStart, baseline };
}

export function unknownScope(scope: KpiScope): AppError {
  return kpiRequestError(`scope ${scopeText(scope)} names no known ${scope.type}`, "not_found");
}

/** The summary scope a company, owner, region or grade request reads; "unknown" as `scopeCustomerIds` says it. */
async function summaryScopeOf(db: Db, scope: Exclude<KpiScope, { type: "customer" }>): Promise<SummaryScope | "unknown"> {
  switch (scope.type) {
    case "company":
      return { kind: "company", key: "" };
    case "owner": {
      const ownerId = await ownerIdByEmail(db, scope.email);
      return ownerId === null ? "unknown" : { kind: "owner", key: String(ownerId) };
    }
    case "region":
      return (await customersExistWith(db, "region", scope.name)) ? { kind: "region", key: scope.name } : "unknown";
    case "grade":
      return (await customersExistWith(db, "credit_grade", scope.grade)) ? { kind: "grade", key: scope.grade } : "unknown";
  }
}

/** The pure engine on the scope's documents: one customer's always, anyone's while the summaries are stale. */
async function valuesFromLedger(db: Db, scope: KpiScope, options: KpiOptions, period: KpiPeriod): Promise<KpiValues> {
  let customerIds: number[] | null | "unknown";
  if (scope.type === "customer") {
    const id = await customerIdByCode(db, scope.code);
    customerIds = id === null ? "unknown" : [id];
  } else customerIds = await scopeCustomerIds(db, scope);
  if (customerIds === "unknown") throw unknownScope(scope);
  const through = period.baselineDate > period.asOf ? period.baselineDate : period.asOf;
  return computeKpis(await loadLedgerSnapshot(db, customerIds, through), options);
}

/**
 * The same numbers as `computeKpis` on the scope's ledger (the integration property test holds
 * them to it), read from the KPI summaries the import keeps: one statement of a few dozen index
 * seeks, whatever the size of the ledger. A customer's own documents are few, so a customer
 * scope still runs the engine on them.
 */
async function scopeValues(db: Db, scope: KpiScope, options: KpiOptions, period: KpiPeriod): Promise<KpiValues> {
  if (scope.type === "customer") return valuesFromLedger(db, scope, options, period);
  const summaryScope = await summaryScopeOf(db, scope);
  if (summaryScope === "unknown") throw unknownScope(scope);
  // Only before the summaries were ever built (start and migrate build them before serving); a
  // customer changed outside the app is counted as it was until the catch-up moves it.
  if (!(await summariesAreBuilt(db))) return valuesFromLedger(db, scope, options, period);
  const values = await summaryValuesOn(db, await summaryScopeRowId(db, summaryScope), summaryDaysFor(period));
  // values holds every day the summaries are asked for (read above)
  return kpisFromInputs(kpiInputsFromSummaries(period, (day) => values.get(day)!));
}

export async function kpiValues(db: Db, request: ResolvedKpiRequest): Promise<{ values: KpiValues; json: KpiJson }> {
  const settings = await getSettings(db);
  const options: KpiOptions = { ...request, fiscalStartMonth: settings.fiscalStartMonth };
  const period = resolveKpiPeriod(options);
  const values = await scopeValues(db, request.scope, options, period);
  const json = kpiJson(values, {
    asOf: period.asOf,
    periodStart: period.periodStart,
    baselineDate: period.baselineDate,
    scope: scopeText(request.scope),
    currency: settings.baseCurrency,
  });
  return { values, json };
}

/**
 * The section-4 values, the credit KPIs (credit/kpis.ts) and the provision KPIs
 * (provisions/kpis.ts) for the same date, period and scope: what the dashboard and plan items
 * read. The JSON stays KPIS.md section 5's object.
 */
export async function allKpiValues(db: Db, request: ResolvedKpiRequest): Promise<{ values: AllKpiValues; json: KpiJson }> {
  const { values, json } = await kpiValues(db, request);
  // kpiValues has refused an unknown scope already
  const ids = await scopeCustomerIds(db, request.scope);
  const credit = await creditKpiValues(db, ids === "unknown" ? [] : ids, { periodStart: json.period.start, asOf: json.as_of });
  const provision = await provisionKpiValues(db, request.scope, json.as_of);
  return { values: { ...values, ...credit, ...provision }, json };
}

/** KPIS.md section 5's object from raw words: the ledger KPIs, read from the summaries the import keeps. */
export async function kpiObject(db: Db, request: KpiRequest): Promise<KpiJson> {
  return (await kpiValues(db, resolveKpiRequest(request))).json;
}

/** What the CLI and `/api/kpis` print: section 5's keys, then the provision KPIs in the same units. */
export type KpiAnswer = KpiJson & ProvisionKpiValues;

/**
 * The CLI's and the API's object: `kpiObject` and the provision KPIs of the same date and scope
 * (read from the provision positions the import keeps, a heavier read than the KPI summaries,
 * so `kpiObject` alone stays the summaries-only path the dashboard series use).
 */
export async function kpiAnswer(db: Db, request: KpiRequest): Promise<KpiAnswer> {
  const resolved = resolveKpiRequest(request);
  const { json } = await kpiValues(db, resolved);
  // kpiValues has refused an unknown scope already
  return { ...json, ...provisionKpiJson(await provisionKpiValues(db, resolved.scope, json.as_of)) };
}
