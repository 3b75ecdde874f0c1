/** What other features may use of this one (server code: index.server.ts). */
export type { HistoryCollection } from "./positions";
export { mayReadPublications } from "./publication";
