import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GradePolicyForm, type PolicyFieldErrors } from "~/features/credit/grades/components/grade-policy-form";
import { GradePolicyView } from "~/features/credit/grades/components/grade-policy-view";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { creditPolicyFormSchema, formValuesFromPost, policyToFormValues, unflattenForm } from "~/features/credit/grades/grades";
import { can } from "~/kernel/permissions";
import { getCreditPolicy, saveCreditPolicy } from "~/features/credit/grades/queries.server";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { readFormData } from "~/server/forms.server";

export const meta: MetaFunction = () => [{ title: "Credit grades · Quarterdeck" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const { grades, rules, updatedAt, updatedByName } = await getCreditPolicy(getDb());
  return { policy: { grades, rules }, updatedAt, updatedByName, canEdit: can(user, "credit:review") };
}

/** Only the head (credit:review) saves; the whole policy is validated again with the form's schema. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  const raw = unflattenForm(formData.entries());
  const parsed = creditPolicyFormSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: PolicyFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? issue.path.join(".") : "form";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    // What was typed comes back, so a page without JavaScript shows it beside the errors.
    return data({ ok: false as const, fieldErrors, values: formValuesFromPost(raw) }, { status: 400 });
  }
  const result = await saveCreditPolicy(getDb(), parsed.data, user.id);
  if (!result.ok) return data({ ok: false as const, fieldErrors: { form: ["credit.validation.gradesChanged"] } as PolicyFieldErrors, values: null }, { status: 400 });
  return { ok: true as const, changed: result.changed };
}

export default function CreditGradesPage() {
  const { t } = useTranslation();
  const { policy, updatedAt, updatedByName, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const refused = actionData && !actionData.ok ? actionData : undefined;

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
          key={refused?.values ? "refused" : updatedAt ?? "standard"}
          defaultValues={refused?.values ?? policyToFormValues(policy)}
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
