import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import { type CreditKpiValues, creditKpisFromCounts } from "~/features/credit/kpis";
import { promiseKeptRate } from "~/features/credit/collection-actions";
import type { IsoDate } from "~/kernel/ledger/types";
import { loadPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { confirmationCounts } from "~/features/credit/confirmations/index.server";

/** SQLite caps bound parameters; long id lists are counted in slices. */
const ID_CHUNK = 500;

/**
 * Customers with a hold in force at the end of `asOf`: set on or before that day and not released
 * by its end. Holds are stamped with an ISO instant; its UTC date is the day it counts from.
 */
export async function customersOnHoldAsOf(db: Db, customerIds: readonly number[] | null, asOf: IsoDate): Promise<number> {
  const count = async (ids: readonly number[] | null) => {
    let query = db
      .selectFrom("customer_holds")
      .select(sql<number>`count(distinct customer_id)`.as("n"))
      .where(sql`substr(set_at, 1, 10)`, "<=", asOf)
      .where((eb) => eb.or([eb("released_at", "is", null), eb(sql`substr(released_at, 1, 10)`, ">", asOf)]));
    if (ids !== null) query = query.where("customer_id", "in", ids);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };
  if (customerIds === null) return count(null);
  let total = 0;
  const unique = [...new Set(customerIds)];
  for (let i = 0; i < unique.length; i += ID_CHUNK) total += await count(unique.slice(i, i + ID_CHUNK));
  return total;
}

/** The credit KPIs (credit-kpis.ts) of a scope's customers (null = the company) over [periodStart, asOf]. */
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
