import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission, safeRedirectTo } from "~/server/auth.server";
import { changeHold } from "~/features/credit/holds/index.server";
import { ReleaseHoldForm, SetHoldForm } from "~/features/credit/holds/components/hold-panel";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useErrorText } from "~/ui/field";
import { getDb } from "~/server/db.server";
import { HOLD_KINDS } from "~/features/credit/holds/holds";
import { type Refusal, attempt, formValues, readFormData } from "~/server/responses.server";
import { isOneOf } from "~/kernel/guards";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "changeHold");

/** Nothing to show by itself: the forms live on the holds page and the customer page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:read");
  return null;
}

/**
 * The head (credit:review) sets or releases a hold, always with a reason; anyone else gets 403.
 * Success goes back where the form was (`returnTo`) with a notice; a refusal stays here, with the
 * form and its errors (what a post without JavaScript shows), and nothing changed.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  // returnTo is a hidden text field; safeRedirectTo checks the value anyway
  let back = safeRedirectTo(formData.get("returnTo") as string | null, "/credit/holds");
  if (back.startsWith("/credit/holds/change")) back = "/credit/holds";
  formData.set("returnTo", back);
  // FormData.get is string | File | null; the intent field is a plain text field
  const outcome = await attempt(() => changeHold(getDb(), formValues(formData), user.id), formData, formData.get("intent") as string | null);
  if (!("customerCode" in outcome)) return outcome;
  const url = new URL(back, "http://local");
  url.searchParams.set("holdChanged", outcome.customerCode);
  return redirect(`${url.pathname}${url.search}`);
}

export default function HoldChangePage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  // the action's only data answer is attempt()'s Refusal (else it redirects); Remix's serialized type does not keep that shape
  const answer = useActionData<typeof action>() as Refusal | undefined;
  if (!answer) {
    return (
      <>
        <h1>{t("holds.change.title")}</h1>
        <p>{t("holds.change.nothing")}</p>
        <p>
          <Link to="/credit/holds">{t("holds.change.back")}</Link>
        </p>
      </>
    );
  }
  const { submitted: values, fieldErrors } = answer;
  const returnTo = values.returnTo ?? "/credit/holds";
  const code = values.customer ?? "";
  const customer = { code, name: code };
  const kind = isOneOf(HOLD_KINDS, values.kind) ? values.kind : null;
  const messages = Object.values(fieldErrors).flatMap((list) => list ?? []);
  return (
    <>
      <h1>{t("holds.change.title")}</h1>
      <div className="alert alert--error" role="alert">
        <p>
          <strong>{t("holds.change.refused")}</strong>
        </p>
        <ul>
          {messages.map((message) => (
            <li key={message}>{errorText(message)}</li>
          ))}
        </ul>
      </div>
      {values.intent === "release-hold" ? (
        <ReleaseHoldForm customer={customer} returnTo={returnTo} serverErrors={fieldErrors} defaultReason={values.reason} />
      ) : (
        <SetHoldForm customer={customer} returnTo={returnTo} currentKind={null} defaultKind={kind} serverErrors={fieldErrors} defaultReason={values.reason} />
      )}
      <p>
        <Link to="/credit/holds">{t("holds.change.back")}</Link>
        {code && !fieldErrors.customer ? (
          <>
            {" · "}
            <Link to={`/customers/${encodeURIComponent(code)}`}>{t("holds.change.customerPage")}</Link>
          </>
        ) : null}
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
