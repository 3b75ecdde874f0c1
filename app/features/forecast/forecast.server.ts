import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { addMonths, isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorNumber } from "~/kernel/money";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { type KpiScope, kpiAccess, parseScope, scopeText } from "~/features/kpi";
import { findCustomer } from "~/features/ledger/index.server";
import { kpiScopeChoices, kpiSummariesBehind } from "~/features/kpi/index.server";
import { CURVE_COHORTS, CURVE_READ_DAYS, type Forecast, type ForecastInputs, type OpenInvoiceColumns, type BehaviourWindow, behaviourMonths, cohortCurve, computeForecast, firstMonthWithSales, monthsIn, windowShortened } from "./forecast";
import type { Accuracy } from "./frozen";
import { forecastAccuracy } from "./accuracy.server";
import { TRAILING_DAYS, curveRead } from "./pace";
import {
  type ForecastScopeFilter,
  forecastCustomers,
  ledgerFirstSalesMonth,
  openInvoicesAt,
  openPromisesAt,
  paidDatesFingerprint,
  paymentBehaviour,
  paymentLags,
  paymentMonthsBuiltFrom,
  scopeFilterRow,
  scopeHistory,
} from "./queries.server";

/**
 * The collections forecast for a date and a KPI scope: one implementation behind the CLI, the
 * API and the page. Reads only what the import and the background job keep (queries.server.ts).
 */

export const DEFAULT_WEEKS = 13;
export const MAX_WEEKS = 52;

export interface ForecastRequest {
  asOf: string;
  scope?: string | null;
  weeks?: string | null;
}

export interface ResolvedForecastRequest {
  asOf: IsoDate;
  scope: KpiScope;
  weeks: number;
}

/** A forecast request refused for its words (400) or a scope the ledger does not have (404); English, as the KPI API's. */
export function forecastRequestError(message: string, code: "invalid" | "not_found" = "invalid"): AppError {
  return new AppError(code, message);
}

export function resolveForecastRequest(request: ForecastRequest, names = { asOf: "asOf", weeks: "weeks" }): ResolvedForecastRequest {
  const asOf = request.asOf;
  if (asOf === "") throw forecastRequestError(`${names.asOf} is required (YYYY-MM-DD)`);
  if (!isValidIsoDate(asOf)) throw forecastRequestError(`${names.asOf} must be a real date written YYYY-MM-DD, got "${asOf}"`);
  let weeks = DEFAULT_WEEKS;
  if (request.weeks !== undefined && request.weeks !== null) {
    if (!/^\d{1,3}$/.test(request.weeks) || Number(request.weeks) < 1 || Number(request.weeks) > MAX_WEEKS) {
      throw forecastRequestError(`${names.weeks} must be a whole number from 1 to ${MAX_WEEKS}, got "${request.weeks}"`);
    }
    weeks = Number(request.weeks);
  }
  const parsed = parseScope(request.scope);
  if (!parsed.ok) throw forecastRequestError(parsed.message);
  return { asOf, scope: parsed.scope, weeks };
}

export interface ForecastResult {
  request: ResolvedForecastRequest;
  forecast: Forecast;
  inputs: Pick<ForecastInputs, "customers"> & { invoices: OpenInvoiceColumns };
  /** the payment behaviour came from the paid dates themselves: the job has not built its table yet */
  behaviourLive: boolean;
}

/** The customers a KPI scope names, as the forecast's queries filter them; "unknown" when it names none. */
export async function scopeFilterOf(db: Db, scope: KpiScope): Promise<ForecastScopeFilter | "unknown"> {
  return scope.type === "company" ? { kind: "company" } : scopeFilterRow(db, scope);
}

/** The forecast on the scope's figures; a scope naming nothing the ledger has is refused (404). */
export async function forecastFor(db: Db, request: ResolvedForecastRequest): Promise<ForecastResult> {
  const filter = await scopeFilterOf(db, request.scope);
  if (filter === "unknown") throw forecastRequestError(`scope ${scopeText(request.scope)} names no known ${request.scope.type}`, "not_found");
  return forecastOn(db, filter, request);
}

