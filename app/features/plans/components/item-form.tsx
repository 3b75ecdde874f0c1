import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";

import { SelectField, TextAreaField, TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { LINKABLE_KPIS, isLinkableKpiKey, kpiDefinition, type KpiUnit } from "~/features/kpi";
import { PLAN_CATEGORIES, PLAN_CATEGORY_NAMES, isPlanCategory } from "~/features/plans/categories";
import { targetToInput } from "~/features/plans/kpi";
import type { KpiLink } from "~/features/plans/progress";
import { itemFieldsSchema, scopeFormFields } from "~/features/plans/schema";
import { KpiScopePicker, type ScopeChoices } from "./kpi-scope-picker";
import { useScopeLabel } from "./use-scope-label";

/** The item form's fields as text, the way the form posts them. */
export interface ItemFormValues {
  title: string;
  category: string;
  description: string;
  ownerId: string;
  dueDate: string;
  customers: string;
  kpiKey: string;
  kpiScope: string;
  kpiCustomer: string;
  kpiTarget: string;
  reason: string;
}

const COMPARED: readonly (keyof ItemFormValues)[] = [
  "title",
  "category",
  "description",
  "ownerId",
  "dueDate",
  "customers",
  "kpiKey",
  "kpiScope",
  "kpiCustomer",
  "kpiTarget",
];

export const EMPTY_ITEM: ItemFormValues = {
  title: "",
  category: "collection",
  description: "",
  ownerId: "",
  dueDate: "",
  customers: "",
  kpiKey: "",
  kpiScope: "company",
  kpiCustomer: "",
  kpiTarget: "",
  reason: "",
};

/** A stored item as the form shows it (targets back in the unit people type). */
export function itemFormValues(item: {
  title: string;
  category: string;
  description: string;
  ownerId: number | null;
  dueDate: string | null;
  customers: string[];
  kpiLink: KpiLink | null;
}): ItemFormValues {
  return {
    title: item.title,
    category: item.category,
    description: item.description,
    ownerId: item.ownerId === null ? "" : String(item.ownerId),
    dueDate: item.dueDate ?? "",
    customers: item.customers.join(" "),
    kpiKey: item.kpiLink?.kpi ?? "",
    ...scopeFormFields(item.kpiLink?.scope ?? null),
    kpiTarget: item.kpiLink ? targetToInput(kpiDefinition(item.kpiLink.kpi).unit, item.kpiLink.target) : "",
    reason: "",
  };
}

/** The fields whose stored value differs from what was posted (customers compared as sets). */
export function conflictingFields(theirs: ItemFormValues, yours: Partial<ItemFormValues>): (keyof ItemFormValues)[] {
  const same = (field: keyof ItemFormValues) => {
    const a = (theirs[field] ?? "").trim();
    const b = (yours[field] ?? "").trim();
    if (field === "customers") {
      const set = (text: string) => [...new Set(text.split(/[\s,，;；、]+/).filter(Boolean))].sort().join(" ");
      return set(a) === set(b);
    }
    if (field === "kpiScope" || field === "kpiCustomer" || field === "kpiTarget") {
      // Without a KPI these fields mean nothing and are not stored.
      if ((theirs.kpiKey ?? "") === "" && (yours.kpiKey ?? "") === "") return true;
    }
    return a === b;
  };
  return COMPARED.filter((field) => !same(field));
}

export interface ItemFormProps {
  mode: "create" | "edit";
  defaults: ItemFormValues;
  version?: number;
  planApproved: boolean;
  owners: { id: number; name: string }[];
  scopeChoices: ScopeChoices;
  /** The item's stored scope ("" for a new item), kept on offer if the ledger no longer has it. */
  currentScope?: string;
  dueWindow: { start: string; end: string };
  /** The server's field errors of the last post. */
  serverErrors?: Record<string, string[] | undefined>;
  /** On 409: the item as stored now, as form values, with its version. */
  conflict?: { theirs: ItemFormValues; yours: Partial<ItemFormValues>; version: number } | null;
}

function useUnitText() {
  const { t } = useTranslation();
  return (unit: KpiUnit) => t(`planItems.form.unit.${unit}`);
}

/** Creating and editing a plan item (head): one schema for the page and the action. */
export function ItemForm({ mode, defaults, version, planApproved, owners, scopeChoices, currentScope = "", dueWindow, serverErrors, conflict }: ItemFormProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const language = locale === "zh-CN" ? "zh" : "en";
  const formatDate = useFormatDate();
  const unitText = useUnitText();
  // Every field also carries its value in the HTML: without JavaScript react-hook-form never fills them.
  const { register, onSubmit, formState, watch } = useValidatedForm(
    itemFieldsSchema,
    // Stored values are the schema's own (a category key, a scope type); the form holds them as text.
    defaults as z.input<typeof itemFieldsSchema>
  );
  const error = (name: keyof ItemFormValues) => formState.errors[name]?.message ?? serverErrors?.[name]?.[0];
  const kpiKey = watch("kpiKey") ?? defaults.kpiKey;
  const chosenScope = watch("kpiScope") ?? defaults.kpiScope;
  const definition = isLinkableKpiKey(kpiKey) ? kpiDefinition(kpiKey) : null;
  const ownerName = (value: string) => owners.find((owner) => String(owner.id) === value)?.name ?? value;
  const scopeLabel = useScopeLabel(
    Object.fromEntries(scopeChoices.owners.map((owner) => [`owner:${owner.email.toLowerCase()}`, owner.name]))
  );

  const shown = (field: keyof ItemFormValues, value: string | undefined) => {
    if (!value) return t("planItems.history.empty");
    if (field === "category") return isPlanCategory(value) ? PLAN_CATEGORY_NAMES[value][language] : value;
    if (field === "ownerId") return ownerName(value);
    if (field === "dueDate") return formatDate(value);
    if (field === "kpiKey") return isLinkableKpiKey(value) ? kpiDefinition(value).name[language] : value;
    if (field === "kpiScope") return value === "customer" ? t("planItems.form.oneCustomer") : scopeLabel(value);
    return value;
  };

  const differing = conflict ? conflictingFields(conflict.theirs, conflict.yours) : [];

  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="form-grid item-form">
      <input type="hidden" name="intent" value={mode === "create" ? "create-item" : "update-item"} />
      {mode === "edit" ? <input type="hidden" name="version" value={conflict?.version ?? version} /> : null}

      {conflict ? (
        <div className="alert alert--warn item-form__conflict" role="alert">
          <p>
            <strong>{t("planItems.conflict.title")}</strong> {t("planItems.conflict.body")}
          </p>
          {differing.length === 0 ? <p>{t("planItems.conflict.same")}</p> : null}
          {differing.length > 0 ? (
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
                    <th scope="row">{t(`planItems.form.${field}`)}</th>
                    <td>{shown(field, conflict.theirs[field])}</td>
                    <td>{shown(field, conflict.yours[field])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}

      <TextField label={t("planItems.form.title")} autoComplete="off" error={error("title")} defaultValue={defaults.title} {...register("title")} />
      <SelectField label={t("planItems.form.category")} error={error("category")} defaultValue={defaults.category} {...register("category")}>
        {PLAN_CATEGORIES.map((category) => (
          <option key={category} value={category}>
            {PLAN_CATEGORY_NAMES[category][language]}
          </option>
        ))}
      </SelectField>
      <TextAreaField className="item-form__wide" label={t("planItems.form.description")} error={error("description")} defaultValue={defaults.description} {...register("description")} />
      <SelectField label={t("planItems.form.ownerId")} error={error("ownerId")} defaultValue={defaults.ownerId} {...register("ownerId")}>
        <option value="">{t("planItems.form.noOwner")}</option>
        {owners.map((owner) => (
          <option key={owner.id} value={owner.id}>
            {owner.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t("planItems.form.dueDate")}
        type="date"
        min={dueWindow.start}
        max={dueWindow.end}
        help={t("planItems.form.dueHelp", { start: formatDate(dueWindow.start), end: formatDate(dueWindow.end) })}
        error={error("dueDate")}
        defaultValue={defaults.dueDate} {...register("dueDate")}
      />
      <TextField
        label={t("planItems.form.customers")}
        autoComplete="off"
        help={t("planItems.form.customersHelp")}
        error={error("customers")}
        defaultValue={defaults.customers} {...register("customers")}
      />

      <fieldset className="item-form__kpi">
        <legend>{t("planItems.form.kpiLegend")}</legend>
        <SelectField label={t("planItems.form.kpiKey")} error={error("kpiKey")} defaultValue={defaults.kpiKey} {...register("kpiKey")}>
          <option value="">{t("planItems.form.noKpi")}</option>
          {LINKABLE_KPIS.map((kpi) => (
            <option key={kpi.key} value={kpi.key}>
              {kpi.name[language]}
            </option>
          ))}
        </SelectField>
        <KpiScopePicker
          choices={scopeChoices}
          current={currentScope}
          defaults={defaults}
          chosen={chosenScope}
          scope={register("kpiScope")}
          customer={register("kpiCustomer")}
          scopeError={error("kpiScope")}
          customerError={error("kpiCustomer")}
        />
        <TextField
          label={definition ? t("planItems.form.kpiTargetIn", { unit: unitText(definition.unit) }) : t("planItems.form.kpiTarget")}
          help={definition ? t(`planItems.form.targetHelp.${definition.unit}`) : undefined}
          autoComplete="off"
          error={error("kpiTarget")}
          defaultValue={defaults.kpiTarget} {...register("kpiTarget")}
        />
        <p className="field__help item-form__better" aria-live="polite">
          {definition
            ? t("planItems.form.betterIs", { direction: t(`planItems.kpi.better.${definition.better}`) })
            : t("planItems.form.betterNone")}
        </p>
      </fieldset>

      {planApproved ? (
        <TextAreaField
          className="item-form__wide"
          label={t("planItems.form.reason")}
          help={t("planItems.form.reasonHelp")}
          error={error("reason")}
          defaultValue={defaults.reason} {...register("reason")}
        />
      ) : null}

      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
          {mode === "create" ? t("planItems.form.create") : t("planItems.form.save")}
        </button>
      </div>
    </Form>
  );
}
