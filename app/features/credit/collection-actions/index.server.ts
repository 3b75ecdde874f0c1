/** The server-side use cases and reads other features may use of this one. */
export { loadPromiseStatuses } from "./queries.server";
export { canRecordCollectionAction, customerForLogging, recordActionsForOwners, recordCollectionAction } from "./collection-actions.server";
export { keepPromiseStatuses, promiseStatusesJob } from "./promise-keeper.server";
export { storedPromisesDueBetween } from "./queries.server";
