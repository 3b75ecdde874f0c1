import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GradePolicyForm, type PolicyFieldErrors } from "~/features/credit/grades/components/grade-policy-form";
import { GradePolicyView } from "~/features/credit/grades/components/grade-policy-view";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { policyVersion, unflattenForm } from "~/features/credit/grades/grades";
import { formValuesFromPost, policyToFormValues } from "~/features/credit/grades/schema";
import { can } from "~/kernel/permissions";
import { getCreditPolicy, saveCreditPolicyForm } from "~/features/credit/grades/index.server";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { type Refusal, attempt, readFormData } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "creditGrades");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const { grades, rules, updatedAt, updatedByName } = await getCreditPolicy(getDb());
  return { policy: { grades, rules }, version: policyVersion({ grades, rules }), updatedAt, updatedByName, canEdit: can(user, "credit:review") };
}

/** Only the head (credit:review) saves; the whole policy is validated again with the form's schema. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  return attempt(() => saveCreditPolicyForm(getDb(), unflattenForm(formData.entries()), user.id), formData, "save-policy");
}

// A 409 means someone saved first: reload, so the form starts again from the stored policy.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export default function CreditGradesPage() {
  const { t } = useTranslation();
  const { policy, version, updatedAt, updatedByName, canEdit } = useLoaderData<typeof loader>();
  // the action answers { ok, changed } or attempt()'s Refusal; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as { ok: true; changed: boolean } | Refusal | undefined;
  const navigation = useNavigation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const refused = actionData && !actionData.ok ? actionData : undefined;
  // What was typed comes back, so a page without JavaScript shows it beside the errors; after a
  // save that came second, the form starts again from the policy as now stored.
  const restart = refused?.message === "credit.validation.gradesChanged" || refused?.code === "conflict";
  const typed = refused && !restart ? formValuesFromPost(unflattenForm(Object.entries(refused.submitted))) : undefined;

  return (
    <>
      <h1>{t("credit.grades.title")}</h1>
      <p className="lead">{t("credit.grades.intro")}</p>
      <p className="muted">
        {updatedByName && updatedAt
          ? t("credit.grades.lastUpdated", { when: formatDateTime(updatedAt, locale, timeZone), name: updatedByName })
          : t("credit.grades.lastUpdatedSystem")}
      </p>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {actionData.changed ? t("credit.grades.saved") : t("credit.grades.unchanged")}
        </p>
      ) : null}
      {canEdit ? (
        <GradePolicyForm
          // A saved policy resets the form to what the server now holds; a refused one to what was posted.
          key={typed ? "refused" : version}
          defaultValues={typed ?? policyToFormValues(policy, version)}
          // the policy form's refusals carry its nested field errors
          serverErrors={refused?.fieldErrors as PolicyFieldErrors | undefined}
          submitting={navigation.state === "submitting"}
        />
      ) : (
        <>
          <p className="alert alert--warn">{t("credit.grades.readOnly")}</p>
          <GradePolicyView policy={policy} />
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
