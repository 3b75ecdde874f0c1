import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { getDb } from "~/server/db.server";
import { installationSettingsPage, saveInstallationSettings } from "~/features/settings/index.server";
import { installationSettingsSchema } from "~/features/settings/schema";
import { parseFormData, readFormData } from "~/server/forms.server";

export const meta: MetaFunction = () => [{ title: "Installation settings · Quarterdeck" }];

/** The administrator's installation settings: today the fiscal year's first month. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "settings:manage");
  return installationSettingsPage(getDb());
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "settings:manage");
  const parsed = parseFormData(await readFormData(request), installationSettingsSchema);
  if (!parsed.ok) return parsed.response;
  await saveInstallationSettings(getDb(), user.id, parsed.value);
  return { ok: true as const };
}

export default function InstallationSettings() {
  const { t } = useTranslation();
  const { settings, plans } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const month = String(settings.fiscalStartMonth) as "1";
  const { register, onSubmit, formState } = useValidatedForm(installationSettingsSchema, { fiscalStartMonth: month });
  const serverError = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[] | undefined>).fiscalStartMonth?.[0] : undefined;
  return (
    <>
      <h1>{t("installation.title")}</h1>
      <p className="lead">{t("installation.lead")}</p>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {t("installation.saved")}
        </p>
      ) : null}
      {plans > 0 ? <p className="alert alert--warn">{t("installation.plansExist", { count: plans })}</p> : null}
      <section className="card">
        <Form method="post" className="form-grid" onSubmit={onSubmit} noValidate>
          <SelectField
            label={t("installation.fiscalStartMonth")}
            help={t("installation.fiscalStartMonthHelp")}
            defaultValue={month}
            error={formState.errors.fiscalStartMonth?.message ?? serverError}
            {...register("fiscalStartMonth")}
          >
            {Array.from({ length: 12 }, (_, index) => String(index + 1)).map((value) => (
              <option key={value} value={value}>
                {t(`installation.month.${value}`)}
              </option>
            ))}
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("installation.save")}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
