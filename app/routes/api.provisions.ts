import type { LoaderFunctionArgs } from "@remix-run/node";

import { apiAnswer, apiRefusal, requireApiUser } from "~/server/api.server";
import { getDb } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { provisionsForApi } from "~/features/provisions/index.server";

/**
 * GET /api/provisions?asOf=YYYY-MM-DD&method=ladder|matrix&basis=…&bands=…&rates=…&scope=… → the
 * bad-debt provision object. Signed-in users (cookie) and API tokens (Bearer); errors as /api/kpis.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return apiAnswer(async () => provisionsForApi(getDb(), await requireApiUser(request), new URL(request.url).searchParams));
}

export async function action() {
  return apiRefusal(new AppError("method_not_allowed", "use GET"));
}
