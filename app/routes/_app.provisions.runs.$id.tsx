import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, idValue, orErrorPage, readFormData } from "~/server/responses.server";
import { AppError } from "~/kernel/app-error";
import { approveProvisionRun, draftProvisionRun, loadRunPage } from "~/features/provisions/index.server";
import { RunView } from "~/features/provisions/components/runs";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "provisionRun");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  return orErrorPage(() => loadRunPage(getDb(), user, idValue(params, "id")));
}

/** Approve (a leader) or recompute the draft (the head); the use cases check the role and version again. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const raw = Object.fromEntries(formData);
  const db = getDb();
  return attempt(async () => {
    if (intent === "approve-run") await approveProvisionRun(db, user, raw);
    else if (intent === "draft-run") await draftProvisionRun(db, user, raw);
    else throw AppError.invalid({ form: ["provisions.form.stale"] });
    return { ok: true as const, intent };
  }, formData, intent);
}

export default function ProvisionRunPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  // the action answers { ok, intent } or attempt()'s Refusal; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as { ok: true; intent: string } | Refusal | undefined;
  const refused = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <p>
        <Link to="/provisions">{t("provisions.runs.back")}</Link>
      </p>
      <h1>{t("provisions.runs.runTitle", { date: data.run.periodEnd })}</h1>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {t(actionData.intent === "approve-run" ? "provisions.runs.approvedDone" : "provisions.runs.drafted")}
        </p>
      ) : null}
      {refused ? <p className="alert alert--error" role="alert">{t(refused.message ?? "errors.checkFields")}</p> : null}
      <RunView data={data} errors={refused?.fieldErrors} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
