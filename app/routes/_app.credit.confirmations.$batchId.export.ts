import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { idValue, orDownloadRefusal } from "~/server/responses.server";
import { exportFormatParam } from "~/server/spreadsheet.server";
import {
  CONFIRMATIONS_CONTENT_TYPES,
  batchExportRows,
  confirmationsExportFileName,
  confirmationsExportStream,
  readBatchView,
} from "~/features/credit/confirmations/index.server";

/**
 * `/credit/confirmations/:batchId/export?format=csv|xlsx` plus the page's filters: the batch's
 * rows in customer order, streamed as read; text cells neutralised against formula injection.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  const { format, batch, rows } = await orDownloadRefusal(user.locale, async () => {
    const batchId = idValue(params, "batchId");
    const format = exportFormatParam(search);
    return { format, ...(await batchExportRows(getDb(), user, batchId, readBatchView(search).filters)) };
  });
  const out = confirmationsExportStream(format, batch, rows, user.locale);
  return new Response(createReadableStreamFromReadable(out), {
    headers: {
      "Content-Type": CONFIRMATIONS_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${confirmationsExportFileName(batch, format)}"`,
      "Cache-Control": "no-store",
    },
  });
}
