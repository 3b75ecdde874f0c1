import type { LoaderFunctionArgs } from "@remix-run/node";

import { apiAnswer, apiRefusal, requireApiUser } from "~/server/api.server";
import { getDb } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { kpisForApi } from "~/features/kpi/index.server";

/**
 * GET /api/kpis?asOf=YYYY-MM-DD&scope=…&periodStart=…&baseline=… → KPIS.md section 5's object.
 * Signed-in users (cookie) and API tokens (Bearer). Every answer is JSON, errors as
 * `{ "error": "…" }` with 400/401/403/404/405 (server/api.server.ts); a resource route, so no component.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiAnswer(async () => kpisForApi(getDb(), await requireApiUser(request), new URL(request.url).searchParams));
}

export async function action() {
  return apiRefusal(new AppError("method_not_allowed", "use GET"));
}
