import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse, exportFormatParam } from "~/server/spreadsheet.server";
import { exportChaseList, readPushItemId } from "~/features/forecast/index.server";

/** `/forecast/push/export?item=N&format=xlsx|csv`: the push page's chase list (staff: their own customers). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  return orDownloadRefusal(user.locale, async () => {
    const format = exportFormatParam(search);
    const file = await exportChaseList(getDb(), user, readPushItemId(search), format, today());
    return downloadResponse(file.fileName, format, file.bytes);
  });
}
