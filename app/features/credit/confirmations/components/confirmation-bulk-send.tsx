import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { SelectField, TextField } from "~/ui/field";
import { CONFIRMATION_CHANNELS } from "~/features/credit/confirmations/confirmations";
import { formatNumber } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";

export const BULK_FORM_ID = "bulk-send";

/**
 * "Mark sent": the ticked rows (their checkboxes name this form with `form=`, so it works without
 * JavaScript) or every row matching the page's filters, carried in hidden fields.
 */
export function ConfirmationBulkSend({
  today,
  filters,
  matching,
  refused,
}: {
  today: string;
  filters: Record<string, string>;
  matching: number;
  refused: { fieldErrors?: Record<string, string[] | undefined>; submitted?: Record<string, string> } | null;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const error = (field: string) => refused?.fieldErrors?.[field]?.[0];
  const value = (field: string, fallback: string) => refused?.submitted?.[field] ?? fallback;
  const applyError = error("apply");
  return (
    <Form method="post" id={BULK_FORM_ID} className="card confirmation-bulk" aria-labelledby="bulk-send-heading" key={refused ? "refused" : "ready"}>
      <h2 id="bulk-send-heading" className="visually-hidden">
        {t("confirmations.bulk.heading")}
      </h2>
      <input type="hidden" name="intent" value="bulk-send" />
      {Object.entries(filters).map(([name, v]) => (v ? <input key={name} type="hidden" name={name} value={v} /> : null))}
      <TextField id="bulk-sentOn" label={t("confirmations.bulk.sentOn")} type="date" name="sentOn" max={today} defaultValue={value("sentOn", today)} error={error("sentOn")} required />
      <SelectField id="bulk-channel" label={t("confirmations.bulk.channel")} name="channel" defaultValue={value("channel", "post")} error={error("channel")}>
        {CONFIRMATION_CHANNELS.map((channel) => (
          <option key={channel} value={channel}>
            {t(`confirmations.channels.${channel}`)}
          </option>
        ))}
      </SelectField>
      <fieldset aria-describedby={applyError ? "bulk-apply-error" : "bulk-help"}>
        <legend>{t("confirmations.bulk.apply")}</legend>
        <label>
          <input type="radio" name="apply" value="selected" defaultChecked={value("apply", "selected") === "selected"} /> {t("confirmations.bulk.applySelected")}
        </label>{" "}
        <label>
          <input type="radio" name="apply" value="filtered" defaultChecked={value("apply", "selected") === "filtered"} />{" "}
          {t("confirmations.bulk.applyFiltered", { count: matching, formattedCount: formatNumber(matching, locale) })}
        </label>
        <p className="field__help" id="bulk-help">
          {t("confirmations.bulk.help")}
        </p>
        {applyError ? (
          <p className="field__error" id="bulk-apply-error">
            {t(applyError)}
          </p>
        ) : null}
      </fieldset>
      <button type="submit" className="button button--primary">
        {t("confirmations.bulk.submit")}
      </button>
    </Form>
  );
}
