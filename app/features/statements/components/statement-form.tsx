import { useTranslation } from "react-i18next";

import { SelectField, TextField } from "~/ui/field";
import { useLocale } from "~/ui/use-format-amount";

/**
 * The customer page's "Statement of account": a date, a language, and PDF or Excel. A plain GET
 * form, so the file downloads without JavaScript and nothing is written; its "e-mail it" button
 * posts the same fields (the statement goes to the customer's contact e-mail and is recorded).
 */
export function StatementForm({
  customerCode,
  today,
  mailTo = null,
  sent = false,
}: {
  customerCode: string;
  today: string;
  /** the contact e-mail, when the user may send letters to it */
  mailTo?: string | null;
  sent?: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section aria-labelledby="statement" className="section">
      <h2 id="statement">{t("statements.heading")}</h2>
      <p className="muted">{t("statements.help")}</p>
      {sent && mailTo ? (
        <p className="alert alert--success" role="status">
          {t("statements.mail.sent", { email: mailTo })}
        </p>
      ) : null}
      <form method="get" action={`/customers/${encodeURIComponent(customerCode)}/statement`} className="card statement-form">
        <TextField id="statement-asOf" label={t("statements.asOf")} type="date" name="asOf" defaultValue={today} max={today} required />
        <SelectField id="statement-lang" label={t("statements.language")} name="lang" defaultValue={locale}>
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </SelectField>
        <div className="statement-form__buttons">
          <button type="submit" name="format" value="pdf" className="button button--primary">
            {t("statements.pdf")}
          </button>
          <button type="submit" name="format" value="xlsx" className="button">
            {t("statements.xlsx")}
          </button>
          {mailTo ? (
            <button type="submit" name="intent" value="email" formMethod="post" className="button">
              {t("statements.mail.send", { email: mailTo })}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
