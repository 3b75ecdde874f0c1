import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { idParam, orDownloadRefusal } from "~/server/responses.server";
import { exportReportDocx, periodParam } from "~/features/year-review/index.server";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** `/review/:fiscalYear/report/:period/docx`: a half-year's or quarter's report as a Word document. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  const fiscalYear = idParam(params, "fiscalYear");
  return orDownloadRefusal(user.locale, async () => {
    const file = await exportReportDocx(getDb(), user, fiscalYear, today(), periodParam(params.period));
    return new Response(file.bytes, {
      headers: {
        "Content-Type": DOCX,
        // a header is ASCII: the Chinese name goes in filename*, an ASCII one beside it for old clients
        "Content-Disposition": `attachment; filename="${file.asciiName}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
