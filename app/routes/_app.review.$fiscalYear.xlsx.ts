import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { idParam, orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse } from "~/server/spreadsheet.server";
import { exportYearReview } from "~/features/year-review/index.server";

/** `/review/:fiscalYear/xlsx`: the review's tables as an XLSX workbook, one sheet per table. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  const fiscalYear = idParam(params, "fiscalYear");
  return orDownloadRefusal(user.locale, async () => {
    const file = await exportYearReview(getDb(), user, fiscalYear, today(), new URL(request.url).searchParams);
    return downloadResponse(file.fileName, "xlsx", file.bytes);
  });
}
