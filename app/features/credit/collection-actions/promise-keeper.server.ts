import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { promiseNeedsWrite } from "~/features/credit/collection-actions/promises";
import { loadPromiseStatuses, storedPromiseColumns, writePromiseStatuses } from "~/features/credit/collection-actions/queries.server";

/**
 * Keeps the stored status columns of payment_promises (status, paid, kept_on, evaluated_on)
 * current, so that what reads them (the scoring, the forecast, the promise notifications) sees
 * every promise judged without anyone opening its customer: each promise is evaluated as of
 * `today` against the collections in the ledger (promises.ts, the same rules the customer page
 * shows), and only the rows whose evaluation changed are written. A promise whose due date passed
 * becomes kept or broken at the next run; an import that adds or removes a payment is caught the
 * same way. Reads never do this.
 */
export async function keepPromiseStatuses(db: Db, today: IsoDate): Promise<number> {
  const [evaluated, stored] = await Promise.all([loadPromiseStatuses(db, null, today), storedPromiseColumns(db)]);
  const changed = evaluated.filter((promise) => {
    const before = stored.get(promise.id);
    return before !== undefined && promiseNeedsWrite(before, promise);
  });
  if (changed.length === 0) return 0;
  await db.transaction().execute((trx) => writePromiseStatuses(trx, changed, today));
  return changed.length;
}

/** The job (server/jobs.server.ts): at start, then every ten minutes; a busy ledger waits for the next tick. */
export function promiseStatusesJob(db: Db, today: () => IsoDate, { everyMs = 10 * 60_000 } = {}): Job {
  return {
    name: "promise-statuses",
    everyMs,
    atStart: true,
    async run() {
      const changed = await keepPromiseStatuses(db, today());
      return changed > 0 ? `Evaluated ${changed} payment promise(s) against the ledger.` : null;
    },
  };
}
