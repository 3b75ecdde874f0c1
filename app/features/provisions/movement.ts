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
