import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { MEASURES } from "~/features/scoreboard/scoring";
import { type ScoringRulesFormInput, scoringRulesFormSchema } from "~/features/scoreboard/scoring.schema";
import { TextField, useErrorText } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";

export type ScoringFieldErrors = Record<string, string[] | undefined>;

/** The head's form: the four weights (with their running total), the warning threshold; validated by the action's schema before it is sent. */
export function ScoringRulesForm({ defaultValues, serverErrors, submitting }: { defaultValues: ScoringRulesFormInput; serverErrors?: ScoringFieldErrors; submitting: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { register, onSubmit, formState, watch } = useValidatedForm(scoringRulesFormSchema, defaultValues);
  // react-hook-form's errors follow the form's nested shape (weights.<measure>, weights itself for the sum); read as plain records
  const errors = formState.errors as Record<string, { message?: string } & Record<string, { message?: string } | undefined>>;
  const weightError = (measure: string) => errors.weights?.[measure]?.message ?? serverErrors?.[`weights.${measure}`]?.[0];
  const sumError = errors.weights?.message ?? serverErrors?.weights?.[0];
  const formError = serverErrors?.form?.[0] ?? serverErrors?.basedOn?.[0] ?? serverErrors?.intent?.[0];
  const weights = watch("weights");
  const total = MEASURES.reduce((sum, measure) => sum + (Number(weights?.[measure]) || 0), 0);
  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="card scoring-rules">
      <input type="hidden" {...register("intent")} />
      <input type="hidden" {...register("basedOn")} />
      {formError ? (
        <p className="alert alert--error" role="alert">
          {errorText(formError)}
        </p>
      ) : null}
      <fieldset>
        <legend>{t("scoreboard.scoring.weights")}</legend>
        <div className="form-grid">
          {MEASURES.map((measure) => (
            <TextField
              key={measure}
              label={t(`scoreboard.scoring.measure.${measure}`)}
              help={t(`scoreboard.scoring.measureHelp.${measure}`)}
              inputMode="numeric"
              error={weightError(measure)}
              {...register(`weights.${measure}`)}
            />
          ))}
        </div>
        <p className={sumError ? "field__error" : "muted"} role={sumError ? "alert" : undefined}>
          {t("scoreboard.scoring.weightsTotal", { total })}
          {sumError ? ` — ${errorText(sumError)}` : null}
        </p>
      </fieldset>
      <div className="form-grid">
        <TextField label={t("scoreboard.scoring.warnBelow")} inputMode="numeric" error={errors.warnBelow?.message ?? serverErrors?.warnBelow?.[0]} {...register("warnBelow")} />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {t("scoreboard.scoring.save")}
        </button>
      </div>
    </Form>
  );
}
