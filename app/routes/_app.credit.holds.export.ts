import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { displayTimeZone } from "~/server/env.server";
import {
  HOLDS_CONTENT_TYPES,
  holdsExportFileName,
  holdsExportRows,
  holdsExportStream,
  readHoldsExportList,
  readHoldsParams,
} from "~/features/credit/holds/index.server";
import { getDb } from "~/server/db.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { orDownloadRefusal } from "~/server/responses.server";
import { exportFormatParam } from "~/server/spreadsheet.server";

/**
 * `/credit/holds/export?format=xlsx|csv[&list=over-limit]` with the page's owner and region
 * filters: the holds in force for sales and shipping (default), or the over-limit list; staff get
 * their own customers. Written as it is streamed out.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  const asOf = today();
  // A format or list the page never links to, or the ledger busy importing: said in words.
  const { format, list, exported } = await orDownloadRefusal(user.locale, async () => {
    const format = exportFormatParam(search);
    const list = readHoldsExportList(search);
    return { format, list, exported: await holdsExportRows(getDb(), list, ledgerScopeOf(user), readHoldsParams(search).filters, asOf) };
  });
  const stream = holdsExportStream(list, format, { ...exported, locale: user.locale, timeZone: displayTimeZone() });
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": HOLDS_CONTENT_TYPES[format],
      "Content-Disposition": `attachment; filename="${holdsExportFileName(list, asOf, format)}"`,
      "Cache-Control": "no-store",
    },
  });
}
