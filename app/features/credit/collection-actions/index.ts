/** What other features may use of this one (server code: index.server.ts). */
export { promiseKeptRate, storedStatusAsOf } from "./promises";
