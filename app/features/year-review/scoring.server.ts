import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Role } from "~/kernel/permissions";
import { loadScoreboard } from "~/features/scoreboard/index.server";
import { type PeriodScoring, rankedLines } from "~/features/year-review/report-scoring";

/**
 * The staff scoring (考核) of a review's or report's period: the scoreboard's points per owner
 * under the department's rules, so the report and the scoreboard agree. Staff see their own line,
 * as on the scoreboard. Reads only.
 */
export async function periodScoring(db: Db, viewer: { id: number; role: Role }, from: IsoDate, to: IsoDate): Promise<PeriodScoring> {
  const board = await loadScoreboard(db, { start: from, end: to }, viewer);
  return {
    from,
    to,
    weights: board.scoring.weights,
    warnBelow: board.scoring.warnBelow,
    lines: rankedLines(
      board.rows.map((row) => ({
        ownerId: row.ownerId,
        name: row.name,
        active: row.active,
        customers: row.customers,
        shares: row.score.shares,
        points: row.score.points,
        rank: row.score.rank,
        warning: row.score.warning,
      })),
    ),
  };
}
