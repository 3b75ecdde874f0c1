/** The server-side use cases and reads the routes and other features use of the early warnings. */
export { getWarningRules } from "./queries.server";
export { actOnWarning, activeWarningsSummary, loadWarningPage, loadWarningsPage, readWarningFilter, saveWarningRulesForm, sweepWarnings, warningsJob } from "./warnings.server";
