import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SelectField } from "~/components/forms/field";
import { getDb } from "~/db.server";
import { findUserById, updateUser } from "~/models/user.server";
import { userSettingsSchema } from "~/schemas/settings";
import { parseForm } from "~/utils/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { locale: user.locale, amountUnit: user.amount_unit };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = await parseForm(request, userSettingsSchema);
  if (!parsed.ok) return parsed.response;
  const db = getDb();
  const current = await findUserById(db, user.id);
  if (current?.locale !== parsed.value.locale) await updateUser(db, user.id, { locale: parsed.value.locale }, user.id);
  if (current?.amount_unit !== parsed.value.amountUnit) {
    await updateUser(db, user.id, { amountUnit: parsed.value.amountUnit }, user.id);
  }
  return { ok: true as const };
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const { locale, amountUnit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <h1>{t("settings.title")}</h1>
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {t("settings.saved")}
        </p>
      ) : null}
      <section className="card">
        <Form method="post" className="form-grid">
          <SelectField label={t("settings.language")} name="locale" defaultValue={locale}>
            <option value="en" lang="en">
              English
            </option>
            <option value="zh-CN" lang="zh-CN">
              简体中文
            </option>
          </SelectField>
          <SelectField label={t("settings.amountUnit")} name="amountUnit" defaultValue={amountUnit}>
            <option value="yuan">{t("settings.unitYuan")}</option>
            <option value="wan">{t("settings.unitWan")}</option>
          </SelectField>
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t("settings.save")}
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
