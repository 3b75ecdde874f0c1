import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse } from "~/server/spreadsheet.server";
import { exportPublication } from "~/features/status-table/index.server";

/** `/status/published/:month/export?version=n`: a published version as XLSX, as it was published. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "app:use");
  return orDownloadRefusal(user.locale, async () => {
    const file = await exportPublication(getDb(), user, params.month ?? "", new URL(request.url).searchParams);
    return downloadResponse(file.fileName, "xlsx", file.body);
  });
}