export async function forecastOn(db: Db, filter: ForecastScopeFilter, request: ResolvedForecastRequest): Promise<ForecastResult> {
  const { inputs, built } = await forecastInputsOn(db, filter, request);
  return { request, forecast: computeForecast(inputs), inputs: { customers: inputs.customers, invoices: inputs.invoices }, behaviourLive: !built };
}

/** What the forecast is worked out from, read from the kept tables; `built`: the job's tables were there. */
export async function forecastInputsOn(
  db: Db,
  filter: ForecastScopeFilter,
  request: ResolvedForecastRequest,
): Promise<{ inputs: ForecastInputs & { invoices: OpenInvoiceColumns }; built: boolean }> {
  const { asOf } = request;
  const builtFrom = await paymentMonthsBuiltFrom(db);
  const built = builtFrom !== null;
  const lastFullMonth = addMonths(`${asOf.slice(0, 7)}-01`, -1).slice(0, 7);
  const [lags, customers, invoices, promises, history, summariesBehind, firstSales] = await Promise.all([
    // months of issue old enough to show a curve's last days, through the last one before asOf's
    paymentLags(db, filter.kind === "grade" ? filter.grade : null, addMonths(`${asOf.slice(0, 7)}-01`, -(CURVE_COHORTS + 15)).slice(0, 7), lastFullMonth, built),
    forecastCustomers(db, filter, asOf),
    openInvoicesAt(db, filter, asOf),
    openPromisesAt(db, filter, asOf),
    scopeHistory(db, filter, asOf),
    filter.kind === "customer" ? false : kpiSummariesBehind(db),
    ledgerFirstSalesMonth(db),
  ]);
  // The 12 full months before asOf's month (no payment dated after asOf counts), less a young
  // ledger's run-in (the whole ledger's first sale; the scope's while the summaries hold none).
  const firstSalesMonth = firstSales ?? firstMonthWithSales(history.sales);
  const { fromMonth, toMonth } = behaviourMonths(asOf, firstSalesMonth, lags ? cohortCurve(lags, asOf, CURVE_READ_DAYS) : null);
  const behaviour = await paymentBehaviour(db, filter, fromMonth, toMonth, built);
  const inputs = {
    asOf,
    weeks: request.weeks,
    customers,
    invoices,
    promises,
    behaviour: behaviour.byCustomer,
    gradeBehaviour: behaviour.byGrade,
    companyBehaviour: behaviour.company,
    positions: history.positions,
    writeOffPositions: history.writeOffPositions,
    sales: history.sales,
    lagCohorts: lags,
    lagGrade: filter.kind === "grade" ? filter.grade : null,
    // one customer's collections swing on a single payment: too little to hold the curve to; and
    // while the KPI summaries wait for a catch-up their collections are not the ledger's
    trailingCollected: filter.kind === "customer" || summariesBehind ? undefined : history.trailingCollected,
    behaviourWindow: { fromMonth, toMonth, firstSalesMonth },
  };
  return { inputs, built };
}

/** Whether the payment behaviour table is behind the paid dates (the job rebuilds it then). */
export async function paymentMonthsStale(db: Db): Promise<boolean> {
  return (await paymentMonthsBuiltFrom(db)) !== (await paidDatesFingerprint(db));
}

/** The wire shape of CLI and API (amounts in major units). */
export interface ForecastJson {
  asOf: IsoDate;
  scope: string;
  weeks: { start: IsoDate; end: IsoDate; open: number; new_sales: number; expected: number; low: number; high: number }[];
  months: { month: string; expected: number; low: number; high: number }[];
  expected_write_off: number;
  /** where the days late came from when the customers' own were missing, in words */
  notes: string[];
}

