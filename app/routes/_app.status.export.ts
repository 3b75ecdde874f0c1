import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";

import { exportFileName } from "~/features/status-table/status-table";
import { CONTENT_TYPES, type ExportFormat, readStatusRequest, statusExportStream } from "~/features/status-table/export.server";

/**
 * `/status/export?format=xlsx|csv` plus the page's own parameters: the filtered table (every row,
 * in the page's order, totals last), streamed as it is read.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const format = new URL(request.url).searchParams.get("format");
  const status = await readStatusRequest(request);
  if (format !== "csv" && format !== "xlsx") {
    throw new Response(`format must be xlsx or csv, got "${format ?? ""}"`, { status: 400, statusText: "Bad Request" });
  }
  const stream = statusExportStream(status, format as ExportFormat);
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": CONTENT_TYPES[format as ExportFormat],
      "Content-Disposition": `attachment; filename="${exportFileName(status.month.month, format as ExportFormat)}"`,
      "Cache-Control": "no-store",
    },
  });
}
