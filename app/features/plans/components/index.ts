/** The components other features may show (the rest of this folder is the feature's own). */
export { PlanStateBadge } from "./plan-state-badge";
export { TrackBadge } from "./track-badge";
export { useScopeLabel } from "./use-scope-label";
