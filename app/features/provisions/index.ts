/** What other features may use of this one (server code: index.server.ts). */
export { CLI_NAMES, resolveProvisionRequest } from "./request";
export type { ProvisionMethod, ProvisionRequest, ResolvedProvisionRequest } from "./request";
