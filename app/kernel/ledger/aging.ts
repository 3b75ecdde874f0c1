/**
 * Aging buckets (KPIS.md section 4): the KPIs sum open invoices into them, the customer page
 * shows one customer's. Pure.
 */

export const AGING_BUCKETS = [
  "current",
  "1_30",
  "31_60",
  "61_90",
  "91_180",
  "181_365",
  "over_365",
] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
export type Aging = Record<AgingBucket, number>;

/** The aging bucket of an open invoice `dpd` days past due (due today, dpd 0, is current). */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return "current";
  if (daysPastDue <= 30) return "1_30";
  if (daysPastDue <= 60) return "31_60";
  if (daysPastDue <= 90) return "61_90";
  if (daysPastDue <= 180) return "91_180";
  if (daysPastDue <= 365) return "181_365";
  return "over_365";
}

export function emptyAging(): Aging {
  return { current: 0, "1_30": 0, "31_60": 0, "61_90": 0, "91_180": 0, "181_365": 0, over_365: 0 };
}
