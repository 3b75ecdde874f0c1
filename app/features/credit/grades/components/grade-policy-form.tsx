import { Form } from "@remix-run/react";
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, forwardRef } from "react";
import { useFieldArray, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";

import { useErrorText } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import {
  COMPARATORS,
  CREDIT_METRICS,
  LIMIT_POLICIES,
  METRIC_UNIT,
  RULE_ACTIONS,
} from "~/features/credit/grades/grades";
import { type CreditPolicyFormInput, creditPolicyFormSchema } from "~/features/credit/grades/schema";
import { isOneOf } from "~/kernel/guards";

/** Field errors keyed by dotted path (`grades.1.graceDays`), as the action returns them. */
export type PolicyFieldErrors = Record<string, string[] | undefined>;

const GRADE_FIELDS = ["paymentTermsDays", "graceDays", "stopShipmentDays", "reviewMonths", "limitMonthsOfSales"] as const;

/** Reads `a.1.b` out of react-hook-form's nested errors. */
function errorAt(errors: unknown, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    // walking react-hook-form's nested errors by path; a missing step gives undefined, checked below
    node = (node as Record<string, unknown>)[part];
  }
  // an error leaf, if any, has a message; its type is checked before use
  const message = (node as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}

interface CellProps {
  label: string;
  error?: string;
  id: string;
  suffix?: ReactNode;
}

const CellInput = forwardRef<HTMLInputElement, CellProps & InputHTMLAttributes<HTMLInputElement>>(function CellInput(
  { label, error, id, suffix, ...input },
  ref,
) {
  const text = useErrorText()(error);
  return (
    <div className="credit-cell">
      <span className="credit-cell__control">
        <input id={id} ref={ref} aria-label={label} aria-invalid={text ? true : undefined} aria-describedby={text ? `${id}-error` : undefined} {...input} />
        {suffix ? <span className="credit-cell__suffix">{suffix}</span> : null}
      </span>
      {text ? (
        <p className="field__error" id={`${id}-error`}>
          {text}
        </p>
      ) : null}
    </div>
  );
});

const CellSelect = forwardRef<HTMLSelectElement, CellProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }>(
  function CellSelect({ label, error, id, children, ...select }, ref) {
    const text = useErrorText()(error);
    return (
      <div className="credit-cell">
        <select id={id} ref={ref} aria-label={label} aria-invalid={text ? true : undefined} aria-describedby={text ? `${id}-error` : undefined} {...select}>
          {children}
        </select>
        {text ? (
          <p className="field__error" id={`${id}-error`}>
            {text}
          </p>
        ) : null}
      </div>
    );
  },
);

/**
 * The head's editor: the grades' terms in one table, the rules in another (add / remove rows).
 * Input names are react-hook-form's dotted paths, so a post without JavaScript carries the same
 * names and the action's errors land on the same fields. Every input also gets its value as a
 * DOM default: react-hook-form fills inputs only once hydrated, and the server-rendered page
 * (no JavaScript, or before hydration) must show and post the stored values.
 */
