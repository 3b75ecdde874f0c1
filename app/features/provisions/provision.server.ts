import type { Db } from "~/server/db.server";
import { addMonths, monthEnd, monthStart } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { scopeText } from "~/features/kpi";
import { scopeCustomerIds } from "~/features/kpi/index.server";
import { DEFAULT_LADDER, type LadderTable, PPM, allocateLadderProvision, applyPpm, ladderProvision } from "~/features/provisions/ladder";
import { lossRates, matrixProvision, migrationRates } from "~/features/provisions/matrix";
import type { AgeBasis } from "~/features/provisions/positions";
import { type ProvisionMethod, type ResolvedProvisionRequest, matrixPeriods, provisionRequestError } from "~/features/provisions/request";
import { bandBalances, customerBandBalances, isMonthEnd } from "~/features/provisions/queries/balances.server";
import { customerNames } from "~/features/provisions/queries/runs.server";
import { type StoredSpecific, adjustmentAt, rateTableAt, specificAt } from "~/features/provisions/queries/tables.server";
import type { ProvisionReason } from "../../../db/schema";

/**
 * A provision as of D for a scope: the named customers' own provisions first, then every other
 * customer's open invoices grouped by age and provided for by the ladder's rates or by the matrix's
 * loss rates from the ledger's history. Read from the positions the import keeps.
 */

export interface ProvisionBand {
  fromDays: number;
  toDays: number | null;
  balance: number;
  /** fraction */
  rate: number;
  provision: number;
}

export interface SpecificProvision {
  customerId: number;
  customerCode: string;
  customerName: string;
  balance: number;
  provision: number;
  reason: ProvisionReason;
  evidence: string;
}

export interface MatrixDetail {
  /** the month ends the history was read at, oldest first */
  dates: IsoDate[];
  migrationRates: number[];
  withoutHistory: number[];
  adjustment: { ppm: number; reason: string } | null;
}

export interface ProvisionResult {
  asOf: IsoDate;
  method: ProvisionMethod;
  basis: AgeBasis;
  scope: string;
  bands: ProvisionBand[];
  specific: SpecificProvision[];
  /** grouped + specific, minor units */
  total: number;
  /** gross receivables of the scope (specific customers included) */
  grossReceivables: number;
  ratio: number | null;
  matrix: MatrixDetail | null;
  /** whether the rates came from the request rather than the stored table */
  customTable: boolean;
}

async function scopeIds(db: Db, request: ResolvedProvisionRequest): Promise<number[] | null> {
  const ids = await scopeCustomerIds(db, request.scope);
  if (ids === "unknown") throw provisionRequestError(`scope ${scopeText(request.scope)} names no known ${request.scope.type}`, "not_found");
  return ids;
}

async function customerBalance(db: Db, customerId: number, asOf: IsoDate, basis: AgeBasis): Promise<number> {
  const { balances } = await bandBalances(db, { asOf, basis, upperDays: [], kind: "open", customerIds: [customerId], excludeIds: [] });
  return balances[0] ?? 0;
}

export function specificProvisionOf(specific: Pick<StoredSpecific, "kind" | "value">, balance: number): number {
  if (balance <= 0) return 0;
  return specific.kind === "percent" ? applyPpm(balance, specific.value) : Math.min(specific.value, balance);
}

/** The month ends the matrix reads its history at: `count` periods back from the last month end on or before D. */
export function matrixDates(asOf: IsoDate, months: number, count: number): IsoDate[] {
  const anchor = isMonthEnd(asOf) ? asOf : monthEnd(addMonths(monthStart(asOf), -1));
  const dates: IsoDate[] = [];
  for (let p = count; p >= 0; p--) dates.push(monthEnd(addMonths(monthStart(anchor), -months * p)));
  return dates;
}

