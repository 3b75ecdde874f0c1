/**
 * Staff scoring (考核) as the written report shows it: each owner's points for the report's
 * period under the department's scoring rules (the scoreboard's), ranked, with the owners below
 * the warning threshold named. Pure: the scoreboard's scores are passed in.
 */

export const SCORING_MEASURES = ["collectionRate", "overdueReduction", "promisesKept", "itemsOnTime"] as const;
export type ScoringMeasure = (typeof SCORING_MEASURES)[number];

export interface ScoringLine {
  ownerId: number;
  name: string;
  active: boolean;
  customers: number;
  /** each measure's share, 0–1, or null when it does not apply */
  shares: Record<ScoringMeasure, number | null>;
  points: number | null;
  rank: number | null;
  warning: boolean;
}

export interface PeriodScoring {
  from: string;
  to: string;
  weights: Record<ScoringMeasure, number>;
  warnBelow: number;
  /** the scored owners by rank (then name), then those not scored */
  lines: ScoringLine[];
}

/** Scored owners first, by rank then name; the unscored after them by name. */
export function rankedLines(lines: readonly ScoringLine[]): ScoringLine[] {
  return [...lines].sort((a, b) => {
    if (a.rank === null || b.rank === null) return a.rank === null && b.rank === null ? a.name.localeCompare(b.name) : a.rank === null ? 1 : -1;
    return a.rank - b.rank || a.name.localeCompare(b.name);
  });
}

/**
 * The draft's sentence on the scoring: who came first, how many were scored, who is below the
 * warning threshold. null when nobody was scored.
 */
export function scoringSentence(scoring: PeriodScoring, language: "en" | "zh"): string | null {
  const scored = scoring.lines.filter((line) => line.points !== null);
  if (scored.length === 0) return null;
  const points = (value: number | null) => (value ?? 0).toFixed(1);
  const top = scored.filter((line) => line.rank === 1);
  const warned = scored.filter((line) => line.warning);
  if (language === "zh") {
    const head = `按部门考核计分规则，本期对${scored.length}名负责人考核计分，${top.map((line) => line.name).join("、")}以${points(top[0]?.points ?? null)}分排名第一`;
    const tail =
      warned.length === 0
        ? `，无人低于${scoring.warnBelow}分的预警线。`
        : `；${warned.map((line) => `${line.name}（${points(line.points)}分）`).join("、")}低于${scoring.warnBelow}分的预警线，予以预警。`;
    return head + tail;
  }
  const head = `Under the department's scoring rules, ${scored.length} owner${scored.length === 1 ? " was" : "s were"} scored for the period; ${top.map((line) => line.name).join(" and ")} came first with ${points(top[0]?.points ?? null)} points`;
  const tail =
    warned.length === 0
      ? `, and nobody was below the warning threshold of ${scoring.warnBelow} points.`
      : `; ${warned.map((line) => `${line.name} (${points(line.points)})`).join(", ")} ${warned.length === 1 ? "was" : "were"} below the warning threshold of ${scoring.warnBelow} points.`;
  return head + tail;
}
