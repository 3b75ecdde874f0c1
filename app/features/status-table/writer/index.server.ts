/**
 * What a bulk writer (the ledger import's process) needs of this feature: the status positions
 * of the customers it re-settles. Narrower than ../index.server.ts on purpose: the import's
 * process then loads neither the status page nor its XLSX export (exceljs and its graph).
 */
export { StatusPositionsWriter, buildStatusDay, suspendStaleTriggers } from "../queries.server";
