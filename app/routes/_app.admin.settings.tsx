import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { getDb } from "~/server/db.server";
import { installationSettingsPage, saveCompanyLetterhead, saveInstallationSettings, saveTwoFactorRoles } from "~/features/settings/index.server";
import { companyLetterheadSchema, installationSettingsSchema, twoFactorRolesSchema } from "~/features/settings/schema";
import { TwoFactorRolesForm } from "~/features/settings/components/two-factor-roles-form";
import { CompanyLetterheadForm } from "~/features/settings/components/company-letterhead-form";
import { parseFormData, readFormData } from "~/server/forms.server";
import { attempt } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "installation");

/** The administrator's installation settings: the fiscal year's first month, the roles that must use two-factor sign-in, the company on its letters. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "settings:manage");
  return installationSettingsPage(getDb());
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "settings:manage");
  const formData = await readFormData(request);
  if (formData.get("intent") === "company") {
    const company = parseFormData(formData, companyLetterheadSchema);
    if (!company.ok) return company.response;
    return attempt(async () => {
      await saveCompanyLetterhead(getDb(), user.id, company.value);
      return { ok: true as const, saved: "company" as const };
    }, formData, "company");
  }
  if (formData.get("intent") === "two-factor-roles") {
    const roles = parseFormData(formData, twoFactorRolesSchema);
    if (!roles.ok) return roles.response;
    return attempt(async () => {
      await saveTwoFactorRoles(getDb(), user.id, roles.value);
      return { ok: true as const, saved: "two-factor-roles" as const };
    }, formData, "two-factor-roles");
  }
  const parsed = parseFormData(formData, installationSettingsSchema);
  if (!parsed.ok) return parsed.response;
  return attempt(async () => {
    await saveInstallationSettings(getDb(), user.id, parsed.value);
    return { ok: true as const, saved: "fiscal-start-month" as const };
  }, formData, "fiscal-start-month");
}

// A 409 means another administrator saved first: reload, so the form shows what is stored now.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export default function InstallationSettings() {
  const { t } = useTranslation();
  const { settings, plans } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // the stored month is 1-12 (validated when saved), the select's values
  const month = String(settings.fiscalStartMonth) as "1";
  const { register, onSubmit, formState, reset } = useValidatedForm(installationSettingsSchema, { fiscalStartMonth: month, basedOn: month });
  // After a conflict the page reloads with the stored month: the form starts again from it.
  useEffect(() => reset({ fiscalStartMonth: month, basedOn: month }), [month, reset]);
  const refused = actionData && !actionData.ok ? actionData : null;
  const serverError = refused?.fieldErrors.fiscalStartMonth?.[0] ?? refused?.fieldErrors.basedOn?.[0];
  const conflict = refused?.code === "conflict" ? refused.intent : null;
  return (
    <>
      <h1>{t("installation.title")}</h1>
      <p className="lead">{t("installation.lead")}</p>
      <p>
        <Link to="/admin/notifications">{t("notifications.robots.title")}</Link>
        {" · "}
        <Link to="/admin/outbox">{t("notifications.outbox.title")}</Link>
      </p>
      {actionData?.ok && actionData.saved === "fiscal-start-month" ? (
        <p className="alert alert--success" role="status">
          {t("installation.saved")}
        </p>
      ) : null}
      {conflict === "fiscal-start-month" ? (
        <p className="alert alert--error" role="alert">
          {t("installation.conflict")}
        </p>
      ) : null}
      {plans > 0 ? <p className="alert alert--warn">{t("installation.plansExist", { count: plans })}</p> : null}
      <section className="card">
        <Form method="post" className="form-grid" onSubmit={onSubmit} noValidate key={month}>
          <input type="hidden" {...register("basedOn")} />
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
      <CompanyLetterheadForm
        company={settings.company}
        saved={Boolean(actionData?.ok && actionData.saved === "company")}
        conflict={conflict === "company"}
        errors={{
          name: refused?.intent === "company" ? refused.fieldErrors.name?.[0] : undefined,
          address: refused?.intent === "company" ? refused.fieldErrors.address?.[0] : undefined,
          contact: refused?.intent === "company" ? refused.fieldErrors.contact?.[0] : undefined,
        }}
      />
      <TwoFactorRolesForm
        roles={settings.twoFactorRoles}
        saved={Boolean(actionData?.ok && actionData.saved === "two-factor-roles")}
        conflict={conflict === "two-factor-roles"}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
