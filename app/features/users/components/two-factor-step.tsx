import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";

/** The sign-in's second step: a code from the app or a recovery code, after a correct password. */
export function TwoFactorStep({ error }: { error: string | undefined }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  return (
    <>
      <h1>{t("twoFactor.stepTitle")}</h1>
      <p>{t("twoFactor.stepLead")}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="code" />
        <TextField
          label={t("twoFactor.stepCode")}
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          error={error}
        />
        <button type="submit" className="button button--primary button--block" disabled={navigation.state !== "idle"}>
          {t("twoFactor.stepSubmit")}
        </button>
      </Form>
      <Form method="post" className="login__restart">
        <input type="hidden" name="intent" value="restart" />
        <button type="submit" className="button button--ghost button--block">
          {t("twoFactor.stepRestart")}
        </button>
      </Form>
    </>
  );
}