export function GradePolicyForm({
  defaultValues,
  serverErrors,
  submitting,
}: {
  defaultValues: CreditPolicyFormInput;
  serverErrors?: PolicyFieldErrors;
  submitting: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { register, control, onSubmit, formState } = useValidatedForm(creditPolicyFormSchema, defaultValues);
  const { fields, append, remove } = useFieldArray({ control, name: "rules" });
  const error = (path: string) => errorAt(formState.errors, path) ?? serverErrors?.[path]?.[0];
  const grades = defaultValues.grades;
  const hasErrors = Object.keys(formState.errors).length > 0 || Object.keys(serverErrors ?? {}).length > 0;
  const formError = serverErrors?.form?.[0] ?? serverErrors?.grades?.[0] ?? errorAt(formState.errors, "grades");

  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="credit-policy-form">
      <input type="hidden" value="save-policy" {...register("intent")} />
      <input type="hidden" value={defaultValues.basedOn} {...register("basedOn")} />
      {hasErrors ? (
        <p className="alert alert--error" role="alert">
          {t("credit.grades.fixErrors")} {formError ? errorText(formError) : null}
        </p>
      ) : null}

      <section className="card" aria-labelledby="grades-heading">
        <h2 id="grades-heading">{t("credit.grades.gradesHeading")}</h2>
        <div className="table-wrap">
          <table className="credit-table stack-table">
            <caption className="visually-hidden">{t("credit.grades.gradesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("credit.grades.code")}</th>
                {GRADE_FIELDS.slice(0, 4).map((field) => (
                  <th scope="col" key={field}>
                    {t(`credit.grades.${field}`)}
                  </th>
                ))}
                <th scope="col">{t("credit.grades.limitPolicy")}</th>
                <th scope="col">{t("credit.grades.limitMonthsOfSales")}</th>
              </tr>
            </thead>
            <tbody>
              {grades.map((grade, index) => (
                <tr key={grade.code}>
                  <th scope="row" className="cell--title">
                    <span className="credit-grade-code">{grade.code}</span>
                    <input type="hidden" defaultValue={grade.code} {...register(`grades.${index}.code`)} />
                  </th>
                  {GRADE_FIELDS.map((field) =>
                    field === "limitMonthsOfSales" ? null : (
                      <td key={field} data-label={t(`credit.grades.${field}`)}>
                        <CellInput
                          id={`grades-${index}-${field}`}
                          label={t("credit.grades.fieldOfGrade", { field: t(`credit.grades.${field}`), grade: grade.code })}
                          inputMode="numeric"
                          defaultValue={grade[field]}
                          error={error(`grades.${index}.${field}`)}
                          {...register(`grades.${index}.${field}`)}
                        />
                      </td>
                    ),
                  )}
                  <td data-label={t("credit.grades.limitPolicy")}>
                    <CellSelect
                      id={`grades-${index}-limitPolicy`}
                      label={t("credit.grades.fieldOfGrade", { field: t("credit.grades.limitPolicy"), grade: grade.code })}
                      defaultValue={grade.limitPolicy}
                      error={error(`grades.${index}.limitPolicy`)}
                      {...register(`grades.${index}.limitPolicy`)}
                    >
                      {LIMIT_POLICIES.map((policy) => (
                        <option key={policy} value={policy}>
                          {t(`credit.limitPolicy.${policy}`)}
                        </option>
                      ))}
                    </CellSelect>
                  </td>
                  <td data-label={t("credit.grades.limitMonthsOfSales")}>
                    <CellInput
                      id={`grades-${index}-limitMonthsOfSales`}
                      label={t("credit.grades.fieldOfGrade", { field: t("credit.grades.limitMonthsOfSales"), grade: grade.code })}
                      inputMode="decimal"
                      defaultValue={grade.limitMonthsOfSales}
                      error={error(`grades.${index}.limitMonthsOfSales`)}
                      {...register(`grades.${index}.limitMonthsOfSales`)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="rules-heading">
        <h2 id="rules-heading">{t("credit.grades.rulesHeading")}</h2>
        <p className="muted">{t("credit.grades.howRulesWork")}</p>
        {fields.length === 0 ? <p>{t("credit.grades.noRules")}</p> : null}
        <div className="table-wrap">
          <table className="credit-table stack-table">
            <caption className="visually-hidden">{t("credit.grades.rulesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("credit.grades.rule")}</th>
                <th scope="col">{t("credit.grades.metric")}</th>
                <th scope="col">{t("credit.grades.comparator")}</th>
                <th scope="col">{t("credit.grades.threshold")}</th>
                <th scope="col">{t("credit.grades.action")}</th>
                <th scope="col">{t("credit.grades.toGrade")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("credit.grades.removeRule", { number: "" })}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field, index) => {
                const number = index + 1;
                const label = (name: string) => t("credit.grades.fieldOfRule", { field: t(`credit.grades.${name}`), number });
                return (
                  <tr key={field.id}>
                    <th scope="row" className="cell--title">
                      {number}
                    </th>
                    <td data-label={t("credit.grades.metric")}>
                      <CellSelect id={`rules-${index}-metric`} label={label("metric")} defaultValue={field.metric} error={error(`rules.${index}.metric`)} {...register(`rules.${index}.metric`)}>
                        {CREDIT_METRICS.map((metric) => (
                          <option key={metric} value={metric}>
                            {t(`credit.metric.${metric}`)}
                          </option>
                        ))}
                      </CellSelect>
                    </td>
                    <td data-label={t("credit.grades.comparator")}>
                      <CellSelect
                        id={`rules-${index}-comparator`}
                        label={label("comparator")}
                        defaultValue={field.comparator}
                        error={error(`rules.${index}.comparator`)}
                        {...register(`rules.${index}.comparator`)}
                      >
                        {COMPARATORS.map((comparator) => (
                          <option key={comparator} value={comparator}>
                            {t(`credit.comparatorSymbol.${comparator}`)} {t(`credit.comparator.${comparator}`)}
                          </option>
                        ))}
                      </CellSelect>
                    </td>
                    <td data-label={t("credit.grades.threshold")}>
                      <RuleThreshold index={index} defaultValue={field.threshold} label={label("threshold")} error={error(`rules.${index}.threshold`)} control={control} register={register} />
                    </td>
                    <td data-label={t("credit.grades.action")}>
                      <CellSelect id={`rules-${index}-action`} label={label("action")} defaultValue={field.action} error={error(`rules.${index}.action`)} {...register(`rules.${index}.action`)}>
                        {RULE_ACTIONS.map((action) => (
                          <option key={action} value={action}>
                            {t(`credit.ruleAction.${action}`)}
                          </option>
                        ))}
                      </CellSelect>
                    </td>
                    <td data-label={t("credit.grades.toGrade")}>
                      <CellSelect id={`rules-${index}-toGrade`} label={label("toGrade")} defaultValue={field.toGrade} error={error(`rules.${index}.toGrade`)} {...register(`rules.${index}.toGrade`)}>
                        <option value="">{t("credit.grades.none")}</option>
                        {grades.map((grade) => (
                          <option key={grade.code} value={grade.code}>
                            {grade.code}
                          </option>
                        ))}
                      </CellSelect>
                    </td>
                    <td>
                      <button type="button" className="button button--ghost" onClick={() => remove(index)}>
                        {t("credit.grades.removeRule", { number })}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <button
          type="button"
          className="button"
          onClick={() => append({ metric: "avg_days_late", comparator: "gt", threshold: "", action: "demote", toGrade: "" })}
        >
          {t("credit.grades.addRule")}
        </button>
        <p className="muted credit-help">{t("credit.grades.metricsHelp")}</p>
      </section>

      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {t("credit.grades.save")}
        </button>
      </div>
    </Form>
  );
}

type PolicyFormApi = ReturnType<typeof useValidatedForm<typeof creditPolicyFormSchema>>;

/** The threshold input with the chosen metric's unit after it (days, %, or nothing for counts). */
function RuleThreshold({
  index,
  defaultValue,
  label,
  error,
  control,
  register,
}: {
  index: number;
  defaultValue?: string;
  label: string;
  error?: string;
  control: PolicyFormApi["control"];
  register: PolicyFormApi["register"];
}) {
  const { t } = useTranslation();
  const metric = useWatchMetric(control, index);
  const unit = isOneOf(CREDIT_METRICS, metric) ? METRIC_UNIT[metric] : null;
  return (
    <CellInput
      id={`rules-${index}-threshold`}
      label={label}
      inputMode="decimal"
      defaultValue={defaultValue}
      error={error}
      suffix={unit === "days" || unit === "percent" ? t(`credit.unitLabel.${unit}`) : null}
      {...register(`rules.${index}.threshold`)}
    />
  );
}

function useWatchMetric(control: PolicyFormApi["control"], index: number): string | undefined {
  // useWatch's type for a template-literal path is unknown; the field is the metric select's text
  return useWatch({ control, name: `rules.${index}.metric` }) as string | undefined;
}
