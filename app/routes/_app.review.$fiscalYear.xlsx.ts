import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { ReviewNotFoundError, loadYearReview, reviewWorkbook } from "~/features/year-review/year-review.server";

/** `/review/:fiscalYear/xlsx`: the review's tables as an XLSX workbook, one sheet per table. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  if (!params.fiscalYear || !/^\d{4}$/.test(params.fiscalYear)) throw new Response("No such fiscal year.", { status: 404 });
  const fiscalYear = Number(params.fiscalYear);
  const review = await loadYearReview(getDb(), user, fiscalYear, today()).catch((error) => {
    if (error instanceof ReviewNotFoundError) throw new Response("No such fiscal year.", { status: 404 });
    throw error;
  });
  const body = await reviewWorkbook(review, user.locale);
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="year-review-${fiscalYear}.xlsx"`,
      "Cache-Control": "no-store",
    },
  });
}
