/**
 * The portfolio check of the collections forecast: receivables as an absorbing Markov chain.
 * Each month a balance in an aging band is paid, written off, or moves to another band (usually
 * the next, sometimes back when part of an account is paid). "Paid" and "written off" absorb;
 * the bands are the transient states. With Q the band-to-band monthly shares and R the shares
 * absorbed (paid, bad), the fundamental matrix N = (I − Q)⁻¹ gives the expected months spent in
 * each band and N·R the share of each band's balance that is eventually paid or written off
 * (Render, Stair & Hanna, Quantitative Analysis for Management, §14.6 "Absorbing states and the
 * fundamental matrix").
 *
 * Pure: the rates are measured elsewhere from the month-end positions; this only solves.
 */
import { AppError } from "~/kernel/app-error";

/** One band's monthly shares; `next` is indexed by band, and the row sums to 1. */
export interface BandRates {
  paid: number;
  bad: number;
  next: readonly number[];
}

export interface Absorption {
  /** Share of each band's balance eventually paid. */
  paid: number[];
  /** Share of each band's balance eventually written off. */
  bad: number[];
  /** Expected months a balance starting in band i spends in band j: N = (I − Q)⁻¹. */
  months: number[][];
}

const ROW_TOLERANCE = 1e-9;

function checkRates(rates: readonly BandRates[]): void {
  rates.forEach((row, i) => {
    const shares = [row.paid, row.bad, ...row.next];
    const sum = shares.reduce((total, share) => total + share, 0);
    if (row.next.length !== rates.length || shares.some((share) => !Number.isFinite(share) || share < 0) || Math.abs(sum - 1) > ROW_TOLERANCE)
      throw new AppError("invalid", "forecast.rollRates.badRow", { params: { band: i + 1 } });
  });
}

/**
 * (I − Q)⁻¹ by Gauss–Jordan elimination with partial pivoting; Q has a handful of bands, so
 * the cubic cost is nothing. A chain where some band can never be absorbed (a row of Q that
 * keeps its balance for ever) has a singular I − Q and is refused.
 */
export function fundamentalMatrix(transient: readonly (readonly number[])[]): number[][] {
  const n = transient.length;
  const left = transient.map((row, i) => row.map((share, j) => (i === j ? 1 : 0) - share));
  const right = transient.map((_, i) => transient.map((__, j) => (i === j ? 1 : 0)));
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(cell(left, row, column)) > Math.abs(cell(left, pivot, column))) pivot = row;
    if (Math.abs(cell(left, pivot, column)) < 1e-12) throw new AppError("invalid", "forecast.rollRates.neverAbsorbed");
    swap(left, column, pivot);
    swap(right, column, pivot);
    const scale = cell(left, column, column);
    for (let j = 0; j < n; j++) {
      set(left, column, j, cell(left, column, j) / scale);
      set(right, column, j, cell(right, column, j) / scale);
    }
    for (let row = 0; row < n; row++) {
      if (row === column) continue;
      const factor = cell(left, row, column);
      if (factor === 0) continue;
      for (let j = 0; j < n; j++) {
        set(left, row, j, cell(left, row, j) - factor * cell(left, column, j));
        set(right, row, j, cell(right, row, j) - factor * cell(right, column, j));
      }
    }
  }
  return right;
}

/** Where each band's balance ends up: N·R, the paid and written-off shares per band. */
export function absorption(rates: readonly BandRates[]): Absorption {
  checkRates(rates);
  const months = fundamentalMatrix(rates.map((row) => row.next));
  const paid = months.map((row) => row.reduce((total, m, j) => total + m * bandOf(rates, j).paid, 0));
  const bad = months.map((row) => row.reduce((total, m, j) => total + m * bandOf(rates, j).bad, 0));
  return { paid, bad, months };
}

/**
 * The expected eventual outcome of today's balances (minor units, one per band): what will be
 * collected and what written off. Rounded once, at the end, so the two add up to the total.
 */
export function expectedOutcome(rates: readonly BandRates[], balances: readonly number[]): { paid: number; bad: number } {
  if (balances.length !== rates.length) throw new AppError("invalid", "forecast.rollRates.badBalances");
  const { bad } = absorption(rates);
  const total = balances.reduce((sum, balance) => sum + balance, 0);
  const expectedBad = Math.round(balances.reduce((sum, balance, i) => sum + balance * (bad[i] ?? 0), 0));
  return { paid: total - expectedBad, bad: expectedBad };
}

function bandOf(rates: readonly BandRates[], index: number): BandRates {
  const row = rates[index];
  if (!row) throw new RangeError(`no band ${index}`);
  return row;
}

function cell(matrix: number[][], row: number, column: number): number {
  return matrix[row]?.[column] ?? 0;
}

function set(matrix: number[][], row: number, column: number, value: number): void {
  const line = matrix[row];
  if (line) line[column] = value;
}

function swap(matrix: number[][], a: number, b: number): void {
  if (a === b) return;
  const first = matrix[a];
  const second = matrix[b];
  if (!first || !second) return;
  matrix[a] = second;
  matrix[b] = first;
}
