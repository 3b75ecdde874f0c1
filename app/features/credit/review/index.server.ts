/** The server-side use cases and reads other features may use of this one. */
export { customerReviewDecisions } from "./queries.server";
