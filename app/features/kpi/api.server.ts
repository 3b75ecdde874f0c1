import type { ApiUser } from "~/server/api.server";
import { AppError } from "~/kernel/app-error";
import type { Db } from "~/server/db.server";
import { canReadKpis, kpiAccess } from "~/features/kpi/access";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { type KpiAnswer, type KpiRequest, kpiAnswer, kpiRequestError, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { findCustomer } from "~/features/ledger/index.server";

/** `/api/kpis`: the KPIS.md section 5 object for what the user may see. */

const PARAMETERS = ["asOf", "scope", "periodStart", "baseline"] as const;

/**
 * The request's words from the query string. Unknown or repeated parameters are refused: a typo
 * such as `periodstart` would otherwise be ignored silently and answer with other figures.
 */
export function readKpiQuery(params: URLSearchParams): KpiRequest {
  for (const key of new Set(params.keys())) {
    // widened only to ask includes() of any key
    if (!(PARAMETERS as readonly string[]).includes(key)) {
      throw kpiRequestError(`unknown parameter "${key}"; the parameters are ${PARAMETERS.join(", ")}`);
    }
    if (params.getAll(key).length > 1) throw kpiRequestError(`parameter "${key}" is given more than once`);
  }
  return {
    asOf: params.get("asOf") ?? "",
    scope: params.get("scope"),
    periodStart: params.get("periodStart"),
    baseline: params.get("baseline"),
  };
}

/**
 * Order of refusals: a role without ledger access (403) before the parameters are read (400),
 * then whether this user may see the scope (403), then whether the scope exists (404).
 */
export async function kpisForApi(db: Db, user: ApiUser, params: URLSearchParams): Promise<KpiAnswer> {
  if (!canReadKpis(user)) throw AppError.forbidden("your role does not see ledger figures");
  const request = readKpiQuery(params);
  const { scope } = resolveKpiRequest(request);
  const access = kpiAccess(user, scope);
  if (access.kind === "forbidden") throw AppError.forbidden(access.message);
  if (access.kind === "own-customer-only") {
    const lookup = await findCustomer(db, ledgerScopeOf(user), access.code);
    if (!lookup.found && lookup.reason === "unknown") {
      throw kpiRequestError(`scope customer:${access.code} names no known customer`, "not_found");
    }
    if (!lookup.found) throw AppError.forbidden(`customer ${access.code} is not one of your customers`);
  }
  return kpiAnswer(db, request);
}
