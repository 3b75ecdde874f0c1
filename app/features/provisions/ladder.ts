/**
 * The aging ladder (账龄组合): open invoice amounts grouped by age, each band provided for at its
 * rate. Ages are counted from the invoice date (账龄, the default) or from the due date; an
 * invoice aged exactly a band's upper bound is in that band, and one not yet due (a negative age
 * on the due-date basis) is in the first.
 *
 * Rates are held as parts per million so a rate such as 8.7 % is exact, and each band's
 * provision is rounded once, half away from zero, in integer arithmetic: the published tables
 * this reproduces round per band to the cent.
 */
import { AppError } from "~/kernel/app-error";

export interface LadderTable {
  /** Upper ages in days of every band but the last, rising: [365, 730, …]. */
  upperDays: readonly number[];
  /** One rate per band (one more than `upperDays`), in parts per million: 5 % = 50_000. */
  ratesPpm: readonly number[];
}

export const PPM = 1_000_000;

/** The default table: under 1 year 5 %, 1–2 years 10 %, 2–3 20 %, 3–4 50 %, 4–5 80 %, over 5 years 100 %. */
export const DEFAULT_LADDER: LadderTable = {
  upperDays: [365, 730, 1095, 1460, 1825],
  ratesPpm: [50_000, 100_000, 200_000, 500_000, 800_000, 1_000_000],
};

export interface LadderBandResult {
  fromDays: number;
  /** null for the last band, which has no upper age. */
  toDays: number | null;
  balance: number;
  ratePpm: number;
  provision: number;
}

export interface LadderResult {
  bands: LadderBandResult[];
  balance: number;
  provision: number;
}

export function checkLadderTable(table: LadderTable): void {
  const { upperDays, ratesPpm } = table;
  if (upperDays.some((days, i) => !Number.isInteger(days) || days < 1 || (i > 0 && days <= (upperDays[i - 1] ?? 0))))
    throw AppError.field("bands", "provisions.ladder.badBands");
  if (ratesPpm.length !== upperDays.length + 1) throw AppError.field("rates", "provisions.ladder.rateCount");
  if (ratesPpm.some((rate) => !Number.isInteger(rate) || rate < 0 || rate > PPM)) throw AppError.field("rates", "provisions.ladder.badRate");
}

/** The band an age falls in: the first whose upper age it does not pass. */
export function ladderBandOf(upperDays: readonly number[], ageDays: number): number {
  let low = 0;
  let high = upperDays.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ageDays <= (upperDays[middle] ?? Infinity)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** `minor` × ppm / 1,000,000, rounded half away from zero, exactly (amounts reach 10¹³ minor units). */
export function applyPpm(minor: number, ppm: number): number {
  const product = BigInt(minor) * BigInt(ppm);
  const sign = product < 0n ? -1n : 1n;
  const magnitude = product * sign;
  const whole = magnitude / BigInt(PPM);
  const rest = magnitude % BigInt(PPM);
  return Number(sign * (rest * 2n >= BigInt(PPM) ? whole + 1n : whole));
}

/**
 * Each row's (customer's) share of the ladder's provision: band by band, the band's provision as
 * the page shows it (the band's total balance at its rate, rounded once) split over the rows by
 * the largest remainder of their exact shares. Rows add up to the page's total to the cent, where
 * rounding each row on its own drifts by up to half a cent a row.
 */
export function allocateLadderProvision(ratesPpm: readonly number[], rows: readonly (readonly number[])[]): number[] {
  const scale = BigInt(PPM);
  const shares = rows.map(() => 0n);
  ratesPpm.forEach((ppm, band) => {
    const exact = rows.map((row) => BigInt(row[band] ?? 0) * BigInt(ppm));
    const floors = exact.map((value) => {
      const quotient = value / scale;
      return value % scale < 0n ? quotient - 1n : quotient;
    });
    const total = BigInt(applyPpm(rows.reduce((sum, row) => sum + (row[band] ?? 0), 0), ppm));
    let rest = total - floors.reduce((sum, value) => sum + value, 0n);
    const order = exact
      .map((value, i) => ({ i, remainder: value - (floors[i] ?? 0n) * scale }))
      .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
    for (const { i } of order) {
      if (rest <= 0n) break;
      floors[i] = (floors[i] ?? 0n) + 1n;
      rest -= 1n;
    }
    floors.forEach((value, i) => (shares[i] = (shares[i] ?? 0n) + value));
  });
  return shares.map(Number);
}

/** Band balances from aged open amounts (minor units); a negative amount (a credit) is not netted here. */
export function ladderBalances(upperDays: readonly number[], items: Iterable<{ ageDays: number; open: number }>): number[] {
  const balances = new Array<number>(upperDays.length + 1).fill(0);
  for (const item of items) {
    const band = ladderBandOf(upperDays, item.ageDays);
    balances[band] = (balances[band] ?? 0) + item.open;
  }
  return balances;
}

export function ladderProvision(table: LadderTable, balances: readonly number[]): LadderResult {
  checkLadderTable(table);
  if (balances.length !== table.ratesPpm.length) throw new AppError("invalid", "provisions.ladder.balanceCount");
  const bands = balances.map((balance, i): LadderBandResult => {
    const ratePpm = table.ratesPpm[i] ?? PPM;
    return {
      fromDays: i === 0 ? 0 : (table.upperDays[i - 1] ?? 0) + 1,
      toDays: table.upperDays[i] ?? null,
      balance,
      ratePpm,
      provision: applyPpm(balance, ratePpm),
    };
  });
  return {
    bands,
    balance: bands.reduce((sum, band) => sum + band.balance, 0),
    provision: bands.reduce((sum, band) => sum + band.provision, 0),
  };
}

/**
 * Impossible aging: a year later, what is in band k + 1 came from band k, so it cannot be more
 * (re-aging or misclassification). Meaningful when the bands are one period wide, as yearly
 * bands a year apart are. Returns the bands (of the later year) that break the rule.
 */
export function impossibleAging(previous: readonly number[], current: readonly number[]): number[] {
  const broken: number[] = [];
  const last = current.length - 1;
  for (let band = 1; band <= last; band++) {
    // The last band has no upper age: it also keeps what was already in it.
    const cameFrom = (previous[band - 1] ?? 0) + (band === last ? (previous[band] ?? 0) : 0);
    if ((current[band] ?? 0) > cameFrom) broken.push(band);
  }
  return broken;
}
