import { useTranslation } from "react-i18next";

import { SelectField } from "~/ui/field";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";

/**
 * The customer page's "Dunning letter": a level and a language; the post answers the PDF (the
 * browser downloads it and stays on the page) and records a collection action. A reminder is not
 * offered while a promise to pay is open and not yet due; no letter at all while nothing is
 * overdue (`noLetter` says why, in place of the form).
 */
export function DunningForm({
  customerCode,
  canPrint,
  pausedUntil,
  noLetter = null,
  mailTo = null,
  sent = false,
}: {
  customerCode: string;
  canPrint: boolean;
  pausedUntil: string | null;
  /** why no letter can go out (an i18n key: nothing open, nothing overdue), or null */
  noLetter?: string | null;
  /** the customer's contact e-mail: offered as "e-mail it" */
  mailTo?: string | null;
  sent?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  if (!canPrint) return null;
  return (
    <section aria-labelledby="dunning" className="section">
      <h2 id="dunning">{t("dunning.panel.heading")}</h2>
      <p className="muted">{t("dunning.panel.help")}</p>
      {sent && mailTo ? (
        <p className="alert alert--success" role="status">
          {t("dunning.panel.sent", { email: mailTo })}
        </p>
      ) : null}
      {noLetter ? (
        <p className="alert alert--info">
          {t(noLetter)}
        </p>
      ) : null}
      {!noLetter && pausedUntil ? <p className="alert alert--warn">{t("dunning.panel.paused", { date: formatDate(pausedUntil) })}</p> : null}
      {noLetter ? null : (
        <form method="post" action={`/customers/${encodeURIComponent(customerCode)}/dunning`} className="card dunning-form">
          <SelectField id="dunning-level" label={t("dunning.panel.level")} name="level" defaultValue={pausedUntil ? "demand" : "reminder"}>
            {pausedUntil ? null : <option value="reminder">{t("dunning.levels.reminder")}</option>}
            <option value="demand">{t("dunning.levels.demand")}</option>
            <option value="lawyer_letter">{t("dunning.levels.lawyer_letter")}</option>
          </SelectField>
          <SelectField id="dunning-lang" label={t("dunning.panel.language")} name="lang" defaultValue={locale}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </SelectField>
          <button type="submit" className="button button--primary">
            {t("dunning.panel.print")}
          </button>
          {mailTo ? (
            <button type="submit" name="intent" value="email" className="button">
              {t("dunning.panel.email", { email: mailTo })}
            </button>
          ) : null}
        </form>
      )}
      {noLetter || mailTo ? null : <p className="muted">{t("dunning.panel.noEmail")}</p>}
    </section>
  );
}
