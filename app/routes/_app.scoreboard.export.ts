import type { LoaderFunctionArgs } from "@remix-run/node";

import { getDb } from "~/server/db.server";
import { type ExportFormat, exportFileName } from "~/features/scoreboard/scoreboard";
import { CONTENT_TYPES, loadScoreboard, readScoreboardRequest, scoreboardCsv, scoreboardXlsx } from "~/features/scoreboard/scoreboard.server";

/**
 * `/scoreboard/export?format=xlsx|csv` plus the page's period (`start`/`end` or `preset`): the
 * rows the page shows, in its order, then the unowned customers (head and leadership) and the
 * company's totals. A handful of rows, so the file is built in memory.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const read = await readScoreboardRequest(request);
  const format = new URL(request.url).searchParams.get("format");
  if (format !== "csv" && format !== "xlsx") {
    throw new Response(`format must be xlsx or csv, got "${format ?? ""}"`, { status: 400, statusText: "Bad Request" });
  }
  if (!read.ok) {
    const problems = Object.values(read.fieldErrors).flat().join(", ");
    throw new Response(`bad period (${problems}): give start and end as YYYY-MM-DD, start on or before end`, {
      status: 400,
      statusText: "Bad Request",
    });
  }
  const view = await loadScoreboard(getDb(), read.period, read.user);
  const body = format === "csv" ? scoreboardCsv(view, read.user.locale) : new Uint8Array(await scoreboardXlsx(view, read.user.locale));
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[format as ExportFormat],
      "Content-Disposition": `attachment; filename="${exportFileName(read.period, format as ExportFormat)}"`,
      "Cache-Control": "no-store",
    },
  });
}
