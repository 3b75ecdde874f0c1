import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ROLES, type Role } from "~/kernel/permissions";

/** The installation's "two-factor sign-in required for" roles: a checkbox per role. */
export function TwoFactorRolesForm({ roles, saved, conflict }: { roles: readonly Role[]; saved: boolean; conflict: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby="two-factor-roles-title">
      <h2 id="two-factor-roles-title">{t("twoFactor.title")}</h2>
      {saved ? (
        <p className="alert alert--success" role="status">
          {t("installation.saved")}
        </p>
      ) : null}
      {conflict ? (
        <p className="alert alert--error" role="alert">
          {t("installation.conflict")}
        </p>
      ) : null}
      {roles.length === 0 ? <p className="alert alert--warn">{t("twoFactor.rolesNone")}</p> : null}
      {/* Remounted when the stored roles change, so the boxes show them. */}
      <Form method="post" key={roles.join(",")}>
        <input type="hidden" name="intent" value="two-factor-roles" />
        <input type="hidden" name="basedOn" value={roles.join(",")} />
        <fieldset className="field">
          <legend>{t("twoFactor.rolesLabel")}</legend>
          {ROLES.map((role) => (
            <label key={role} className="checkbox-line">
              <input type="checkbox" name={role} defaultChecked={roles.includes(role)} /> {t(`roles.${role}`)}
            </label>
          ))}
          <p className="field__help">{t("twoFactor.rolesHelp")}</p>
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t("installation.save")}
          </button>
        </div>
      </Form>
    </section>
  );
}
