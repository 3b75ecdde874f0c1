/** The components other features may show (the rest of this folder is the feature's own). */
export { ReviewPlanLink } from "./review-plan-link";
