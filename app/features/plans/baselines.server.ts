import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
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

/**
 * The job (server/jobs.server.ts runs it at start, for quarters that began while the server was
 * down, and every hour); an import holding the write lock makes a run wait for the next one.
 */
export function baselinesJob(db: Db, today: () => IsoDate, { everyMs = 60 * 60 * 1000 } = {}): Job {
  return {
    name: "plan-baselines",
    everyMs,
    atStart: true,
    async run() {
      const { plans } = await updateBaselines(db, today());
      return plans > 0 ? `Took the due KPI baselines of ${plans} plan(s).` : null;
    },
  };
}
