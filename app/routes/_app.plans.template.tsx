import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, type ShouldRevalidateFunction, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { TemplateItemCard } from "~/features/plans/components/template-item-card";
import { AddTemplateItemForm, type ServerFieldErrors } from "~/features/plans/components/template-item-form";
import { TemplateResetSection } from "~/features/plans/components/template-reset";
import { useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { loadTemplatePage, runTemplateCommand, templateFormOf } from "~/features/plans/template.server";
import { EMPTY_TEMPLATE_ITEM, type TemplateItemFormValues, templateItemFormValues } from "~/features/plans/template.schema";
import plansStyles from "~/features/plans/components/plans.css";
import templateStyles from "~/features/plans/components/template.css";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { formValues, readFormData, refusal } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: plansStyles },
  { rel: "stylesheet", href: templateStyles },
];

export const meta: MetaFunction = (args) => pageTitle(args, "planTemplate");

// A 409 means the page is out of date: reload it, so the item shows what is stored now and its
// form the version the head's next save is based on.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  return loadTemplatePage(getDb(), user);
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const formData = await readFormData(request);
  const values = formValues(formData);
  try {
    return data(await runTemplateCommand(getDb(), user, values));
  } catch (error) {
    // A stale or unknown item is answered in its own card, not as an error page.
    if (!(error instanceof AppError)) throw error;
    return refusal<TemplateItemFormValues>(error, formData, templateFormOf(values));
  }
}

// Object.keys of a TemplateItemFormValues literal: exactly its keys
const FIELD_NAMES = Object.keys(EMPTY_TEMPLATE_ITEM) as (keyof TemplateItemFormValues)[];

export default function PlanTemplatePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { quarters, versions, edited, updatedAt, updatedByName, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refused = actionData && !actionData.ok ? actionData : null;
  const done = actionData?.ok ? actionData : null;
  const errorsFor = (form: string): ServerFieldErrors | undefined =>
    // a refusal's fieldErrors are field name to messages; Remix's serialized type loses it
    refused?.intent === form && Object.keys(refused.fieldErrors).length ? (refused.fieldErrors as ServerFieldErrors) : undefined;
  // Only the item's own fields go back into the form (not intent, key or version).
  const postedFor = (form: string): Partial<TemplateItemFormValues> | undefined =>
    refused?.intent === form ? Object.fromEntries(FIELD_NAMES.map((name) => [name, refused.submitted[name] ?? ""])) : undefined;
  const theirsFor = (form: string) => (refused?.intent === form && refused.current ? refused.current : null);
  const refusalFor = (...forms: string[]) => (refused?.message && forms.includes(refused.intent ?? "") ? t(refused.message) : null);
  // Each answer is shown where the head acted: in the item, under its quarter, or by the reset button.
  const notice = done ? t(`planTemplate.done.${done.done}`, { title: done.title, quarter: done.quarter }) : null;
  const noticeFor = (...kinds: string[]) => (done && kinds.includes(done.done) ? notice : null);
  const at = updatedAt ? formatDateTime(updatedAt, locale, timeZone) : "";
  const resetNotice = noticeFor("reset", "alreadyStandard");

  return (
    <>
      <p className="breadcrumb">
        <Link to="/plans">{t("planTemplate.backToPlans")}</Link>
      </p>
      <h1>{t("planTemplate.title")}</h1>
      <p className="lead">{t("planTemplate.lead")}</p>
      <p className="template-state">
        {edited
          ? updatedByName
            ? t("planTemplate.editedBy", { name: updatedByName, at })
            : t("planTemplate.edited", { at })
          : t("planTemplate.standard")}{" "}
        {canEdit ? null : t("planTemplate.readOnly")}
      </p>
      {refusalFor("page") ? (
        <p className="alert alert--error" role="alert">
          {refusalFor("page")}
        </p>
      ) : null}

      {quarters.map(({ quarter, items }) => (
        <section key={quarter} className="section template-quarter" aria-labelledby={`quarter-${quarter}`}>
          <div className="section__head">
            <h2 id={`quarter-${quarter}`}>{t("planTemplate.quarter", { quarter })}</h2>
            <span className="muted">{t("planTemplate.itemCount", { count: items.length })}</span>
          </div>
          {items.length ? (
            <ol className="template-list">
              {items.map((item) => (
                <TemplateItemCard
                  // A saved change remounts the card: its forms start again from what is stored.
                  key={`${item.key}:${versions[item.key] ?? 1}:${JSON.stringify(templateItemFormValues(item))}`}
                  item={item}
                  version={versions[item.key] ?? 1}
                  canEdit={canEdit}
                  serverErrors={errorsFor(`save:${item.key}`)}
                  posted={postedFor(`save:${item.key}`)}
                  theirs={theirsFor(`save:${item.key}`)}
                  notice={done?.key === item.key ? noticeFor("saved", "unchanged") : null}
                  refusal={refusalFor(`save:${item.key}`, `delete:${item.key}`)}
                />
              ))}
            </ol>
          ) : (
            <p className="muted">{t("planTemplate.emptyQuarter")}</p>
          )}
          {done?.quarter === quarter && noticeFor("added", "deleted") ? (
            <p className="alert alert--success" role="status">
              {noticeFor("added", "deleted")}
            </p>
          ) : null}
          {canEdit ? (
            <details className="card template-add" open={errorsFor(`add:${quarter}`) ? true : undefined} key={`add-${quarter}-${items.length}`}>
              <summary>{t("planTemplate.add.summary", { quarter })}</summary>
              <AddTemplateItemForm quarter={quarter} serverErrors={errorsFor(`add:${quarter}`)} posted={postedFor(`add:${quarter}`)} />
            </details>
          ) : null}
        </section>
      ))}

      {canEdit ? <TemplateResetSection edited={edited} notice={resetNotice} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
