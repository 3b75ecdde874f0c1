/** The server-side use cases the routes (and other features) may use of this one. */
export { exportYearReview, reviewCommand, reviewIndex, reviewPage } from "./year-review.server";
export { reportCommand, reportView } from "./report.server";
export { exportReportDocx } from "./report-docx.server";
export { periodParam } from "./report-period";
