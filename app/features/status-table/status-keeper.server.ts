import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { resolveStatusMonth } from "~/features/status-table/status-table";
import { StatusLedgerBusyError, rebuildStatusDay, refreshStatusPositions, statusPositionsBehind } from "~/features/status-table/queries.server";

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

/** One catch-up, as the job runs it (and a command may). Throws StatusLedgerBusyError while an import holds the ledger. */
export async function catchUpStatusPositions(db: Db, today: IsoDate): Promise<StatusCatchUp> {
  const customers = (await statusPositionsBehind(db)) ? refreshStatusPositions() : 0;
  const resolved = resolveStatusMonth(today.slice(0, 7), today);
  const dayCached = resolved.ok ? await rebuildStatusDay(db, resolved.month) : false;
  return { customers, dayCached };
}

export interface StatusKeeper {
  /** Looks now instead of at the next tick. */
  check(): Promise<void>;
  stop(): void;
}

export function startStatusKeeper(db: Db, today: () => IsoDate, { intervalMs = 60_000 } = {}): StatusKeeper {
  let running: Promise<void> | null = null;
  const check = (): Promise<void> => {
    running ??= catchUpStatusPositions(db, today())
      .then(() => undefined)
      .catch((error: unknown) => {
        // An import holding the ledger: it re-settles what it touches; the rest waits for the next look.
        if (!(error instanceof StatusLedgerBusyError)) console.error("The status table catch-up failed:", error);
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return {
    check,
    stop() {
      clearInterval(timer);
    },
  };
}
