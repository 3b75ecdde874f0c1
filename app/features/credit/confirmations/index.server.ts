/** The server-side use cases and reads the routes and other features use of the confirmations. */
export { confirmationCounts } from "./queries.server";
export { batchExportRows, batchList, batchPage, createConfirmationBatch, readBatchView, recordOnBatch } from "./confirmations.server";
export type { BatchRecorded } from "./confirmations.server";
export { confirmationLetters } from "./letters.server";
export { CONFIRMATIONS_CONTENT_TYPES, confirmationsExportFileName, confirmationsExportStream } from "./export.server";
