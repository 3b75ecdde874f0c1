/** The server-side use cases and reads other features may use of this one. */
export {
  isLedgerBusy,
  ledgerBusy,
  StatusPositionsWriter,
  buildStatusDay,
  ensureStatusPositions,
  statusPositionsBehind,
  suspendStaleTriggers,
} from "./queries.server";
export { exportStatusTable, loadStatusPage } from "./status-table.server";
export { catchUpStatusPositions, statusPositionsJob } from "./status-keeper.server";
export { commentOnPublication, exportPublication, loadPublication, loadPublications, publishStatusTable } from "./publication.server";
