/** What other features may use of this one (server code: index.server.ts). */
export { promiseKeptRate, storedStatusAsOf } from "./promises";
export { PROMISE_MONTHS_AHEAD } from "./schema";
