import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, readFormData } from "~/server/responses.server";
import { ScoringRulesForm, type ScoringFieldErrors } from "~/features/scoreboard/components/scoring-rules-form";
import { getScoringRules, saveScoringRulesForm } from "~/features/scoreboard/index.server";
import { MEASURES } from "~/features/scoreboard/scoring";
import { type ScoringRulesFormInput, scoringRulesToFormValues } from "~/features/scoreboard/scoring.schema";
import { can } from "~/kernel/permissions";
import { parseNestedFields } from "~/kernel/form-fields";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "scoringRules");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const stored = await getScoringRules(getDb());
  return { ...stored, canEdit: can(user, "credit:review") };
}

/** Only the head (credit:review) saves; the rules are validated again with the form's schema. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  return attempt(() => saveScoringRulesForm(getDb(), parseNestedFields(formData.entries()), user.id), formData, "save-scoring-rules");
}

// A 409 means someone saved first: reload, so the form starts again from the stored rules.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus === 409 || defaultShouldRevalidate;

export default function ScoringRulesPage() {
  const { t } = useTranslation();
  const { rules, version, updatedAt, updatedByName, canEdit } = useLoaderData<typeof loader>();
  // the action answers { ok, changed } or attempt()'s Refusal; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as { ok: true; changed: boolean } | Refusal | undefined;
  const navigation = useNavigation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const refused = actionData && !actionData.ok ? actionData : undefined;
  // what was posted comes back beside its errors; after a conflict, the stored rules
  const typed = refused && refused.code !== "conflict" ? (parseNestedFields(Object.entries(refused.submitted)) as ScoringRulesFormInput) : undefined;
  return (
    <>
      <p>
        <Link to="/scoreboard">{t("scoreboard.scoring.back")}</Link>
      </p>
      <h1>{t("scoreboard.scoring.title")}</h1>
      <p className="lead">{t("scoreboard.scoring.lead")}</p>
      <p className="muted">
        {updatedByName ? t("scoreboard.scoring.lastUpdated", { when: formatDateTime(updatedAt, locale, timeZone), name: updatedByName }) : t("scoreboard.scoring.lastUpdatedSystem")}
      </p>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {actionData.changed ? t("scoreboard.scoring.saved") : t("scoreboard.scoring.unchanged")}
        </p>
      ) : null}
      {refused?.code === "conflict" && refused.message ? (
        <p className="alert alert--error" role="alert">
          {t(refused.message)}
        </p>
      ) : null}
      {canEdit ? (
        <ScoringRulesForm
          key={typed ? "refused" : version}
          defaultValues={typed ?? scoringRulesToFormValues(rules, version)}
          // the rules form's refusals carry its field errors by dotted path
          serverErrors={refused?.fieldErrors as ScoringFieldErrors | undefined}
          submitting={navigation.state === "submitting"}
        />
      ) : (
        <>
          <p className="alert alert--warn">{t("scoreboard.scoring.readOnly")}</p>
          <ul className="card">
            {MEASURES.map((measure) => (
              <li key={measure}>
                {t(`scoreboard.scoring.measure.${measure}`)}: {rules.weights[measure]}
              </li>
            ))}
            <li>
              {t("scoreboard.scoring.warnBelow")}{t("common.colon")}{rules.warnBelow}
            </li>
          </ul>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
