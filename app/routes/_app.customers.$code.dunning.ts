import { type ActionFunctionArgs, redirect } from "@remix-run/node";

import { dunningLetter, emailDunningLetter } from "~/features/dunning/index.server";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { pdfBytes, pdfResponse } from "~/server/pdf.server";
import { formValues, orDownloadRefusal, readFormData } from "~/server/responses.server";

/**
 * POST `/customers/:code/dunning` (level, lang): the dunning letter as a PDF download, recorded as
 * a collection action once the PDF is made; with `intent=email` it is e-mailed to the customer's
 * contact e-mail instead (queued in the outbox) and the customer page says so. A refusal is
 * answered in words and records nothing.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  const code = params.code ?? "";
  if (formData.get("intent") === "email") {
    await orDownloadRefusal(user.locale, () => emailDunningLetter(getDb(), user, code, formValues(formData), today()));
    return redirect(`/customers/${encodeURIComponent(code)}?sent=dunning#dunning`, 303);
  }
  return orDownloadRefusal(user.locale, async () => {
    const letter = await dunningLetter(getDb(), user, code, formValues(formData), today());
    const bytes = await pdfBytes(letter.document);
    await letter.record();
    return pdfResponse(letter.fileName, bytes);
  });
}
