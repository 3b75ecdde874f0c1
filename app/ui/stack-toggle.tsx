import { useTranslation } from "react-i18next";

/**
 * "Show every column", placed right before a stacked table's .table-wrap: on a phone the table's
 * secondary columns wait behind it (app.css, "Stacked tables"); on wider screens it is hidden.
 * A plain checkbox, so it works without JavaScript and from the keyboard.
 */
export function StackToggle() {
  const { t } = useTranslation();
  return (
    <label className="stack-toggle">
      <input type="checkbox" /> {t("ledger.showEveryColumn")}
    </label>
  );
}
