/** The server-side use cases and reads the routes use of the credit review. */
export { openThisQuarterReview, reviewCommand, reviewWorklistPage, reviewsOverview } from "./pages.server";
