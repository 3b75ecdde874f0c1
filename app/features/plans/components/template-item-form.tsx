import { Form } from "@remix-run/react";
import type { UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { z } from "zod";

import { SelectField, TextAreaField, TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { useLocale } from "~/ui/use-format-amount";
import { LINKABLE_KPIS } from "~/features/kpi";
import { PLAN_CATEGORIES, PLAN_CATEGORY_NAMES, isPlanCategory } from "~/features/plans/categories";
import {
  DUE_DAYS,
  EMPTY_TEMPLATE_ITEM,
  type TemplateItemFormValues,
  addTemplateItemSchema,
  saveTemplateItemSchema,
} from "~/features/plans/template.schema";

export type ServerFieldErrors = Record<string, string[] | undefined>;

/** The fields an item's edit form and a quarter's add form share. */
function TemplateItemFields({
  register,
  error,
  defaults,
}: {
  register: UseFormRegister<TemplateItemFormValues>;
  error: (name: keyof TemplateItemFormValues) => string | undefined;
  /** Rendered into the HTML too, so the form works before (or without) JavaScript. */
  defaults: TemplateItemFormValues;
}) {
  const { t } = useTranslation();
  const language = useLocale() === "zh-CN" ? "zh" : "en";
  return (
    <>
      <div className="template-form__pair">
        <TextField lang="en" label={t("planTemplate.form.titleEn")} autoComplete="off" defaultValue={defaults.titleEn} error={error("titleEn")} {...register("titleEn")} />
        <TextField lang="zh-CN" label={t("planTemplate.form.titleZh")} autoComplete="off" defaultValue={defaults.titleZh} error={error("titleZh")} {...register("titleZh")} />
        <TextAreaField lang="en" label={t("planTemplate.form.descriptionEn")} defaultValue={defaults.descriptionEn} error={error("descriptionEn")} {...register("descriptionEn")} />
        <TextAreaField lang="zh-CN" label={t("planTemplate.form.descriptionZh")} defaultValue={defaults.descriptionZh} error={error("descriptionZh")} {...register("descriptionZh")} />
      </div>
      <div className="form-grid">
        <SelectField label={t("planTemplate.form.category")} defaultValue={defaults.category} error={error("category")} {...register("category")}>
          {PLAN_CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {PLAN_CATEGORY_NAMES[category][language]}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("planTemplate.form.dueMonth")} defaultValue={defaults.dueMonth} error={error("dueMonth")} {...register("dueMonth")}>
          {[1, 2, 3].map((month) => (
            <option key={month} value={String(month)}>
              {t("planTemplate.form.monthN", { month })}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t("planTemplate.form.dueDay")}
          help={t("planTemplate.form.dueHelp")}
          defaultValue={defaults.dueDay}
          error={error("dueDay")}
          {...register("dueDay")}
        >
          {DUE_DAYS.map((day) => (
            <option key={day} value={day}>
              {day === "last" ? t("planTemplate.form.lastDay") : day}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("planTemplate.form.kpiKey")} defaultValue={defaults.kpiKey} error={error("kpiKey")} {...register("kpiKey")}>
          <option value="">{t("planTemplate.form.noKpi")}</option>
          {LINKABLE_KPIS.map((kpi) => (
            <option key={kpi.key} value={kpi.key}>
              {kpi.name[language]}
            </option>
          ))}
        </SelectField>
      </div>
    </>
  );
}

function useFieldError(
  clientErrors: Partial<Record<string, { message?: string } | undefined>>,
  serverErrors: ServerFieldErrors | undefined,
) {
  return (name: keyof TemplateItemFormValues) => clientErrors[name]?.message ?? serverErrors?.[name]?.[0];
}

// Object.keys of a TemplateItemFormValues literal: exactly its keys
const FIELDS = Object.keys(EMPTY_TEMPLATE_ITEM) as (keyof TemplateItemFormValues)[];

/** After a refused stale save: the fields where the other person's save and the head's differ. */
function TemplateConflict({ theirs, yours }: { theirs: TemplateItemFormValues; yours: Partial<TemplateItemFormValues> }) {
  const { t } = useTranslation();
  const language = useLocale() === "zh-CN" ? "zh" : "en";
  const differing = FIELDS.filter((field) => (yours[field] ?? "").trim() !== theirs[field].trim());
  const shown = (field: keyof TemplateItemFormValues, value: string | undefined) => {
    if (!value) return t("planItems.history.empty");
    if (field === "category") return isPlanCategory(value) ? PLAN_CATEGORY_NAMES[value][language] : value;
    if (field === "dueMonth") return t("planTemplate.form.monthN", { month: value });
    if (field === "dueDay") return value === "last" ? t("planTemplate.form.lastDay") : value;
    if (field === "kpiKey") return LINKABLE_KPIS.find((kpi) => kpi.key === value)?.name[language] ?? value;
    return value;
  };
  return (
    <div className="alert alert--warn template-form__conflict">
      <p>{t("planItems.conflict.body")}</p>
      {differing.length === 0 ? <p>{t("planItems.conflict.same")}</p> : (
        <table className="panel__table">
          <caption className="visually-hidden">{t("planItems.conflict.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("planItems.conflict.field")}</th>
              <th scope="col">{t("planItems.conflict.theirs")}</th>
              <th scope="col">{t("planItems.conflict.yours")}</th>
            </tr>
          </thead>
          <tbody>
            {differing.map((field) => (
              <tr key={field}>
                <th scope="row">{t(`planTemplate.form.${field}`)}</th>
                <td>{shown(field, theirs[field])}</td>
                <td>{shown(field, yours[field])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The head's form for one item of the template (its key and quarter stay). */
export function EditTemplateItemForm({
  itemKey,
  version,
  defaults,
  serverErrors,
  conflict,
}: {
  itemKey: string;
  /** The version shown; after a conflict it is the other person's, so saving again is a deliberate choice. */
  version: number;
  defaults: TemplateItemFormValues;
  serverErrors?: ServerFieldErrors;
  conflict?: { theirs: TemplateItemFormValues; yours: Partial<TemplateItemFormValues> } | null;
}) {
  const { t } = useTranslation();
  // the defaults plus the hidden fields are the schema's input (the spread loses the literal types)
  const { register, onSubmit, formState } = useValidatedForm(saveTemplateItemSchema, {
    intent: "save-item",
    key: itemKey,
    version: String(version),
    ...defaults,
  } as z.input<typeof saveTemplateItemSchema>);
  const error = useFieldError(formState.errors, serverErrors);
  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="template-form">
      <input type="hidden" value="save-item" {...register("intent")} />
      <input type="hidden" value={itemKey} {...register("key")} />
      <input type="hidden" value={String(version)} {...register("version")} />
      {conflict ? <TemplateConflict theirs={conflict.theirs} yours={conflict.yours} /> : null}
      {/* Both schemas have every TemplateItemFormValues field; the register of the wider form serves the shared fields. */}
      <TemplateItemFields register={register as unknown as UseFormRegister<TemplateItemFormValues>} error={error} defaults={defaults} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {t("planTemplate.form.save")}
        </button>
      </div>
    </Form>
  );
}

/** The head's form for a new item at the end of a quarter. */
export function AddTemplateItemForm({
  quarter,
  serverErrors,
  posted,
}: {
  quarter: number;
  serverErrors?: ServerFieldErrors;
  /** What was posted in a refused add, shown again. */
  posted?: Partial<TemplateItemFormValues>;
}) {
  const { t } = useTranslation();
  const defaults = { ...EMPTY_TEMPLATE_ITEM, ...posted };
  // the defaults plus the hidden fields are the schema's input (the spread loses the literal types)
  const { register, onSubmit, formState } = useValidatedForm(addTemplateItemSchema, {
    intent: "add-item",
    quarter: String(quarter),
    ...defaults,
  } as z.input<typeof addTemplateItemSchema>);
  const error = useFieldError(formState.errors, serverErrors);
  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="template-form">
      <input type="hidden" value="add-item" {...register("intent")} />
      <input type="hidden" value={String(quarter)} {...register("quarter")} />
      {/* Both schemas have every TemplateItemFormValues field; the register of the wider form serves the shared fields. */}
      <TemplateItemFields register={register as unknown as UseFormRegister<TemplateItemFormValues>} error={error} defaults={defaults} />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {t("planTemplate.form.add")}
        </button>
      </div>
    </Form>
  );
}
