import { Form } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { SelectField, TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { createBatchSchema } from "~/features/credit/confirmations/schema";

type FieldErrors = Record<string, string[] | undefined>;

/** The head's "new batch" form: same schema on the client and in the action. */
export function ConfirmationCreateForm({
  options,
  today,
  serverErrors,
  values,
  submitting,
}: {
  options: { owners: { id: number; name: string }[]; unassigned: boolean; regions: string[] };
  today: string;
  serverErrors?: FieldErrors;
  values?: Record<string, string>;
  submitting: boolean;
}) {
  const { t } = useTranslation();
  const schema = useMemo(() => createBatchSchema(today), [today]);
  const { register, formState, onSubmit } = useValidatedForm(schema, {
    intent: "create-batch",
    name: values?.name ?? "",
    periodEnd: values?.periodEnd ?? "",
    region: values?.region ?? "",
    owner: values?.owner ?? "",
  });
  const error = (field: string) =>
    // react-hook-form types errors by the schema's nested shape; reading one by a field name known to be in it
    (formState.errors as Record<string, { message?: string } | undefined>)[field]?.message ?? serverErrors?.[field]?.[0];
  return (
    <Form method="post" className="card" onSubmit={onSubmit} noValidate aria-labelledby="new-batch-heading">
      <h2 id="new-batch-heading">{t("confirmations.create.heading")}</h2>
      <p className="muted">{t("confirmations.create.intro")}</p>
      {serverErrors?.form?.[0] ? (
        <p className="alert alert--error" role="alert">
          {t(serverErrors.form[0])}
        </p>
      ) : null}
      <input type="hidden" {...register("intent")} />
      <div className="form-grid">
        <TextField label={t("confirmations.create.name")} {...register("name")} error={error("name")} required />
        <TextField
          label={t("confirmations.create.periodEnd")}
          type="date"
          max={today}
          {...register("periodEnd")}
          error={error("periodEnd")}
          required
        />
        <SelectField label={t("confirmations.create.region")} {...register("region")} error={error("region")}>
          <option value="">{t("confirmations.create.allRegions")}</option>
          {options.regions.map((region) => (
            <option key={region}>{region}</option>
          ))}
        </SelectField>
        <SelectField label={t("confirmations.create.owner")} {...register("owner")} error={error("owner")}>
          <option value="">{t("confirmations.create.allOwners")}</option>
          {options.owners.map((owner) => (
            <option key={owner.id} value={owner.id}>
              {owner.name}
            </option>
          ))}
          {options.unassigned ? <option value="none">{t("confirmations.create.noOwner")}</option> : null}
        </SelectField>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={submitting}>
            {t("confirmations.create.submit")}
          </button>
        </div>
      </div>
    </Form>
  );
}
