import type { Db } from "~/server/db.server";
import { type CreditKpiValues, creditKpisFromCounts } from "~/features/credit/kpis";
import { promiseKeptRate } from "~/features/credit/collection-actions";
import type { IsoDate } from "~/kernel/ledger/types";
import { loadPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { confirmationCounts } from "~/features/credit/confirmations/index.server";
import { customersOnHoldAsOf } from "~/features/credit/holds/index.server";

/** The credit KPIs (kpis.ts) of a scope's customers (null = the company) over [periodStart, asOf]. */
export async function creditKpiValues(
  db: Db,
  customerIds: readonly number[] | null,
  period: { periodStart: IsoDate; asOf: IsoDate },
): Promise<CreditKpiValues> {
  const [promises, confirmations, customersOnHold] = await Promise.all([
    loadPromiseStatuses(db, customerIds, period.asOf),
    confirmationCounts(db, customerIds, period.periodStart, period.asOf),
    customersOnHoldAsOf(db, customerIds, period.asOf),
  ]);
  const { kept, broken } = promiseKeptRate(promises, promises, period.periodStart, period.asOf);
  return creditKpisFromCounts({ promises: { kept, broken }, confirmations, customersOnHold });
}
