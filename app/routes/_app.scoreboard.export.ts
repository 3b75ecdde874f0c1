import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse, exportFormatParam } from "~/server/spreadsheet.server";
import { exportScoreboard } from "~/features/scoreboard/index.server";

/**
 * `/scoreboard/export?format=xlsx|csv` plus the page's period (`start`/`end` or `preset`): the
 * rows the page shows, in its order, then the unowned customers (head and leadership) and the
 * company's totals.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  return orDownloadRefusal(user.locale, async () => {
    const format = exportFormatParam(search);
    const file = await exportScoreboard(getDb(), user, search, format, today());
    return downloadResponse(file.fileName, format, file.bytes);
  });
}
