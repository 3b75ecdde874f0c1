import type { LoaderFunctionArgs } from "@remix-run/node";

import { apiAnswer, apiRefusal, requireApiUser } from "~/server/api.server";
import { getDb } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { forecastForApi } from "~/features/forecast/index.server";

/**
 * GET /api/forecast?asOf=YYYY-MM-DD&scope=…&weeks=N → the collections forecast (weekly for N weeks,
 * monthly for 12 months, the expected write-off), amounts in major units. Auth and errors as
 * /api/kpis: signed-in users and API tokens, `{ "error": "…" }` with 400/401/403/404/405.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiAnswer(async () => forecastForApi(getDb(), await requireApiUser(request), new URL(request.url).searchParams));
}

export async function action() {
  return apiRefusal(new AppError("method_not_allowed", "use GET"));
}
