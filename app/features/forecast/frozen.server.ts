import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import { addDays } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import type { KpiScope } from "~/features/kpi";
import { forecastOn, paymentMonthsStale } from "./forecast.server";
import { catchUpForecastInputs } from "./forecast-keeper.server";
import { ACCURACY_WEEKS, FROZEN_WEEKS, mondaysToFreeze } from "./frozen";
import {
  type SummaryScopeRow,
  filterOfSummaryScope,
  frozenMondays,
  insertFrozen,
  summaryScopes,
} from "./queries/frozen.server";

/** Forecasts worked out per run of the job at most: a first run on a large ledger is spread over ticks. */
const FREEZES_PER_RUN = 40;

function kpiScopeOf(scope: SummaryScopeRow): KpiScope {
  switch (scope.kind) {
    case "company":
      return { type: "company" };
    case "owner":
      return { type: "owner", email: scope.email ?? "" };
    case "region":
      return { type: "region", name: scope.key };
    case "grade":
      return { type: "grade", grade: scope.key };
  }
}

/**
 * Keeps each week's forecast as it stood when the week started: for this Monday (and, when none
 * were kept, the ACCURACY_WEEKS Mondays before it) and every KPI summary scope, the 13 weeks
 * forecast as of the Sunday before. A Monday frozen after its day is marked reconstructed. Waits
 * while the payment behaviour is being rebuilt after an import. Returns how many it froze.
 */
export async function freezeWeeklyForecasts(db: Db, today: IsoDate, { now = () => new Date(), budget = FREEZES_PER_RUN } = {}): Promise<number> {
  if (await paymentMonthsStale(db)) return 0;
  const mondays = mondaysToFreeze(today, ACCURACY_WEEKS);
  const oldest = mondays[mondays.length - 1] ?? today;
  const kept = await frozenMondays(db, oldest);
  const scopes = await summaryScopes(db);
  let frozen = 0;
  for (const monday of mondays) {
    for (const scope of scopes) {
      if (frozen >= budget) return frozen;
      if (kept.has(`${scope.kind}|${scope.key}|${monday}`)) continue;
      const asOf = addDays(monday, -1);
      const { forecast } = await forecastOn(db, filterOfSummaryScope(scope), { asOf, scope: kpiScopeOf(scope), weeks: FROZEN_WEEKS });
      await insertFrozen(db, {
        kind: scope.kind,
        key: scope.key,
        frozenOn: monday,
        weeks: forecast.weeks.map((w) => ({ start: w.start, end: w.end, expected: w.expected, low: w.low, high: w.high })),
        reconstructed: today > monday,
        frozenAt: now().toISOString(),
      });
      frozen += 1;
    }
  }
  return frozen;
}

export function frozenForecastsJob(db: Db, today: () => IsoDate, { everyMs = 60_000 } = {}): Job {
  return {
    name: "forecast-frozen-weeks",
    everyMs,
    atStart: true,
    async run() {
      // the inputs first, so a fresh server keeps this week's forecast at its first run
      await catchUpForecastInputs(db);
      const count = await freezeWeeklyForecasts(db, today());
      return count > 0 ? `Kept ${count} weekly forecast(s) as they stood when their week started.` : null;
    },
  };
}
