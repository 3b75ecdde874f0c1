/** What other features may use of the early warnings (server code: index.server.ts). */
export { SEVERITIES, WARNING_KINDS, parseReasons } from "./rules";
export type { Reason, Severity, WarningKind, WarningRule, WarningState } from "./rules";
