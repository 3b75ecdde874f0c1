import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { WarningDetail } from "~/features/warnings/components/warning-detail";
import { actOnWarning, loadWarningPage } from "~/features/warnings/index.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "warning");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const id = idParam(params, "warningId");
  return orErrorPage(() => loadWarningPage(getDb(), user, id));
}

/** Acknowledge or resolve with a note: the head any warning, an owner their own (checked by the use case). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const id = idParam(params, "warningId");
  const formData = await readFormData(request);
  // The warning is the one the address names, whatever the form says.
  const values = { ...formValues(formData), id: String(id) };
  return attempt(() => actOnWarning(getDb(), user, values, today()), formData, "act");
}

export default function WarningPage() {
  const { t } = useTranslation();
  const { warning, history } = useLoaderData<typeof loader>();
  // the action answers { ok, state } or attempt()'s Refusal; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as { ok: true; state: "acknowledged" | "resolved" } | Refusal | undefined;
  const navigation = useNavigation();
  const refusal = actionData && !actionData.ok ? actionData : null;
  return (
    <>
      <p>
        <Link to="/warnings">{t("warnings.title")}</Link>
      </p>
      <h1>{t(`warnings.kind.${warning.kind}`)}</h1>
      <p className="lead">{t(`warnings.kindHelp.${warning.kind}`)}</p>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {t(actionData.state === "resolved" ? "warnings.resolved" : "warnings.acknowledged")}
        </p>
      ) : null}
      <WarningDetail warning={warning} history={history} refusal={refusal} submitting={navigation.state === "submitting"} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
