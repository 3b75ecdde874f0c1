import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { PARAM_BOUNDS, SEVERITIES, WARNING_KINDS, type WarningRule } from "~/features/warnings/rules";
import { isRecord } from "~/kernel/guards";
import { type WarningRulesFormInput, warningRulesFormSchema } from "~/features/warnings/schema";
import { SelectField, TextField, useErrorText } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";

export type RulesFieldErrors = Record<string, string[] | undefined>;

/** The head's form: one block per rule (on/off, severity, parameters), validated by the action's schema before it is sent. */
export function WarningRulesForm({ defaultValues, serverErrors, submitting }: { defaultValues: WarningRulesFormInput; serverErrors?: RulesFieldErrors; submitting: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { register, onSubmit, formState } = useValidatedForm(warningRulesFormSchema, defaultValues);
  const kinds = WARNING_KINDS.filter((kind) => kind in defaultValues.rules);
  // react-hook-form's errors follow the form's nested shape; the server's are keyed by dotted path
  const clientError = (path: string): string | undefined => {
    let node: unknown = formState.errors;
    for (const part of path.split(".")) node = isRecord(node) ? node[part] : undefined;
    return isRecord(node) && typeof node.message === "string" ? node.message : undefined;
  };
  const errorAt = (path: string) => clientError(path) ?? serverErrors?.[path]?.[0];
  const formError = serverErrors?.form?.[0] ?? serverErrors?.basedOn?.[0];
  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="warning-rules">
      <input type="hidden" {...register("intent")} />
      <input type="hidden" {...register("basedOn")} />
      {formError ? (
        <p className="alert alert--error" role="alert">
          {errorText(formError)}
        </p>
      ) : null}
      {kinds.map((kind) => (
        <fieldset key={kind} className="card warning-rule">
          <legend>{t(`warnings.kind.${kind}`)}</legend>
          <p className="muted">{t(`warnings.kindHelp.${kind}`)}</p>
          <div className="form-grid">
            <div className="field field--check">
              <label>
                {/* a path of the form's own shape, built from its kinds: react-hook-form cannot type a template path */}
                <input type="checkbox" value="on" {...register(`rules.${kind}.enabled` as never)} /> {t("warnings.rules.enabled")}
              </label>
            </div>
            {/* a path of the form's own shape (see enabled) */}
            <SelectField label={t("warnings.severity.label")} error={errorAt(`rules.${kind}.severity`)} {...register(`rules.${kind}.severity` as never)}>
              {SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {t(`warnings.severity.${severity}`)}
                </option>
              ))}
            </SelectField>
            {Object.entries(PARAM_BOUNDS[kind]).map(([name, bounds]) => (
              <ParamField key={name} kind={kind} name={name} bounds={bounds} error={errorAt(`rules.${kind}.${name}`)} register={register} />
            ))}
          </div>
        </fieldset>
      ))}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {t("warnings.rules.save")}
        </button>
      </div>
    </Form>
  );
}

function ParamField({
  kind,
  name,
  bounds,
  error,
  register,
}: {
  kind: WarningRule["kind"];
  name: string;
  bounds: { min: number; max: number; money?: true };
  error: string | undefined;
  register: ReturnType<typeof useValidatedForm<typeof warningRulesFormSchema>>["register"];
}) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t(`warnings.param.${name}`)}
      inputMode={bounds.money ? "decimal" : "numeric"}
      help={bounds.money ? t("warnings.param.amountHelp") : `${bounds.min}–${bounds.max}`}
      error={error}
      // a path of the form's own shape, from the kind's parameter bounds (see enabled)
      {...register(`rules.${kind}.${name}` as never)}
    />
  );
}
