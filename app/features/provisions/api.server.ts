import type { ApiUser } from "~/server/api.server";
import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { can } from "~/kernel/permissions";
import { findCustomer } from "~/features/ledger/index.server";
import { provisionAccess } from "~/features/provisions/access";
import { type ProvisionJson, computeProvision, provisionJson } from "~/features/provisions/provision.server";
import { API_NAMES, type ProvisionRequest, provisionRequestError, resolveProvisionRequest } from "~/features/provisions/request";

/** `/api/provisions`: the provision object for what the user may see (errors as `/api/kpis`). */

const PARAMETERS = Object.values(API_NAMES);

/** Unknown or repeated parameters are refused: a typo would otherwise answer with other figures. */
export function readProvisionQuery(params: URLSearchParams): ProvisionRequest {
  for (const key of new Set(params.keys())) {
    if (!PARAMETERS.includes(key)) throw provisionRequestError(`unknown parameter "${key}"; the parameters are ${PARAMETERS.join(", ")}`);
    if (params.getAll(key).length > 1) throw provisionRequestError(`parameter "${key}" is given more than once`);
  }
  return {
    asOf: params.get("asOf"),
    method: params.get("method"),
    basis: params.get("basis"),
    bands: params.get("bands"),
    rates: params.get("rates"),
    scope: params.get("scope"),
  };
}

/** Refusals in the KPI API's order: role (403), words (400), scope allowed (403), scope known (404). */
export async function provisionsForApi(db: Db, user: ApiUser, params: URLSearchParams): Promise<ProvisionJson> {
  if (!can(user, "ledger:read")) throw AppError.forbidden("your role does not see ledger figures");
  const request = resolveProvisionRequest(readProvisionQuery(params));
  const access = provisionAccess(user, request.scope);
  if (access.kind === "forbidden") throw AppError.forbidden(access.message);
  if (access.kind === "own-customer-only") {
    const lookup = await findCustomer(db, ledgerScopeOf(user), access.code);
    if (!lookup.found && lookup.reason === "unknown") throw provisionRequestError(`scope customer:${access.code} names no known customer`, "not_found");
    if (!lookup.found) throw AppError.forbidden(`customer ${access.code} is not one of your customers`);
  }
  return provisionJson(await computeProvision(db, request));
}
