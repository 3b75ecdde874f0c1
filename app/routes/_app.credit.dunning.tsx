import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { DunningTemplateCard, type TemplateAnswer } from "~/features/dunning/components/dunning-templates";
import dunningStyles from "~/features/dunning/components/dunning.css";
import { dunningTemplatesPage, saveDunningTemplate } from "~/features/dunning/index.server";
import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { attempt, formValues, orErrorPage, readFormData } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dunningStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "dunning");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  return orErrorPage(() => dunningTemplatesPage(getDb(), user));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  return attempt(() => saveDunningTemplate(getDb(), user, formValues(formData)), formData, typeof intent === "string" ? intent : null);
}

export default function DunningTemplatesPage() {
  const { t } = useTranslation();
  const { templates, canEdit } = useLoaderData<typeof loader>();
  // the action answers the saved template or attempt()'s Refusal; both carry ok and intent
  const answer = (useActionData<typeof action>() ?? null) as TemplateAnswer | null;
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <>
      <h1>{t("dunning.title")}</h1>
      <p className="muted">{t("dunning.intro")}</p>
      {(["reminder", "demand", "lawyer_letter"] as const).map((level) => (
        <section key={level} aria-labelledby={`level-${level}`} className="section">
          <h2 id={`level-${level}`}>{t(`dunning.levels.${level}`)}</h2>
          {templates
            .filter((template) => template.level === level)
            .map((template) => (
              <DunningTemplateCard key={template.locale} template={template} canEdit={canEdit} answer={answer} formatWhen={(iso) => formatDateTime(iso, locale, timeZone)} />
            ))}
        </section>
      ))}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
