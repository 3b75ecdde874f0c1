import type { LoaderFunctionArgs } from "@remix-run/node";

import { ApiError, apiError, apiJson, requireApiUser } from "~/server/api.server";
import { getDb } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { kpisForApi } from "~/features/kpi/index.server";

/**
 * GET /api/kpis?asOf=YYYY-MM-DD&scope=…&periodStart=…&baseline=… → KPIS.md section 5's object.
 * Signed-in users (cookie) and API tokens (Bearer). Every answer is JSON, errors as
 * `{ "error": "…" }` with 400/401/403/404; a resource route, so no component.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  try {
    const user = await requireApiUser(request);
    return apiJson(await kpisForApi(getDb(), user, new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ApiError) return apiError(error.status, error.message);
    // The KPI service's refusals carry the English sentence the API answers with.
    if (error instanceof AppError) return apiError(error.status, error.messageKey);
    // A defect, not bad input: logged for the operator, still answered in JSON.
    console.error(error);
    return apiError(500, "internal error");
  }
}

export async function action() {
  return apiError(405, "use GET");
}
