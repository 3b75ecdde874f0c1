import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { isValidIsoDate } from "~/kernel/dates";

/** The scopes a viewer may pick; the server decides (staff: the company and their own book). */
export interface ScopeChoices {
  company: boolean;
  regions: string[];
  grades: string[];
  owners: { email: string; name: string }[];
  /** the viewer's own book, offered as "My customers" */
  ownEmail: string | null;
}

/**
 * The as-of date and scope: a plain GET form, so the URL is the state and it works without
 * JavaScript (with it, Remix fetches the new figures without a full page load).
 */
export function DashboardFilters({
  asOf,
  scope,
  choices,
  today,
  busy,
  asOfErrorId,
}: {
  asOf: string;
  scope: string;
  choices: ScopeChoices;
  today: string;
  busy: boolean;
  /** the id of the message saying what is wrong with the as-of date, when something is */
  asOfErrorId: string | null;
}) {
  const { t } = useTranslation();
  const owners = choices.owners.filter((owner) => owner.email !== choices.ownEmail);
  const known = new Set([
    "company",
    ...choices.regions.map((r) => `region:${r}`),
    ...choices.grades.map((g) => `grade:${g}`),
    ...choices.owners.map((o) => `owner:${o.email}`),
    ...(choices.ownEmail ? [`owner:${choices.ownEmail}`] : []),
  ]);
  return (
    <Form method="get" action="/" className="filters dashboard-filters" aria-label={t("dashboard.filters")}>
      <div className="dashboard-filters__fields">
        <div className="field">
          <label htmlFor="dashboard-as-of">{t("dashboard.asOf")}</label>
          {/* a date input cannot hold an impossible date such as 2026-02-30: it starts empty then */}
          <input
            id="dashboard-as-of"
            type="date"
            name="asOf"
            defaultValue={isValidIsoDate(asOf) ? asOf : ""}
            key={asOf}
            max={today}
            required
            aria-invalid={asOfErrorId ? true : undefined}
            aria-describedby={asOfErrorId ? `${asOfErrorId} dashboard-as-of-help` : "dashboard-as-of-help"}
          />
          <p className="field__help" id="dashboard-as-of-help">
            {t("dashboard.asOfHelp")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="dashboard-scope">{t("dashboard.scope")}</label>
          <select id="dashboard-scope" name="scope" defaultValue={scope} key={scope}>
            {known.has(scope) ? null : <option value={scope}>{scope}</option>}
            {choices.company ? <option value="company">{t("dashboard.company")}</option> : null}
            {choices.ownEmail ? <option value={`owner:${choices.ownEmail}`}>{t("dashboard.myCustomers")}</option> : null}
            {choices.regions.length > 0 ? (
              <optgroup label={t("dashboard.regions")}>
                {choices.regions.map((region) => (
                  <option key={region} value={`region:${region}`}>
                    {region}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {choices.grades.length > 0 ? (
              <optgroup label={t("dashboard.grades")}>
                {choices.grades.map((grade) => (
                  <option key={grade} value={`grade:${grade}`}>
                    {t("dashboard.gradeOption", { grade })}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {owners.length > 0 ? (
              <optgroup label={t("dashboard.owners")}>
                {owners.map((owner) => (
                  <option key={owner.email} value={`owner:${owner.email}`}>
                    {owner.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
          <p className="field__help">{t("dashboard.scopeHelp")}</p>
        </div>
      </div>
      <div className="filters__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t("dashboard.computing") : t("dashboard.show")}
        </button>
        {asOf !== today ? (
          <Link to={`/?${new URLSearchParams({ asOf: today, scope })}`} className="button button--ghost">
            {t("dashboard.today")}
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
