import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import { paymentMonthsStale } from "./forecast.server";
import { rebuildPaymentMonths } from "./queries.server";

/**
 * The background job that keeps the forecast's payment behaviour (`forecast_payment_months`)
 * current: after an import rewrote the paid dates, it sums them again by customer and month.
 * Requests only read; before the first build they sum the paid dates themselves.
 */
export async function catchUpForecastInputs(db: Db, now: () => Date = () => new Date()): Promise<number | null> {
  if (!(await paymentMonthsStale(db))) return null;
  return rebuildPaymentMonths(db, now().toISOString());
}

export function forecastInputsJob(db: Db, { everyMs = 60_000 } = {}): Job {
  return {
    name: "forecast-inputs",
    everyMs,
    atStart: true,
    async run() {
      const rows = await catchUpForecastInputs(db);
      return rows === null ? null : `Summed the customers' payments by month for the forecast (${rows} rows).`;
    },
  };
}
