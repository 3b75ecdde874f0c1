import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";

import { customerStatement, emailStatement } from "~/features/statements/index.server";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { pdfBytes, pdfResponse } from "~/server/pdf.server";
import { formValues, orDownloadRefusal, readFormData } from "~/server/responses.server";
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

/** POST (intent=email, asOf, lang): the statement e-mailed to the customer's contact e-mail through the outbox, recorded as a collection action. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  const code = params.code ?? "";
  await orDownloadRefusal(user.locale, () => emailStatement(getDb(), user, code, formValues(formData), today()));
  return redirect(`/customers/${encodeURIComponent(code)}?sent=statement#statement`, 303);
}
