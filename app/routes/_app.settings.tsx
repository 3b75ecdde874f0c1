import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { ApiTokensSection } from "~/features/users/components/api-tokens-section";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { getDb } from "~/server/db.server";
import { can } from "~/kernel/permissions";
import { createApiToken, listApiTokens, revokeApiToken } from "~/features/users/index.server";
import { findUserById, updateUser } from "~/features/users/index.server";
import { createApiTokenSchema, revokeApiTokenSchema } from "~/features/users/api-token.schema";
import { userSettingsSchema } from "~/features/settings/schema";
import { parseFormData, readFormData } from "~/server/forms.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = Date.now();
  const tokens = can(user, "api-token:manage") ? await listApiTokens(getDb(), user.id) : null;
  return {
    locale: user.locale,
    amountUnit: user.amount_unit,
    tokens: tokens?.map((token) => ({
      ...token,
      expired: token.expiresAt !== null && Date.parse(token.expiresAt) <= now,
    })),
  };
}

/** Three forms on one page: preferences (no intent, as before), create-token and revoke-token. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const db = getDb();

  if (intent === "create-token" || intent === "revoke-token") {
    if (!can(user, "api-token:manage")) throw new Response("You may not manage API tokens.", { status: 403 });
    if (intent === "create-token") {
      const parsed = parseFormData(formData, createApiTokenSchema);
      if (!parsed.ok) return parsed.response;
      const { token, summary } = await createApiToken(db, { userId: user.id, ...parsed.value });
      // The value exists only in this answer: keep it out of every cache.
      return data(
        { ok: true as const, done: "token-created" as const, token: { name: summary.name, value: token } },
        { headers: { "Cache-Control": "no-store" } },
      );
    }
    const parsed = parseFormData(formData, revokeApiTokenSchema);
    if (!parsed.ok) return parsed.response;
    const result = await revokeApiToken(db, { tokenId: parsed.value.tokenId, userId: user.id });
    // Another user's token answers exactly as a missing one: the answer must not confirm that an id exists.
    if (result.outcome === "not-yours" || result.outcome === "not-found") throw new Response("No such token.", { status: 404 });
    return { ok: true as const, done: "token-revoked" as const, name: result.name };
  }

  const parsed = parseFormData(formData, userSettingsSchema);
  if (!parsed.ok) return parsed.response;
  const current = await findUserById(db, user.id);
  if (current?.locale !== parsed.value.locale) await updateUser(db, user.id, { locale: parsed.value.locale }, user.id);
  if (current?.amount_unit !== parsed.value.amountUnit) {
    await updateUser(db, user.id, { amountUnit: parsed.value.amountUnit }, user.id);
  }
  return { ok: true as const, done: "preferences" as const };
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const { locale, amountUnit, tokens } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData?.ok ? actionData.done : null;
  return (
    <>
      <h1>{t("settings.title")}</h1>
      {done === "preferences" ? (
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
      {tokens ? (
        <ApiTokensSection
          tokens={tokens}
          created={actionData?.ok && actionData.done === "token-created" ? actionData.token : null}
          revokedName={actionData?.ok && actionData.done === "token-revoked" ? actionData.name : null}
          fieldErrors={actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[]>) : undefined}
        />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
