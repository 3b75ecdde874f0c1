import { type Db, openLedgerConnection } from "../app/server/db.server";
import { catchUpKpiSummaries } from "../app/features/kpi/queries/summary.server";
import { kpiSummariesBehind } from "../app/features/kpi/summary-keeper.server";

/**
 * Before serving (`npm start`) and after migrating: builds the KPI summaries of a database that
 * holds documents but no summaries yet, or moves customers changed outside the app, once, here,
 * so no request settles the whole ledger. While the app runs, its background job does the same.
 */
export async function ensureKpiSummaries(db: Db): Promise<boolean> {
  if (!(await kpiSummariesBehind(db))) return false;
  const sqlite = openLedgerConnection();
  try {
    return catchUpKpiSummaries(sqlite).done !== "nothing";
  } finally {
    sqlite.close();
  }
}
