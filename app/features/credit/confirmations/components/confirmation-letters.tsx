import { useTranslation } from "react-i18next";

import { SelectField } from "~/ui/field";
import { useLocale } from "~/ui/use-format-amount";

/**
 * "Print letters": the batch's confirmation letters (询证函) as a PDF download in the chosen
 * language, for every customer matching the page's filters (one merged file) or for one customer
 * of the rows shown. A plain GET form: it downloads without JavaScript and writes nothing.
 */
export function ConfirmationLetters({
  action,
  filters,
  customers,
}: {
  action: string;
  filters: Record<string, string>;
  customers: readonly { customerCode: string; customerName: string }[];
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <form method="get" action={action} className="card confirmation-letters" aria-labelledby="letters-heading">
      <h2 id="letters-heading">{t("confirmations.letter.pdf")}</h2>
      <p className="muted">{t("confirmations.letter.help")}</p>
      {Object.entries(filters).map(([name, v]) => (v ? <input key={name} type="hidden" name={name} value={v} /> : null))}
      <SelectField id="letters-lang" label={t("confirmations.letter.language")} name="lang" defaultValue={locale}>
        <option value="zh-CN">中文</option>
        <option value="en">English</option>
      </SelectField>
      <SelectField id="letters-customer" label={t("confirmations.letter.customer")} name="customer" defaultValue="">
        <option value="">{t("confirmations.letter.allCustomers")}</option>
        {customers.map((customer) => (
          <option key={customer.customerCode} value={customer.customerCode}>
            {customer.customerCode} · {customer.customerName}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="button">
        {t("confirmations.letter.print")}
      </button>
    </form>
  );
}
