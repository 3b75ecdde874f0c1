import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { resolveStatusMonth } from "~/features/status-table/status-table";
import { isLedgerBusy, rebuildStatusDay, refreshStatusPositions, statusPositionsBehind } from "~/features/status-table/queries.server";

/**
 * The background job that keeps the status table's stored figures current, so no read has to:
 * the positions of customers whose documents changed outside the import (the triggers mark
 * them), and the month in progress once a day (the import builds it for its own today; a new day
 * without an import needs it built). Reads meanwhile show the positions as last written and work
 * the month in progress out live.
 */

export interface StatusCatchUp {
  /** customers whose positions were rewritten */
  customers: number;
  /** whether the month in progress is now cached for `today` */
  dayCached: boolean;
}

/** One catch-up, as the job runs it (and a command may). Throws AppError busy (`ledgerBusy`) while an import holds the ledger. */
export async function catchUpStatusPositions(db: Db, today: IsoDate): Promise<StatusCatchUp> {
  const customers = (await statusPositionsBehind(db)) ? refreshStatusPositions() : 0;
  const resolved = resolveStatusMonth(today.slice(0, 7), today);
  const dayCached = resolved.ok ? await rebuildStatusDay(db, resolved.month) : false;
  return { customers, dayCached };
}

/** The job (server/jobs.server.ts runs it every minute); a busy ledger waits for the next look. */
export function statusPositionsJob(db: Db, today: () => IsoDate, { everyMs = 60_000 } = {}): Job {
  return {
    name: "status-positions",
    everyMs,
    atStart: true,
    async run() {
      try {
        const { customers } = await catchUpStatusPositions(db, today());
        return customers > 0 ? `Brought the status table's positions of ${customers} customer(s) up to date.` : null;
      } catch (error) {
        // An import holding the ledger re-settles what it touches; the rest waits for the next look.
        if (isLedgerBusy(error)) return null;
        throw error;
      }
    },
  };
}
