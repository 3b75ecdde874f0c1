import type { ActionFunctionArgs } from "@remix-run/node";

import { saveContactEmail } from "~/features/statements/index.server";
import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { attempt, formValues, readFormData } from "~/server/responses.server";

/** POST `/customers/:code/contact` (intent=contact-email, email): the customer's contact e-mail, for the customer page's form; refusals come back to it. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  return attempt(async () => {
    const { email } = await saveContactEmail(getDb(), user, params.code ?? "", formValues(formData));
    return { ok: true as const, email };
  }, formData, "contact-email");
}
