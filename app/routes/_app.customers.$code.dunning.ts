import type { ActionFunctionArgs } from "@remix-run/node";

import { dunningLetter } from "~/features/dunning/index.server";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { pdfBytes, pdfResponse } from "~/server/pdf.server";
import { formValues, orDownloadRefusal, readFormData } from "~/server/responses.server";

/**
 * POST `/customers/:code/dunning` (level, lang): the dunning letter as a PDF download, recorded as
 * a collection action once the PDF is made. A refusal is answered in words and records nothing.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  return orDownloadRefusal(user.locale, async () => {
    const letter = await dunningLetter(getDb(), user, params.code ?? "", formValues(formData), today());
    const bytes = await pdfBytes(letter.document);
    await letter.record();
    return pdfResponse(letter.fileName, bytes);
  });
}
