/** The server-side use cases and reads other features may use of this one. */
export { reviewForPlanItem } from "./queries.server";
export { customerReviewDecisions } from "./queries.server";
export { openThisQuarterReview, reviewCommand, reviewOpeningPage, reviewWorklistPage, reviewsOverview } from "./pages.server";
export { reviewOpeningsSettled } from "./opening.server";
