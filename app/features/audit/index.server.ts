/**
 * The audit log, its own small feature because every feature writes to it (plans, credit, users,
 * settings) and several read it: kept under users it would make every feature depend on users.
 */
export { type AuditInput, listAuditActions, listAuditFor, recordAudit } from "./queries.server";
