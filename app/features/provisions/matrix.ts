/**
 * The provision matrix from migration rates (迁徙率; IFRS 9's simplified approach): from the
 * ledger's own history, the share of each band's balance still unpaid one period later in the
 * next band (write-offs count as migrated: they were not collected), averaged over the periods
 * that had a balance in the band. The loss rate of band k is the product of the migration rates
 * from k on, the last band's being 100 %; a forward-looking adjustment then scales every loss
 * rate (capped at 100 %).
 */
import { AppError } from "~/kernel/app-error";

export interface MigrationPeriod {
  /** Each band's balance at the period's start (minor units). */
  start: readonly number[];
  /** Of `start[k]`, what was in band k + 1 at the period's end, written off included. */
  migrated: readonly number[];
}

export interface MigrationRates {
  /** One per band but the last. */
  rates: number[];
  /** Bands with no balance in any period: their rate is taken as 100 %, the prudent guess. */
  withoutHistory: number[];
  /** Bands where some period migrated more than it held (re-aging): capped at 100 %. */
  capped: number[];
}

export function migrationRates(bandCount: number, periods: readonly MigrationPeriod[]): MigrationRates {
  const rates: number[] = [];
  const withoutHistory: number[] = [];
  const capped: number[] = [];
  for (let band = 0; band < bandCount - 1; band++) {
    let sum = 0;
    let counted = 0;
    let over = false;
    for (const period of periods) {
      const start = period.start[band] ?? 0;
      if (start <= 0) continue;
      const share = Math.max(0, period.migrated[band] ?? 0) / start;
      if (share > 1) over = true;
      sum += Math.min(1, share);
      counted++;
    }
    if (counted === 0) withoutHistory.push(band);
    if (over) capped.push(band);
    rates.push(counted === 0 ? 1 : sum / counted);
  }
  return { rates, withoutHistory, capped };
}

/** Loss rate of band k = Π migration rates from k on × 100 % for the last band. */
export function lossRates(migration: readonly number[]): number[] {
  const losses = new Array<number>(migration.length + 1).fill(1);
  for (let band = migration.length - 1; band >= 0; band--) losses[band] = (migration[band] ?? 1) * (losses[band + 1] ?? 1);
  return losses;
}

export interface MatrixBandResult {
  balance: number;
  lossRate: number;
  provision: number;
}

/**
 * The provision of today's band balances. `adjustment` is the forward-looking change as a
 * fraction (0.1 = rates 10 % higher, −0.05 = 5 % lower); each band is rounded to the cent.
 */
export function matrixProvision(losses: readonly number[], balances: readonly number[], adjustment = 0): { bands: MatrixBandResult[]; provision: number } {
  if (balances.length !== losses.length) throw new AppError("invalid", "provisions.matrix.balanceCount");
  if (!Number.isFinite(adjustment) || adjustment <= -1) throw AppError.field("adjustment", "provisions.matrix.badAdjustment");
  const bands = balances.map((balance, i): MatrixBandResult => {
    const lossRate = Math.min(1, (losses[i] ?? 1) * (1 + adjustment));
    return { balance, lossRate, provision: Math.round(balance * lossRate) };
  });
  return { bands, provision: bands.reduce((sum, band) => sum + band.provision, 0) };
}
