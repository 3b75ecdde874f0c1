/**
 * Staff scoring (考核): the department ties the field staff's performance to collection. The head
 * sets four weights (summing to 100) and a warning threshold; each owner on the scoreboard gets
 * points out of 100 for the period, a rank by points, and a warning when below the threshold.
 *
 * Each measure is normalised to a share between 0 and 1:
 * - collection rate: the KPI `collection_rate` of the owner's customers (collected over the
 *   receivables at the start plus what was billed), capped at 1 (collecting more than was owed,
 *   e.g. an advance, earns no extra); none when nothing was owed or billed;
 * - overdue reduction: (overdue at the start − at the end) / at the start, from 0 (no fall, or a
 *   rise) to 1 (all cleared); with no overdue at the start, none at the end is 1 and any is 0;
 * - promises kept: promises to pay and agreement instalments due in the period that were kept,
 *   over those kept or broken; none when none fell due;
 * - plan items done on time: items due in the period done on or before their due date, over those
 *   due; none when none fell due.
 * A measure with nothing to measure is left out and the other weights count in proportion, so an
 * owner is neither rewarded nor punished for, say, having no promises: points =
 * 100 × Σ weight × share / Σ weight of the measures that apply, to one decimal. An owner with no
 * measure that applies, and an owner the scoreboard does not rank (inactive, or no customers),
 * gets no points, no rank and no warning. Owners with equal points share a rank (1, 1, 3).
 *
 * Pure: the server passes the scoreboard's figures in.
 */

export const MEASURES = ["collectionRate", "overdueReduction", "promisesKept", "itemsOnTime"] as const;
export type Measure = (typeof MEASURES)[number];

export interface ScoringRules {
  /** whole numbers 0–100, summing to 100 */
  weights: Record<Measure, number>;
  /** an owner with fewer points than this (0–100) is flagged */
  warnBelow: number;
}

export interface Counted {
  due: number;
  /** of those due, done (kept, or done on time) */
  done: number;
}

export interface ScoringInput {
  ownerId: number;
  /** the scoreboard ranks this owner (active, with customers) */
  scorable: boolean;
  /** the KPI `collection_rate` of the owner's customers; null when nothing was owed or billed */
  collectionRate: number | null;
  overdueAtStart: number;
  overdueAtEnd: number;
  promises: Counted;
  items: Counted;
}

export interface OwnerScore {
  ownerId: number;
  /** each measure's share, 0–1, or null when it does not apply */
  shares: Record<Measure, number | null>;
  /** 0–100 with one decimal; null for an owner not scored */
  points: number | null;
  /** 1 = most points; ties share a rank */
  rank: number | null;
  /** points below the rules' threshold */
  warning: boolean;
}

const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

export function measureShares(input: Omit<ScoringInput, "ownerId" | "scorable">): Record<Measure, number | null> {
  const { collectionRate, overdueAtStart, overdueAtEnd, promises, items } = input;
  return {
    collectionRate: collectionRate === null || !Number.isFinite(collectionRate) ? null : clamp01(collectionRate),
    overdueReduction: overdueAtStart > 0 ? clamp01((overdueAtStart - overdueAtEnd) / overdueAtStart) : overdueAtEnd > 0 ? 0 : 1,
    promisesKept: promises.due > 0 ? clamp01(promises.done / promises.due) : null,
    itemsOnTime: items.due > 0 ? clamp01(items.done / items.due) : null,
  };
}

/** Points out of 100 to one decimal from the shares and the weights; null when no weighted measure applies. */
export function pointsOf(shares: Record<Measure, number | null>, weights: Record<Measure, number>): number | null {
  let weighted = 0;
  let weightInPlay = 0;
  for (const measure of MEASURES) {
    const share = shares[measure];
    if (share === null || weights[measure] <= 0) continue;
    weighted += weights[measure] * share;
    weightInPlay += weights[measure];
  }
  if (weightInPlay === 0) return null;
  // rounded once, to one decimal, so equal scores compare equal whatever the floating-point path
  return Math.round((1000 * weighted) / weightInPlay) / 10;
}

/** Every owner's score, in the input's order; ranks compare the scored owners only. */
export function scoreOwners(inputs: readonly ScoringInput[], rules: ScoringRules): OwnerScore[] {
  const scored = inputs.map((input) => {
    const measured = measureShares(input);
    // "no overdue at either end counts as 100 %" credits an owner who kept a book clean; an owner
    // not scored (no customers, or no longer active) with nothing overdue has nothing to show there
    const nothingOverdue = input.overdueAtStart === 0 && input.overdueAtEnd === 0;
    const shares = !input.scorable && nothingOverdue ? { ...measured, overdueReduction: null } : measured;
    return { ownerId: input.ownerId, shares, points: input.scorable ? pointsOf(shares, rules.weights) : null };
  });
  const ordered = scored.map((s) => s.points).filter((p): p is number => p !== null).sort((a, b) => b - a);
  // competition ranking: 1 + the number of owners with strictly more points
  const rankOf = new Map<number, number>();
  ordered.forEach((points, index) => {
    if (!rankOf.has(points)) rankOf.set(points, index + 1);
  });
  return scored.map((s) => ({
    ...s,
    rank: s.points === null ? null : (rankOf.get(s.points) ?? null),
    warning: s.points !== null && s.points < rules.warnBelow,
  }));
}

export const DEFAULT_SCORING_RULES: ScoringRules = {
  weights: { collectionRate: 30, overdueReduction: 30, promisesKept: 20, itemsOnTime: 20 },
  warnBelow: 60,
};