export function forecastNotes(forecast: Forecast): string[] {
  const notes: string[] = [];
  const major = (minor: number) => minorToMajorNumber(Math.round(minor)).toFixed(2);
  const { fromMonth, toMonth, firstSalesMonth } = forecast.behaviourWindow;
  const window = `from ${fromMonth} to ${toMonth}`;
  if (windowShortened(forecast.behaviourWindow) && firstSalesMonth !== null)
    notes.push(
      `days late are measured on payments ${window}, ${monthsIn(forecast.behaviourWindow)} months rather than 12: the ledger's sales begin in ${firstSalesMonth}, and in its first months only the quick payers could have paid`,
    );
  if (forecast.lateness.grade > 0) notes.push(`${major(forecast.lateness.grade)} open uses its credit grade's average days late: those customers paid nothing ${window}`);
  if (forecast.lateness.company > 0) notes.push(`${major(forecast.lateness.company)} open uses the company's average days late: neither the customers nor their grades paid ${window}`);
  if (forecast.lateness.none > 0) notes.push(`${major(forecast.lateness.none)} open is expected on its due date: nothing was paid ${window}`);
  if (forecast.rollRates === null) notes.push("no month-end positions to measure roll rates: no write-off is expected and the range is ±20 %");
  const pace = forecast.pace;
  if (curveRead(pace)) {
    const weeks = TRAILING_DAYS / 7;
    notes.push(
      `for the customers not shown apart, the open invoices one by one say ${major(pace.bookAhead)} comes in over the next ${weeks} weeks (promises to pay aside), the collection curve read on what was invoiced and held to the ${major(pace.collected)} collected in the last ${weeks} weeks says ${major(pace.curveAhead)}: those weeks take the curve's reading, fading over the ${weeks} after and never more than is open; the customers shown apart are scaled down as far as it falls short, promises to pay keep their dates`,
    );
  }
  return notes;
}

export function forecastJson(result: ForecastResult): ForecastJson {
  const { forecast, request } = result;
  const major = minorToMajorNumber;
  return {
    asOf: request.asOf,
    scope: scopeText(request.scope),
    weeks: forecast.weeks.map((w) => ({
      start: w.start,
      end: w.end,
      open: major(w.open),
      new_sales: major(w.newSales),
      expected: major(w.expected),
      low: major(w.low),
      high: major(w.high),
    })),
    months: forecast.months.map((m) => ({ month: m.month, expected: major(m.expected), low: major(m.low), high: major(m.high) })),
    expected_write_off: major(forecast.expectedWriteOff),
    notes: forecastNotes(forecast),
  };
}

// ---------------------------------------------------------------- the API

const PARAMETERS = ["asOf", "scope", "weeks"] as const;

export function readForecastQuery(params: URLSearchParams): ForecastRequest {
  for (const key of new Set(params.keys())) {
    // widened only to ask includes() of any key
    if (!(PARAMETERS as readonly string[]).includes(key)) {
      throw forecastRequestError(`unknown parameter "${key}"; the parameters are ${PARAMETERS.join(", ")}`);
    }
    if (params.getAll(key).length > 1) throw forecastRequestError(`parameter "${key}" is given more than once`);
  }
  return { asOf: params.get("asOf") ?? "", scope: params.get("scope"), weeks: params.get("weeks") };
}

export interface ForecastReader {
  id: number;
  email: string;
  role: "head" | "staff" | "leader" | "admin";
  name?: string;
}

/** Whether this user may see the scope's forecast: the KPI scope rules (403, or 404 for an unknown own customer). */
export async function checkForecastAccess(db: Db, user: ForecastReader, scope: KpiScope): Promise<void> {
  const access = kpiAccess(user, scope);
  if (access.kind === "forbidden") throw AppError.forbidden(access.message);
  if (access.kind === "own-customer-only") {
    const lookup = await findCustomer(db, ledgerScopeOf(user), access.code);
    if (!lookup.found && lookup.reason === "unknown") throw forecastRequestError(`scope customer:${access.code} names no known customer`, "not_found");
    if (!lookup.found) throw AppError.forbidden(`customer ${access.code} is not one of your customers`);
  }
}

/**
 * `/api/forecast`. Order of refusals as `/api/kpis`: a role without ledger access (403) before
 * the parameters are read (400), then the scope for this user (403), then whether it exists (404).
 */
export async function forecastForApi(db: Db, user: ForecastReader, params: URLSearchParams): Promise<ForecastJson> {
  const roleCheck = kpiAccess(user, { type: "company" });
  if (roleCheck.kind === "forbidden") throw AppError.forbidden(roleCheck.message);
  const request = resolveForecastRequest(readForecastQuery(params));
  await checkForecastAccess(db, user, request.scope);
  return forecastJson(await forecastFor(db, request));
}

