/** The server-side use cases and reads other features may use of this one. */
export { StatusLedgerBusyError, StatusPositionsWriter, buildStatusDay, ensureStatusPositions, suspendStaleTriggers } from "./queries.server";
