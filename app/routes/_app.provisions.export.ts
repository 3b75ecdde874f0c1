import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse, exportFormatParam } from "~/server/spreadsheet.server";
import { exportProvisions } from "~/features/provisions/index.server";

/** `/provisions/export?format=xlsx|csv&asOf=…&basis=…`: the page's schedule (staff: their own customers). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  return orDownloadRefusal(user.locale, async () => {
    const format = exportFormatParam(search);
    const file = await exportProvisions(getDb(), user, search, format, today());
    return downloadResponse(file.fileName, format, file.bytes);
  });
}
