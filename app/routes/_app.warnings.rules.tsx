import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, readFormData } from "~/server/responses.server";
import { WarningRulesForm, type RulesFieldErrors } from "~/features/warnings/components/rules-form";
import { getWarningRules, saveWarningRulesForm } from "~/features/warnings/index.server";
import { type WarningRulesFormInput, rulesToFormValues } from "~/features/warnings/schema";
import { can } from "~/kernel/permissions";
import { parseNestedFields } from "~/kernel/form-fields";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useFormatAmount, useLocale } from "~/ui/use-format-amount";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "warningRules");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const stored = await getWarningRules(getDb());
  return { ...stored, canEdit: can(user, "credit:review") };
}

/** Only the head (credit:review) saves; the rules are validated again with the form's schema. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  return attempt(() => saveWarningRulesForm(getDb(), parseNestedFields(formData.entries()), user.id), formData, "save-rules");
}

// A 409 means someone saved first: reload, so the form starts again from the stored rules.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export default function WarningRulesPage() {
  const { t } = useTranslation();
  const { rules, version, updatedAt, updatedByName, canEdit } = useLoaderData<typeof loader>();
  // the action answers { ok, changed } or attempt()'s Refusal; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as { ok: true; changed: boolean } | Refusal | undefined;
  const navigation = useNavigation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const formatAmount = useFormatAmount();
  const refused = actionData && !actionData.ok ? actionData : undefined;
  // What was typed comes back beside the errors; after a save that came second, the stored rules.
  // what was posted, in the form's nested shape: shown back as typed (the schema refused it already)
  const typed = refused && refused.code !== "conflict" ? (parseNestedFields(Object.entries(refused.submitted)) as WarningRulesFormInput) : undefined;
  return (
    <>
      <p>
        <Link to="/warnings">{t("warnings.title")}</Link>
      </p>
      <h1>{t("warnings.rules.title")}</h1>
      <p className="lead">{t("warnings.rules.intro")}</p>
      <p className="muted">
        {updatedByName && updatedAt ? t("warnings.rules.lastUpdated", { when: formatDateTime(updatedAt, locale, timeZone), name: updatedByName }) : t("warnings.rules.lastUpdatedSystem")}
      </p>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {actionData.changed ? t("warnings.rules.saved") : t("warnings.rules.unchanged")}
        </p>
      ) : null}
      {refused?.code === "conflict" && refused.message ? (
        <p className="alert alert--error" role="alert">
          {t(refused.message)}
        </p>
      ) : null}
      {canEdit ? (
        <WarningRulesForm
          key={typed ? "refused" : version}
          defaultValues={typed ?? rulesToFormValues(rules, version)}
          // the rules form's refusals carry its field errors by dotted path
          serverErrors={refused?.fieldErrors as RulesFieldErrors | undefined}
          submitting={navigation.state === "submitting"}
        />
      ) : (
        <>
          <p className="alert alert--warn">{t("warnings.rules.readOnly")}</p>
          <ul className="card">
            {rules.map((rule) => (
              <li key={rule.kind}>
                <strong>{t(`warnings.kind.${rule.kind}`)}</strong> · {t(`warnings.severity.${rule.severity}`)} · {rule.enabled ? t("warnings.rules.enabled") : "—"} ·{" "}
                {Object.entries(rule.params)
                  .map(([name, value]) => `${t(`warnings.param.${name}`)}: ${name === "amount" ? formatAmount(value) : value}`)
                  .join(", ")}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
