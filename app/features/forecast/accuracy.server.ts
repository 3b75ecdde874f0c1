import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { ACCURACY_WEEKS, type Accuracy, compareWithActual, mondaysToFreeze } from "./frozen";
import { collectedByWeek, frozenWeeksOf, summaryKeyOf } from "./queries/frozen.server";
import type { ForecastScopeFilter } from "./queries.server";

/**
 * The scope's past weeks (the ACCURACY_WEEKS full weeks before today's) with the forecasts frozen
 * for them and what came in; null for one customer's scope (kept for summary scopes only).
 */
export async function forecastAccuracy(db: Db, filter: ForecastScopeFilter, today: IsoDate): Promise<Accuracy | null> {
  const scope = summaryKeyOf(filter);
  if (!scope) return null;
  // the weeks that ended before today, newest first
  const weeks = mondaysToFreeze(today, ACCURACY_WEEKS).slice(1);
  const newest = weeks[0] ?? today;
  const oldest = weeks[weeks.length - 1] ?? today;
  const [frozen, actual] = await Promise.all([frozenWeeksOf(db, scope, oldest, newest), collectedByWeek(db, scope, weeks)]);
  return compareWithActual(weeks, frozen, actual);
}
