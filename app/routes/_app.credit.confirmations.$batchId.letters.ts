import type { LoaderFunctionArgs } from "@remix-run/node";

import { confirmationLetters } from "~/features/credit/confirmations/index.server";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { pdfBytes, pdfResponse } from "~/server/pdf.server";
import { idValue, orDownloadRefusal } from "~/server/responses.server";

/**
 * `/credit/confirmations/:batchId/letters?lang=zh-CN|en[&customer=CODE]` plus the page's filters:
 * the batch's confirmation letters (询证函) as one PDF, or one customer's. Reads only.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const search = new URL(request.url).searchParams;
  const { fileName, document } = await orDownloadRefusal(user.locale, async () => confirmationLetters(getDb(), user, idValue(params, "batchId"), search, today()));
  return pdfResponse(fileName, await pdfBytes(document));
}
