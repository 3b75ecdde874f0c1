import { openLedgerConnection } from "../../app/server/db.server";
import { catchUpKpiSummaries } from "../../app/features/kpi/queries/summary.server";

/**
 * The app's background catch-up of the KPI summaries (app/features/kpi/summary-keeper.server.ts): forked
 * so that reading the documents of the customers to move never runs on the server's request
 * thread. One transaction; killing it mid-way leaves the summaries as they were.
 */
const file = process.argv[2];
if (!file) throw new Error("usage: kpi-summaries-worker <database file or PostgreSQL URL>");
// Waiting for the write lock blocks only this process, not the server.
const sqlite = openLedgerConnection(file, { busyTimeoutMs: 30_000 });
try {
  catchUpKpiSummaries(sqlite);
} finally {
  sqlite.close();
}
