/** The server-side use cases and reads other features may use of this one. */
export {
  DEFAULT_WEEKS,
  MAX_WEEKS,
  checkForecastAccess,
  forecastFor,
  forecastForApi,
  forecastJson,
  forecastNotes,
  forecastRequestError,
  loadForecastPage,
  resolveForecastRequest,
  scopeFilterOf,
} from "./forecast.server";
export type { ForecastJson, ForecastPage, ForecastRequest, ForecastResult, ResolvedForecastRequest } from "./forecast.server";
export { catchUpForecastInputs, forecastInputsJob } from "./forecast-keeper.server";
export { freezeWeeklyForecasts, frozenForecastsJob } from "./frozen.server";
export { loadPushPlan, readPushItemId } from "./push.server";
export { loadPushOverview } from "./push-overview.server";
export type { PushOverview, PushOverviewItem } from "./push-overview.server";
export type { PushPlan, PushRow } from "./push.server";
export { exportChaseList } from "./push-export.server";
export { makeFromChaseList } from "./push-make.server";
export type { ChaseMade } from "./push-make.server";
export { choosePlannedPath } from "./push-path.server";
export { companyPaymentBehaviour } from "./behaviour.server";
export { projectScope } from "./kpi-projection.server";
export { PROJECTED_KPIS, isProjectedKpi, projectedValueOf } from "./projection";
export type { ProjectedKpi, Projection } from "./projection";
export { loadItemProjection } from "./item-projection.server";
export type { ItemProjection } from "./item-projection.server";
