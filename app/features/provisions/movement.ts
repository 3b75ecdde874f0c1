/**
 * The provision's movement over a period, between two approved runs: what was provided at the
 * previous run (opening), what the ledger wrote off in between (used, so it leaves the provision),
 * and the charge or the reversal that brings it to this run's closing. By construction
 * opening + charge − reversal − written off = closing; one of charge and reversal is zero.
 */
export interface ProvisionMovement {
  opening: number;
  charge: number;
  reversal: number;
  writtenOff: number;
  closing: number;
}

/** All amounts in minor units. */
export function provisionMovement(opening: number, writtenOff: number, closing: number): ProvisionMovement {
  const net = closing - opening + writtenOff;
  return { opening, charge: Math.max(net, 0), reversal: Math.max(-net, 0), writtenOff, closing };
}

export function movementAddsUp(movement: ProvisionMovement): boolean {
  return movement.opening + movement.charge - movement.reversal - movement.writtenOff === movement.closing;
}

export type PeriodKind = "month" | "quarter" | "year";

/**
 * A year's movement from the approved runs that end in it, oldest first: each run's movement
 * chains on the one before (its opening is that run's closing), so the year opens with the first
 * one's opening, closes with the last one's closing, and charges, reversals and write-offs add
 * up over the runs. Null when no run of the year is approved.
 */
export function yearMovement(runs: readonly ProvisionMovement[]): ProvisionMovement | null {
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!first || !last) return null;
  const sum = (pick: (movement: ProvisionMovement) => number) => runs.reduce((total, movement) => total + pick(movement), 0);
  return { opening: first.opening, charge: sum((m) => m.charge), reversal: sum((m) => m.reversal), writtenOff: sum((m) => m.writtenOff), closing: last.closing };
}

/** A fiscal year's movement for the year review and the approved runs it is made of, oldest first. */
export interface YearProvisionMovement {
  movement: ProvisionMovement;
  runs: { id: number; periodEnd: string }[];
}