// ---------------------------------------------------------------- the page

export interface ForecastPage {
  asOf: IsoDate;
  scope: string;
  weeks: number;
  /** scopes the reader may pick, as scope text (names for owners come with them) */
  choices: { value: string; label: string | null }[];
  forecast: {
    weeks: Forecast["weeks"];
    months: Forecast["months"];
    expectedWriteOff: number;
    lateness: Forecast["lateness"];
    rollRatesMeasured: boolean;
    spread: number;
    averageDaysToPay: number;
    /** the months of payments the days late were measured on; `shortened` when a young ledger's run-in cut them below 12 */
    behaviourWindow: BehaviourWindow & { months: number; shortened: boolean };
    /** the two readings of the next 13 weeks and the collections behind them; null when the figures do not take the curve's */
    pace: { weeks: number; bookAhead: number; curveAhead: number; collected: number } | null;
  };
  /** customers on stop shipment or with a lawyer's letter, with what is open and expected */
  apart: { code: string; name: string; reason: "stop_shipment" | "lawyer_letter"; open: number; expected: number; probability: number }[];
  behaviourLive: boolean;
  /** past weeks' frozen forecasts beside what came in; null for one customer (not kept) */
  accuracy: Accuracy | null;
}

/**
 * The forecast page's figures for today: the scope asked for (staff start on their own book),
 * checked as the API checks it. A refused scope throws AppError (the page shows it).
 */
export async function loadForecastPage(
  db: Db,
  user: ForecastReader,
  params: URLSearchParams,
  today: IsoDate,
): Promise<ForecastPage> {
  const staff = user.role === "staff";
  const own = `owner:${user.email.toLowerCase()}`;
  let choices: ForecastPage["choices"] = [
    { value: "company", label: null },
    { value: own, label: user.name ?? null },
  ];
  if (!staff) {
    const all = await kpiScopeChoices(db);
    choices = [
      { value: "company", label: null },
      ...all.owners.map((o) => ({ value: `owner:${o.email.toLowerCase()}`, label: o.name })),
      ...all.regions.map((r) => ({ value: `region:${r}`, label: null })),
      ...all.grades.map((g) => ({ value: `grade:${g}`, label: null })),
    ];
  }
  const request = resolveForecastRequest({ asOf: today, scope: params.get("scope") ?? (staff ? own : "company"), weeks: params.get("weeks") });
  await checkForecastAccess(db, user, request.scope);
  const filter = await scopeFilterOf(db, request.scope);
  if (filter === "unknown") throw forecastRequestError(`scope ${scopeText(request.scope)} names no known ${request.scope.type}`, "not_found");
  const result = await forecastOn(db, filter, request);
  const accuracy = await forecastAccuracy(db, filter, today);
  const { forecast } = result;
  const customers = new Map(result.inputs.customers.map((c) => [c.id, c]));
  const apart = forecast.customers.flatMap((view) => {
    const customer = customers.get(view.customerId);
    if (!customer || !view.apart || view.open <= 0) return [];
    return [{ code: customer.code, name: customer.name, reason: view.apart, open: view.open, expected: view.expected, probability: view.probability }];
  });
  return {
    asOf: request.asOf,
    scope: scopeText(request.scope),
    weeks: request.weeks,
    choices,
    forecast: {
      weeks: forecast.weeks,
      months: forecast.months,
      expectedWriteOff: forecast.expectedWriteOff,
      lateness: forecast.lateness,
      rollRatesMeasured: forecast.rollRates !== null,
      spread: forecast.spread,
      averageDaysToPay: forecast.averageDaysToPay,
      behaviourWindow: { ...forecast.behaviourWindow, months: monthsIn(forecast.behaviourWindow), shortened: windowShortened(forecast.behaviourWindow) },
      pace:
        curveRead(forecast.pace)
          ? { weeks: TRAILING_DAYS / 7, bookAhead: Math.round(forecast.pace.bookAhead), curveAhead: Math.round(forecast.pace.curveAhead), collected: forecast.pace.collected }
          : null,
    },
    apart: apart.sort((a, b) => b.open - a.open),
    behaviourLive: result.behaviourLive,
    accuracy,
  };
}
