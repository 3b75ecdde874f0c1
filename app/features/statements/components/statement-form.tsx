import { useTranslation } from "react-i18next";

import { SelectField, TextField } from "~/ui/field";
import { useLocale } from "~/ui/use-format-amount";

/**
 * The customer page's "Statement of account": a date, a language, and PDF or Excel. A plain GET
 * form, so the file downloads without JavaScript and nothing is written.
 */
export function StatementForm({ customerCode, today }: { customerCode: string; today: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section aria-labelledby="statement" className="section">
      <h2 id="statement">{t("statements.heading")}</h2>
      <p className="muted">{t("statements.help")}</p>
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
        </div>
      </form>
    </section>
  );
}
