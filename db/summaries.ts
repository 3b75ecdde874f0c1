import { type Db, databasePath, openSqlite } from "../app/db.server";
import { rebuildKpiSummaries, summariesAreCurrent } from "../app/models/kpi-summary.server";

/**
 * After migrating a database that already holds documents, its KPI summaries are marked stale and
 * requests fall back to the exact (slow) engine; rebuild them once, here, rather than waiting for
 * the next import.
 */
export async function ensureKpiSummaries(db: Db): Promise<boolean> {
  if (await summariesAreCurrent(db)) return false;
  const sqlite = openSqlite(databasePath());
  try {
    rebuildKpiSummaries(sqlite);
  } finally {
    sqlite.close();
  }
  return true;
}
