import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { TextField } from "~/ui/field";

interface Props {
  status: { enabled: boolean; recoveryCodesLeft: number; setup: { secret: string; qrSvg: string } | null };
  /** the user's role requires it and it is not on yet: they were sent here */
  required: boolean;
  done: string | null;
  recoveryCodes: string[] | null;
  /** the refused form's intent and field messages */
  refusal: { intent: string | null; fieldErrors: Record<string, string[] | undefined> } | null;
}

function CodeField({ label, error }: { label: string; error: string | undefined }) {
  return <TextField label={label} name="code" inputMode="numeric" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} error={error} />;
}

/** The user's own two-factor sign-in: set up with a QR code and a confirming code, turn off, new recovery codes. */
export function TwoFactorSection({ status, required, done, recoveryCodes, refusal }: Props) {
  const { t } = useTranslation();
  const errorsOf = (intent: string) => (refusal?.intent === intent ? refusal.fieldErrors : {});
  return (
    <section className="card two-factor" id="two-factor" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">
        {t("twoFactor.title")}{" "}
        <span className={status.enabled ? "badge badge--ok badge--inline" : "badge badge--muted badge--inline"}>
          {status.enabled ? t("twoFactor.on") : t("twoFactor.off")}
        </span>
      </h2>
      {required && !status.enabled ? (
        <p className="alert alert--warn" role="alert">
          {t("twoFactor.required")}
        </p>
      ) : null}
      {done === "two-factor-disable" ? (
        <p className="alert alert--success" role="status">
          {t("twoFactor.disabled")}
        </p>
      ) : null}
      {recoveryCodes ? (
        <div className="alert alert--success" role="status">
          {done === "two-factor-confirm" ? <p>{t("twoFactor.enabled")}</p> : null}
          <h3>{t("twoFactor.recoveryTitle")}</h3>
          <p>{t("twoFactor.recoveryLead")}</p>
          <ul className="two-factor__codes" data-testid="recovery-codes">
            {recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p className="lead">{t("twoFactor.lead")}</p>

      {status.enabled ? (
        <div className="card-grid">
          <Form method="post" className="card" aria-labelledby="two-factor-regenerate">
            <h3 id="two-factor-regenerate">{t("twoFactor.regenerateTitle")}</h3>
            <p className="lead">{t("twoFactor.statusOn", { count: status.recoveryCodesLeft })}</p>
            <p>{t("twoFactor.regenerateLead")}</p>
            <input type="hidden" name="intent" value="two-factor-recovery" />
            <TextField label={t("twoFactor.password")} name="password" type="password" autoComplete="current-password" error={errorsOf("two-factor-recovery").password?.[0]} />
            <CodeField label={t("twoFactor.currentCode")} error={errorsOf("two-factor-recovery").code?.[0]} />
            <button type="submit" className="button">
              {t("twoFactor.regenerate")}
            </button>
          </Form>
          <Form method="post" className="card" aria-labelledby="two-factor-disable">
            <h3 id="two-factor-disable">{t("twoFactor.disableTitle")}</h3>
            <input type="hidden" name="intent" value="two-factor-disable" />
            <TextField label={t("twoFactor.password")} name="password" type="password" autoComplete="current-password" error={errorsOf("two-factor-disable").password?.[0]} />
            <CodeField label={t("twoFactor.currentCode")} error={errorsOf("two-factor-disable").code?.[0]} />
            <button type="submit" className="button button--danger">
              {t("twoFactor.disable")}
            </button>
          </Form>
        </div>
      ) : status.setup ? (
        <div className="two-factor__setup">
          <p>{t("twoFactor.scan")}</p>
          {/* An SVG drawn on the server from the otpauth URI: markup only, no script (the CSP stays). */}
          <div className="two-factor__qr" role="img" aria-label={t("twoFactor.qrAlt")} dangerouslySetInnerHTML={{ __html: status.setup.qrSvg }} />
          <p>
            {t("twoFactor.secretLabel")} <code className="two-factor__secret" data-testid="two-factor-secret">{status.setup.secret}</code>
          </p>
          <Form method="post">
            <p>{t("twoFactor.confirmLead")}</p>
            <input type="hidden" name="intent" value="two-factor-confirm" />
            <CodeField label={t("twoFactor.code")} error={errorsOf("two-factor-confirm").code?.[0]} />
            <button type="submit" className="button button--primary">
              {t("twoFactor.confirm")}
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="two-factor-start" />
            <button type="submit" className="button button--ghost">
              {t("twoFactor.restart")}
            </button>
          </Form>
        </div>
      ) : (
        <Form method="post">
          <p>{t("twoFactor.statusOff")}</p>
          <input type="hidden" name="intent" value="two-factor-start" />
          <button type="submit" className="button button--primary">
            {t("twoFactor.start")}
          </button>
        </Form>
      )}
    </section>
  );
}
