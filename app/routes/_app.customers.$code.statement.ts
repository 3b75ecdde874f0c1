import type { LoaderFunctionArgs } from "@remix-run/node";

import { customerStatement } from "~/features/statements/index.server";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { pdfBytes, pdfResponse } from "~/server/pdf.server";
import { orDownloadRefusal } from "~/server/responses.server";
import { downloadResponse, spreadsheetBytes } from "~/server/spreadsheet.server";

/**
 * `/customers/:code/statement?asOf=YYYY-MM-DD&format=pdf|xlsx&lang=en|zh-CN`: the customer's
 * statement of account as a download; a bad link or another owner's customer is refused in words.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  const result = await orDownloadRefusal(user.locale, () => customerStatement(getDb(), user, params.code ?? "", search, today()));
  if (result.query.format === "pdf") return pdfResponse(result.fileName, await pdfBytes(result.pdf()));
  return downloadResponse(result.fileName, "xlsx", await spreadsheetBytes("xlsx", result.sheets()));
}
