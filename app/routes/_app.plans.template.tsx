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
import type { QuarterNumber } from "~/kernel/dates";
import { can } from "~/kernel/permissions";
import {
  addTemplateItem,
  deleteTemplateItem,
  loadPlanTemplateState,
  resetPlanTemplate,
  saveTemplateItem,
} from "~/features/plans/queries/template.server";
import {
  EMPTY_TEMPLATE_ITEM,
  type TemplateItemFormValues,
  addTemplateItemSchema,
  deleteTemplateItemSchema,
  saveTemplateItemSchema,
  templateItemFormValues,
  templateItemFromFields,
} from "~/features/plans/template.schema";
import plansStyles from "~/features/plans/components/plans.css";
import templateStyles from "~/features/plans/components/template.css";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { type FieldErrors, parseFormData } from "~/server/forms.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: plansStyles },
  { rel: "stylesheet", href: templateStyles },
];

export const meta: MetaFunction = () => [{ title: "Plan template · Quarterdeck" }];

// A 409 means the page is out of date: reload it, so the item shows what is stored now and its
// form the version the head's next save is based on.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

const QUARTERS: readonly QuarterNumber[] = [1, 2, 3, 4];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const state = await loadPlanTemplateState(getDb());
  return {
    quarters: QUARTERS.map((quarter) => ({ quarter, items: [...state.template[quarter]] })),
    versions: state.versions,
    edited: state.edited,
    updatedAt: state.updatedAt,
    updatedByName: state.updatedByName,
    canEdit: can(user, "plan:edit"),
  };
}

/** Which form a refusal belongs to (`save:<key>`, `add:<quarter>`, `delete:<key>`, `page`), so its errors show at its fields. */
function refused(
  form: string,
  fieldErrors: FieldErrors,
  message: string | null = null,
  status = 400,
  values: Partial<TemplateItemFormValues> = {},
  current: TemplateItemFormValues | null = null,
) {
  return data({ ok: false as const, form, fieldErrors, message, values, current }, { status });
}

const FIELD_NAMES: readonly (keyof TemplateItemFormValues)[] = Object.keys(EMPTY_TEMPLATE_ITEM) as (keyof TemplateItemFormValues)[];

/** What was posted, so a refused form (without JavaScript) shows the head's input again, not the stored item. */
function postedValues(formData: FormData): Partial<TemplateItemFormValues> {
  return Object.fromEntries(FIELD_NAMES.map((name) => [name, String(formData.get(name) ?? "")]));
}

function fieldErrorsOf(response: { data: { fieldErrors: FieldErrors } }) {
  return response.data.fieldErrors;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const formData = await request.formData();
  const db = getDb();
  const language = user.locale === "zh-CN" ? "zh" : "en";
  const intent = formData.get("intent");

  if (intent === "save-item") {
    const form = `save:${String(formData.get("key") ?? "")}`;
    const parsed = parseFormData(formData, saveTemplateItemSchema);
    if (!parsed.ok) return refused(form, fieldErrorsOf(parsed.response), null, 400, postedValues(formData));
    const { intent: _intent, key, version, ...fields } = parsed.value;
    const item = templateItemFromFields(key, fields);
    const result = await saveTemplateItem(db, user.id, item, version);
    if (!result.ok && result.error === "conflict") {
      return refused(form, {}, "plans.error.conflict", 409, postedValues(formData), templateItemFormValues(result.current));
    }
    if (!result.ok) return refused(form, {}, `planTemplate.error.${result.error}`, 404);
    const done = result.changed ? ("saved" as const) : ("unchanged" as const);
    return data({ ok: true as const, done, key, title: item.title[language], quarter: result.quarter as number });
  }
  if (intent === "add-item") {
    const form = `add:${String(formData.get("quarter") ?? "")}`;
    const parsed = parseFormData(formData, addTemplateItemSchema);
    if (!parsed.ok) return refused(form, fieldErrorsOf(parsed.response), null, 400, postedValues(formData));
    const { intent: _intent, quarter, ...fields } = parsed.value;
    const { key: _key, ...item } = templateItemFromFields("new", fields);
    const added = await addTemplateItem(db, user.id, quarter as QuarterNumber, item);
    return data({ ok: true as const, done: "added" as const, key: added.key, title: added.title[language], quarter });
  }
  if (intent === "delete-item") {
    const parsed = parseFormData(formData, deleteTemplateItemSchema);
    if (!parsed.ok) return refused("page", fieldErrorsOf(parsed.response), "planTemplate.validation.key");
    const { key } = parsed.value;
    const result = await deleteTemplateItem(db, user.id, key);
    if (!result.ok) return refused(`delete:${key}`, {}, `planTemplate.error.${result.error}`, result.error === "notFound" ? 404 : 400);
    return data({ ok: true as const, done: "deleted" as const, key, title: "", quarter: result.quarter as number });
  }
  if (intent === "reset") {
    const { changed } = await resetPlanTemplate(db, user.id);
    return data({ ok: true as const, done: changed ? ("reset" as const) : ("alreadyStandard" as const), key: "", title: "", quarter: 0 });
  }
  return refused("page", { intent: ["planTemplate.error.unknownForm"] }, "planTemplate.error.unknownForm");
}

export default function PlanTemplatePage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { quarters, versions, edited, updatedAt, updatedByName, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refusal = actionData && !actionData.ok ? actionData : null;
  const done = actionData?.ok ? actionData : null;
  const errorsFor = (form: string): ServerFieldErrors | undefined =>
    refusal?.form === form && Object.keys(refusal.fieldErrors).length ? (refusal.fieldErrors as ServerFieldErrors) : undefined;
  const postedFor = (form: string) => (refusal?.form === form ? (refusal.values as Partial<TemplateItemFormValues>) : undefined);
  const theirsFor = (form: string) => (refusal?.form === form && refusal.current ? refusal.current : null);
  const refusalFor = (...forms: string[]) => (refusal?.message && forms.includes(refusal.form) ? t(refusal.message) : null);
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
