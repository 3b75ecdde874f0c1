/**
 * The words of a provision request (CLI flags, API query parameters) checked into what the
 * calculation needs; refusals are English sentences, as the KPI CLI and API answer.
 */
import { AppError } from "~/kernel/app-error";
import { isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { type KpiScope, parseScope } from "~/features/kpi";
import { type LadderTable, PPM } from "~/features/provisions/ladder";
import type { AgeBasis } from "~/features/provisions/positions";

export type ProvisionMethod = "ladder" | "matrix";

export interface ProvisionRequest {
  asOf?: string | null;
  method?: string | null;
  basis?: string | null;
  bands?: string | null;
  rates?: string | null;
  scope?: string | null;
}

export interface ResolvedProvisionRequest {
  asOf: IsoDate;
  method: ProvisionMethod;
  /** null: the stored table's */
  basis: AgeBasis | null;
  /** null: the stored table applies */
  table: LadderTable | null;
  scope: KpiScope;
}

export type ProvisionWordNames = Record<keyof ProvisionRequest, string>;

export const API_NAMES: ProvisionWordNames = { asOf: "asOf", method: "method", basis: "basis", bands: "bands", rates: "rates", scope: "scope" };
export const CLI_NAMES: ProvisionWordNames = { asOf: "--as-of", method: "--method", basis: "--basis", bands: "--bands", rates: "--rates", scope: "--scope" };

export function provisionRequestError(message: string, code: "invalid" | "not_found" = "invalid"): AppError {
  return new AppError(code, message);
}

/** The longest band table the department uses is yearly to over 5 years; far beyond is a typo. */
const MAX_DAYS = 36_500;

function parseBands(text: string, name: string, min: number): number[] {
  const parts = text.split(",").map((part) => part.trim());
  const days = parts.map((part) => (/^\d{1,6}$/.test(part) ? Number(part) : NaN));
  const bad = parts.find((_, i) => !Number.isInteger(days[i]) || (days[i] ?? 0) < min || (days[i] ?? 0) > MAX_DAYS);
  if (bad !== undefined) throw provisionRequestError(`${name} must be whole numbers of days from ${min} to ${MAX_DAYS}, separated by commas; got "${bad}"`);
  days.forEach((value, i) => {
    if (i > 0 && value <= (days[i - 1] ?? 0)) throw provisionRequestError(`${name} must rise: ${value} comes after ${days[i - 1]}`);
  });
  return days;
}

/** A percentage with up to 4 decimals as parts per million, exactly ("8.7" → 87,000). */
export function percentToPpm(text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) return null;
  const ppm = Number(match[1]) * 10_000 + Number((match[2] ?? "").padEnd(4, "0"));
  return ppm > PPM ? null : ppm;
}

function parseRates(text: string, name: string): number[] {
  return text.split(",").map((part) => {
    const ppm = percentToPpm(part);
    if (ppm === null) throw provisionRequestError(`${name} must be percentages from 0 to 100 (up to 4 decimals), separated by commas; got "${part.trim()}"`);
    return ppm;
  });
}

const given = (value: string | null | undefined): value is string => value !== undefined && value !== null && value !== "";

export function resolveProvisionRequest(request: ProvisionRequest, names: ProvisionWordNames = API_NAMES): ResolvedProvisionRequest {
  if (!given(request.asOf)) throw provisionRequestError(`${names.asOf} is required (YYYY-MM-DD)`);
  if (!isValidIsoDate(request.asOf)) throw provisionRequestError(`${names.asOf} must be a real date written YYYY-MM-DD, got "${request.asOf}"`);
  if (!given(request.method)) throw provisionRequestError(`${names.method} is required: ladder or matrix`);
  if (request.method !== "ladder" && request.method !== "matrix") throw provisionRequestError(`${names.method} must be ladder or matrix, got "${request.method}"`);
  const method: ProvisionMethod = request.method;
  let basis: AgeBasis | null = null;
  if (given(request.basis)) {
    if (request.basis !== "issue" && request.basis !== "due") throw provisionRequestError(`${names.basis} must be issue or due, got "${request.basis}"`);
    basis = request.basis;
  }
  let table: LadderTable | null = null;
  if (method === "matrix" && given(request.rates)) {
    throw provisionRequestError(`${names.rates} apply to the ladder; the matrix takes its loss rates from the ledger's history`);
  }
  if (method === "ladder" && given(request.bands) !== given(request.rates)) {
    throw provisionRequestError(`${names.bands} and ${names.rates} go together: the limits of the bands and one rate for each band`);
  }
  if (given(request.bands)) {
    // Past due, a first limit of 0 makes "not yet due" a band of its own (the matrix's usual first row).
    const upperDays = parseBands(request.bands, names.bands, method === "matrix" && basis === "due" ? 0 : 1);
    if (method === "ladder" && given(request.rates)) {
      const ratesPpm = parseRates(request.rates, names.rates);
      if (ratesPpm.length !== upperDays.length + 1) {
        throw provisionRequestError(
          `${names.rates} needs one rate more than ${names.bands} has limits (the last band has no upper age): ${upperDays.length} limits, ${ratesPpm.length} rates`,
        );
      }
      table = { upperDays, ratesPpm };
    } else table = { upperDays, ratesPpm: [] };
  }
  const scope = parseScope(request.scope);
  if (!scope.ok) throw provisionRequestError(scope.message);
  return { asOf: request.asOf, method, basis, table, scope: scope.scope };
}

/** The matrix's period: a year for yearly bands (3 of them averaged), a month for monthly ones (12). */
export function matrixPeriods(upperDays: readonly number[]): { months: number; count: number } {
  return (upperDays[0] ?? 365) >= 365 ? { months: 12, count: 3 } : { months: 1, count: 12 };
}
