import { isValidIsoDate } from "~/domain/dates";
import type { IsoDate } from "~/domain/ledger-types";

/**
 * The business date: today's UTC calendar date, or QUARTERDECK_TODAY (`YYYY-MM-DD`) when set, so
 * demos and tests show the same figures whatever day they run. Read on every call, never cached.
 */
export function today(now: Date = new Date()): IsoDate {
  const override = process.env.QUARTERDECK_TODAY?.trim();
  if (override) {
    if (!isValidIsoDate(override)) throw new Error(`QUARTERDECK_TODAY must be a date written YYYY-MM-DD, got "${override}"`);
    return override;
  }
  return now.toISOString().slice(0, 10);
}
