import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse, exportFormatParam } from "~/server/spreadsheet.server";
import { exportStatusTable } from "~/features/status-table/index.server";

/**
 * `/status/export?format=xlsx|csv` plus the page's own parameters: the filtered table (every row,
 * in the page's order, totals last), streamed as it is read.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  return orDownloadRefusal(user.locale, async () => {
    const format = exportFormatParam(search);
    const file = await exportStatusTable(getDb(), user, search, format, today());
    return downloadResponse(file.fileName, format, file.body);
  });
}
