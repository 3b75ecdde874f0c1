import { Form } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { useLocale } from "~/ui/use-format-amount";
import { API_TOKEN_MAX_DAYS, createApiTokenSchema } from "~/features/users/api-token.schema";
import { formatDateTime, useTimeZone } from "~/ui/format";

export interface ApiTokenRow {
  id: number;
  name: string;
  tokenPrefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
}

/** The settings page's personal API tokens: create (value shown once), list, revoke. */
export function ApiTokensSection({
  tokens,
  created,
  revokedName,
  fieldErrors,
}: {
  tokens: ApiTokenRow[];
  created: { name: string; value: string } | null;
  revokedName: string | null;
  fieldErrors?: Record<string, string[] | undefined>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  const { register, onSubmit, formState, reset } = useValidatedForm(createApiTokenSchema, {
    intent: "create-token",
    name: "",
    expiresInDays: "90",
  });
  // A created token clears the form, so a second click does not make a twin.
  useEffect(() => {
    if (created) reset({ intent: "create-token", name: "", expiresInDays: "90" });
  }, [created, reset]);

  return (
    <section className="card" aria-labelledby="api-tokens-title">
      <h2 id="api-tokens-title">{t("apiTokens.title")}</h2>
      <p className="lead">{t("apiTokens.intro")}</p>
      {created ? (
        <div className="alert alert--success" role="status">
          <p>{t("apiTokens.created", { name: created.name })}</p>
          <TextField
            label={t("apiTokens.newToken")}
            className="token-value"
            readOnly
            value={created.value}
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
      ) : null}
      {revokedName !== null ? (
        <p className="alert alert--success" role="status">
          {t("apiTokens.revoked", { name: revokedName })}
        </p>
      ) : null}

      {tokens.length === 0 ? (
        <p className="muted">{t("apiTokens.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>{t("apiTokens.list")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("apiTokens.name")}</th>
                <th scope="col">{t("apiTokens.token")}</th>
                <th scope="col">{t("apiTokens.createdAt")}</th>
                <th scope="col">{t("apiTokens.lastUsedAt")}</th>
                <th scope="col">{t("apiTokens.expiresAt")}</th>
                <th scope="col">{t("apiTokens.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <code>{token.tokenPrefix}…</code>
                  </td>
                  <td className="nowrap">{when(token.createdAt)}</td>
                  <td className="nowrap">{token.lastUsedAt ? when(token.lastUsedAt) : t("apiTokens.never")}</td>
                  <td className="nowrap">
                    {token.expiresAt ? when(token.expiresAt) : t("apiTokens.noExpiry")}
                    {token.expired ? <span className="badge badge--bad badge--inline">{t("apiTokens.expired")}</span> : null}
                  </td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke-token" />
                      <input type="hidden" name="tokenId" value={token.id} />
                      <button
                        type="submit"
                        className="button button--danger"
                        aria-label={t("apiTokens.revokeNamed", { name: token.name })}
                      >
                        {t("apiTokens.revoke")}
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3>{t("apiTokens.create")}</h3>
      <Form method="post" onSubmit={onSubmit} noValidate className="form-grid">
        <input type="hidden" value="create-token" {...register("intent")} />
        <TextField
          label={t("apiTokens.name")}
          autoComplete="off"
          help={t("apiTokens.nameHelp")}
          error={formState.errors.name?.message ?? fieldErrors?.name?.[0]}
          {...register("name")}
        />
        <TextField
          label={t("apiTokens.expiresInDays")}
          type="number"
          inputMode="numeric"
          min={1}
          max={API_TOKEN_MAX_DAYS}
          help={t("apiTokens.expiresHelp")}
          error={formState.errors.expiresInDays?.message ?? fieldErrors?.expiresInDays?.[0]}
          {...register("expiresInDays")}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t("apiTokens.createSubmit")}
          </button>
        </div>
      </Form>
    </section>
  );
}
