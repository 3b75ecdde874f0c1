import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { EditTemplateItemForm, type ServerFieldErrors } from "~/features/plans/components/template-item-form";
import { useLocale } from "~/ui/use-format-amount";
import { kpiDefinition } from "~/features/kpi";
import { PLAN_CATEGORY_NAMES } from "~/features/plans/categories";
import type { DueInQuarter, TemplateItem } from "~/features/plans/template";
import { type TemplateItemFormValues, dueRuleMessage, templateItemFormValues } from "~/features/plans/template.schema";

/** "month 2 of the quarter, day 15" / "季度第2个月15日" */
export function useDueRuleText() {
  const { t } = useTranslation();
  return (due: DueInQuarter) => {
    const { key, values } = dueRuleMessage(due);
    return t(key, values);
  };
}

/** One template item: both languages side by side; for the head, edit and delete. */
export function TemplateItemCard({
  item,
  version,
  canEdit,
  serverErrors,
  notice,
  refusal,
  posted,
  theirs,
}: {
  item: TemplateItem;
  /** The stored version; the edit form posts it back so a stale save is refused. */
  version: number;
  canEdit: boolean;
  /** The server's field errors when this item's last save was refused. */
  serverErrors?: ServerFieldErrors;
  /** The answer to this item's last save. */
  notice?: string | null;
  /** Why this item's last save or delete was refused. */
  refusal?: string | null;
  /** What was posted in a refused save, shown again in the form. */
  posted?: Partial<TemplateItemFormValues>;
  /** On 409: the item as someone else saved it meanwhile, shown beside what was posted. */
  theirs?: TemplateItemFormValues | null;
}) {
  const { t } = useTranslation();
  const language = useLocale() === "zh-CN" ? "zh" : "en";
  const dueText = useDueRuleText();
  const kpi = item.kpi ? kpiDefinition(item.kpi.key) : null;
  const title = item.title[language];
  return (
    <li className="template-item">
      <p className="template-item__meta">
        <span className="badge badge--info">{PLAN_CATEGORY_NAMES[item.category][language]}</span>
        <span>{t("planTemplate.due.text", { rule: dueText(item.due) })}</span>
        <span>
          {kpi
            ? t("planTemplate.kpi.linked", { name: kpi.name[language], better: t(`planTemplate.better.${kpi.better}`) })
            : t("planTemplate.kpi.none")}
        </span>
      </p>
      <div className="template-item__texts">
        <div lang="en">
          <p className="template-item__language">{t("planTemplate.english")}</p>
          <p className="template-item__title">{item.title.en}</p>
          {item.description.en ? <p className="template-item__description">{item.description.en}</p> : null}
        </div>
        <div lang="zh-CN">
          <p className="template-item__language">{t("planTemplate.chinese")}</p>
          <p className="template-item__title">{item.title.zh}</p>
          {item.description.zh ? <p className="template-item__description">{item.description.zh}</p> : null}
        </div>
      </div>
      {notice ? (
        <p className="alert alert--success" role="status">
          {notice}
        </p>
      ) : null}
      {refusal ? (
        <p className="alert alert--error" role="alert">
          {refusal}
        </p>
      ) : null}
      {canEdit ? (
        <div className="template-item__actions">
          <details open={serverErrors || theirs ? true : undefined}>
            <summary>
              {t("planTemplate.edit")}
              <span className="visually-hidden">: {title}</span>
            </summary>
            <EditTemplateItemForm
              itemKey={item.key}
              version={version}
              defaults={{ ...templateItemFormValues(item), ...posted }}
              serverErrors={serverErrors}
              conflict={theirs && posted ? { theirs, yours: posted } : null}
            />
          </details>
          <details>
            <summary>
              {t("planTemplate.delete.summary")}
              <span className="visually-hidden">: {title}</span>
            </summary>
            <Form method="post" className="template-item__delete">
              <p>{t("planTemplate.delete.confirm", { title })}</p>
              <input type="hidden" name="intent" value="delete-item" />
              <input type="hidden" name="key" value={item.key} />
              <button type="submit" className="button button--danger">
                {t("planTemplate.delete.submit")}
              </button>
            </Form>
          </details>
        </div>
      ) : null}
    </li>
  );
}
