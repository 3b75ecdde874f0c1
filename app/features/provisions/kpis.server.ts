import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { KpiScope } from "~/features/kpi";
import { type ProvisionKpiValues, provisionKpisFrom } from "~/features/provisions/kpis";
import { computeProvision } from "~/features/provisions/provision.server";

/**
 * The provision KPIs (kpis.ts) of a scope at D: the page's ladder and matrix with the stored rate
 * table, read from the positions the import keeps (no ledger re-scan). The caller has checked
 * the scope exists and that the reader may see it.
 */
export async function provisionKpiValues(db: Db, scope: KpiScope, asOf: IsoDate): Promise<ProvisionKpiValues> {
  const common = { asOf, basis: null, table: null, scope } as const;
  const ladder = await computeProvision(db, { ...common, method: "ladder" });
  const matrix = await computeProvision(db, { ...common, method: "matrix" });
  return provisionKpisFrom({ ladder: ladder.total, matrix: matrix.total, gross: ladder.grossReceivables });
}
