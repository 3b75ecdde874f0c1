import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { ApiTokensSection } from "~/features/users/components/api-tokens-section";
import { TwoFactorSection } from "~/features/users/components/two-factor-section";
import { TWO_FACTOR_INTENTS, twoFactorSchema } from "~/features/users/two-factor.schema";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { getDb } from "~/server/db.server";
import { apiTokensOf, createOwnApiToken, revokeOwnApiToken, runTwoFactorCommand, twoFactorStatus } from "~/features/users/index.server";
import { createApiTokenSchema, revokeApiTokenSchema } from "~/features/users/api-token.schema";
import { getSettings, savePreferences } from "~/features/settings/index.server";
import { userSettingsSchema } from "~/features/settings/schema";
import { parseFormData, readFormData } from "~/server/forms.server";
import { attempt } from "~/server/responses.server";
import { notificationPreferences, saveNotificationPreferences } from "~/features/notifications/index.server";
import { preferencesSchema } from "~/features/notifications/schema";
import { NotificationPreferencesSection } from "~/features/notifications/components";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "settings");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const twoFactor = await twoFactorStatus(db, user.id);
  // Said on the page whatever brought the user here (the redirect, or a form post after it).
  const twoFactorRequired = !twoFactor.enabled && (await getSettings(db)).twoFactorRoles.includes(user.role);
  const notifications = await notificationPreferences(db, user.id);
  return { locale: user.locale, amountUnit: user.amount_unit, tokens: await apiTokensOf(db, user), twoFactor, twoFactorRequired, notifications };
}

/** Forms on one page: preferences (no intent, as before), create-token, revoke-token and two-factor-*. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const db = getDb();

  if (TWO_FACTOR_INTENTS.some((known) => known === intent)) {
    const parsed = parseFormData(formData, twoFactorSchema);
    if (!parsed.ok) return parsed.response;
    // No form values back on a refusal: they hold the password. Recovery codes are in this answer only.
    return attempt(async () => data(await runTwoFactorCommand(db, user.id, parsed.value), { headers: { "Cache-Control": "no-store" } }), null, parsed.value.intent);
  }
  if (intent === "notifications") {
    const parsed = parseFormData(formData, preferencesSchema);
    if (!parsed.ok) return parsed.response;
    await saveNotificationPreferences(db, user.id, parsed.value);
    return { ok: true as const, done: "notifications" as const };
  }
  if (intent === "create-token") {
    const parsed = parseFormData(formData, createApiTokenSchema);
    if (!parsed.ok) return parsed.response;
    return attempt(async () => {
      const { token, summary } = await createOwnApiToken(db, user, parsed.value);
      // The value exists only in this answer: keep it out of every cache.
      return data(
        { ok: true as const, done: "token-created" as const, token: { name: summary.name, value: token } },
        { headers: { "Cache-Control": "no-store" } },
      );
    }, formData, intent);
  }
  if (intent === "revoke-token") {
    const parsed = parseFormData(formData, revokeApiTokenSchema);
    if (!parsed.ok) return parsed.response;
    return attempt(async () => {
      const { name } = await revokeOwnApiToken(db, user, parsed.value.tokenId);
      return { ok: true as const, done: "token-revoked" as const, name };
    }, formData, intent);
  }

  const parsed = parseFormData(formData, userSettingsSchema);
  if (!parsed.ok) return parsed.response;
  await savePreferences(db, user.id, parsed.value);
  return { ok: true as const, done: "preferences" as const };
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const { locale, amountUnit, tokens, twoFactor, twoFactorRequired, notifications } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData?.ok ? actionData.done : null;
  // a refusal's fieldErrors are field name to messages; Remix's serialized type loses it
  const refusal = actionData && !actionData.ok ? { intent: "intent" in actionData && typeof actionData.intent === "string" ? actionData.intent : null, fieldErrors: actionData.fieldErrors as Record<string, string[]> } : null;
  return (
    <>
      <h1>{t("settings.title")}</h1>
      {done === "preferences" ? (
        <p className="alert alert--success" role="status">
          {t("settings.saved")}
        </p>
      ) : null}
      <TwoFactorSection
        status={twoFactor}
        required={twoFactorRequired}
        done={done}
        recoveryCodes={actionData?.ok && "recoveryCodes" in actionData ? actionData.recoveryCodes : null}
        refusal={refusal}
      />
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
      <NotificationPreferencesSection choices={notifications.choices} mail={notifications.mail} saved={done === "notifications"} />
      {tokens ? (
        <ApiTokensSection
          tokens={tokens}
          created={actionData?.ok && actionData.done === "token-created" ? actionData.token : null}
          revokedName={actionData?.ok && actionData.done === "token-revoked" ? actionData.name : null}
          // a refusal's fieldErrors are field name to messages (see above)
          fieldErrors={actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[]>) : undefined}
        />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
