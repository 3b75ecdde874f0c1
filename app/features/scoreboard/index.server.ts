/** The server-side use cases other parts of the app may use of this one. */
export { exportScoreboard, loadScoreboardPage } from "./scoreboard.server";
export { getScoringRules, saveScoringRulesForm } from "./scoring.server";
export { loadScoreboard } from "./scoreboard.server";
export type { ScoredScoreboardView } from "./scoreboard.server";
