/** The server-side use cases and writers other features may use of this one. */
export { ProvisionPositionsWriter } from "./queries/positions.server";