export async function computeProvision(db: Db, request: ResolvedProvisionRequest): Promise<ProvisionResult> {
  const customerIds = await scopeIds(db, request);
  const stored = await rateTableAt(db, request.asOf);
  const storedTable: LadderTable = stored ? { upperDays: stored.upperDays, ratesPpm: stored.ratesPpm } : DEFAULT_LADDER;
  const table = request.table ?? storedTable;
  const basis = request.basis ?? stored?.basis ?? "issue";
  const { asOf } = request;

  const specifics = await specificAt(db, asOf, customerIds);
  const specific: SpecificProvision[] = [];
  for (const entry of specifics) {
    const balance = await customerBalance(db, entry.customerId, asOf, basis);
    specific.push({
      customerId: entry.customerId,
      customerCode: entry.customerCode,
      customerName: entry.customerName,
      balance,
      provision: specificProvisionOf(entry, balance),
      reason: entry.reason,
      evidence: entry.evidence,
    });
  }
  const excludeIds = specifics.map((entry) => entry.customerId);
  const { balances } = await bandBalances(db, { asOf, basis, upperDays: table.upperDays, kind: "open", customerIds, excludeIds });

  let bands: ProvisionBand[];
  let matrix: MatrixDetail | null = null;
  const edges = (i: number) => ({ fromDays: i === 0 ? 0 : (table.upperDays[i - 1] ?? 0) + 1, toDays: table.upperDays[i] ?? null });
  if (request.method === "ladder") {
    bands = ladderProvision(table, balances).bands.map((band) => ({ ...band, rate: band.ratePpm / PPM }));
  } else {
    const { months, count } = matrixPeriods(table.upperDays);
    const dates = matrixDates(asOf, months, count);
    // The loss experience is the whole book's, named customers included: they are how debts go bad.
    const history: number[][] = [];
    for (const date of dates) {
      history.push((await bandBalances(db, { asOf: date, basis, upperDays: table.upperDays, kind: "gross", customerIds, excludeIds: [] })).balances);
    }
    const last = table.upperDays.length;
    const periods = history.slice(1).map((end, p) => {
      // history[p] is the period's start (the list has count + 1 entries)
      const start = history[p]!;
      // Band k's share still unpaid a period later sits in band k + 1; the last band also keeps
      // what was already in it, so only its growth came from the band before.
      const migrated = start.map((_, k) => (k + 1 < last ? (end[k + 1] ?? 0) : Math.max(0, (end[last] ?? 0) - (start[last] ?? 0))));
      return { start, migrated };
    });
    const migration = migrationRates(last + 1, periods);
    const adjustment = await adjustmentAt(db, asOf);
    const result = matrixProvision(lossRates(migration.rates), balances, (adjustment?.ppm ?? 0) / PPM);
    bands = result.bands.map((band, i) => ({ ...edges(i), balance: band.balance, rate: band.lossRate, provision: band.provision }));
    matrix = { dates, migrationRates: migration.rates, withoutHistory: migration.withoutHistory, adjustment };
  }
  const grouped = bands.reduce((sum, band) => sum + band.provision, 0);
  const total = grouped + specific.reduce((sum, entry) => sum + entry.provision, 0);
  const grossReceivables = bands.reduce((sum, band) => sum + band.balance, 0) + specific.reduce((sum, entry) => sum + entry.balance, 0);
  return {
    asOf,
    method: request.method,
    basis,
    scope: scopeText(request.scope),
    bands,
    specific,
    total,
    grossReceivables,
    ratio: grossReceivables === 0 ? null : total / grossReceivables,
    matrix,
    customTable: request.table !== null,
  };
}

const major = (minor: number) => minor / 100;

/** The machine object of the CLI and the API: amounts in major units, rates as fractions. */
export function provisionJson(result: ProvisionResult) {
  return {
    asOf: result.asOf,
    method: result.method,
    basis: result.basis,
    bands: result.bands.map((band) => ({
      from_days: band.fromDays,
      to_days: band.toDays,
      balance: major(band.balance),
      rate: band.rate,
      provision: major(band.provision),
    })),
    specific: result.specific.map((entry) => ({ customer: entry.customerCode, balance: major(entry.balance), provision: major(entry.provision), reason: entry.reason })),
    total: major(result.total),
    ratio: result.ratio,
  };
}
export type ProvisionJson = ReturnType<typeof provisionJson>;

export interface CustomerScheduleRow {
  customerId: number;
  code: string;
  name: string;
  /** balances by the ladder's bands (zero for a named customer: provided for one by one) */
  balances: number[];
  balance: number;
  provision: number;
  /** the named provision's reason, null for a customer in the grouped calculation */
  reason: ProvisionReason | null;
}

/**
 * The ladder's schedule by customer at D for a scope: every customer with an open balance, its
 * balances by band (one grouped read for all of them) and its provision; named customers at their
 * own provision, out of the bands. Rows sum to the ladder's total.
 */
export async function customerSchedule(db: Db, ladder: ProvisionResult, customerIds: readonly number[] | null): Promise<CustomerScheduleRow[]> {
  const upperDays = ladder.bands.slice(0, -1).map((band) => band.toDays ?? 0);
  const table: LadderTable = { upperDays, ratesPpm: ladder.bands.map((band) => Math.round(band.rate * PPM)) };
  const excludeIds = ladder.specific.map((entry) => entry.customerId);
  const byCustomer = await customerBandBalances(db, { asOf: ladder.asOf, basis: ladder.basis, upperDays, kind: "open", customerIds, excludeIds });
  const names = new Map((await customerNames(db, [...byCustomer.keys()])).map((row) => [row.id, row]));
  const rows: CustomerScheduleRow[] = [];
  // Each customer's share of the page's band provisions: the rows add up to the page's total.
  const grouped = [...byCustomer];
  const provisions = allocateLadderProvision(table.ratesPpm, grouped.map(([, balances]) => balances));
  grouped.forEach(([customerId, balances], i) => {
    const balance = balances.reduce((sum, amount) => sum + amount, 0);
    const provision = provisions[i] ?? 0;
    if (balance === 0 && provision === 0) return;
    const customer = names.get(customerId);
    rows.push({ customerId, code: customer?.code ?? String(customerId), name: customer?.name ?? "", balances, balance, provision, reason: null });
  });
  for (const entry of ladder.specific) {
    rows.push({
      customerId: entry.customerId,
      code: entry.customerCode,
      name: entry.customerName,
      balances: table.ratesPpm.map(() => 0),
      balance: entry.balance,
      provision: entry.provision,
      reason: entry.reason,
    });
  }
  return rows.sort((a, b) => b.provision - a.provision || a.code.localeCompare(b.code));
}
