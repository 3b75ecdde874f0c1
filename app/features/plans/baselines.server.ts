import { type Db, isDatabaseBusy } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { openPlanIds } from "~/features/plans/queries/plans.server";
import { captureBaselines, getPlan } from "~/features/plans/plans.server";

/**
 * The baseline job: stores every KPI baseline that is due, i.e. missing ones and the provisional
 * ones of quarters that have begun (replaced by the quarter's eve). Pages never write: until
 * this runs they read the eve's value themselves (plans.server.ts `linkedKpiView`). `npm start`
 * runs it when the server starts and every hour; `npm run plans:baselines` runs it from cron.
 */
export async function updateBaselines(db: Db, today: IsoDate): Promise<{ plans: number }> {
  let plans = 0;
  for (const planId of await openPlanIds(db)) {
    if (await captureBaselines(db, await getPlan(db, planId), today)) plans += 1;
  }
  return { plans };
}

export const BASELINE_JOB_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Runs the job every hour in this process (the caller runs it once at start). An import holding
 * the write lock makes a run give up quietly: the next one takes what is still due.
 */
export function startBaselineJob(db: Db, today: () => IsoDate, log: (message: string) => void = console.log): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const { plans } = await updateBaselines(db, today());
      if (plans > 0) log(`Took the due KPI baselines of ${plans} plan(s).`);
    } catch (error) {
      if (!isDatabaseBusy(error)) console.error("The baseline job failed:", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void run(), BASELINE_JOB_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
