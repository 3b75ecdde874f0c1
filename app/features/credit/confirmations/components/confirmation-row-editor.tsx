import { useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { SelectField, TextAreaField, TextField } from "~/ui/field";
import { useFormatDate } from "~/ui/use-format-amount";
import { CONFIRMATION_CHANNELS, CONFIRMATION_RESULTS } from "~/features/credit/confirmations/confirmations";
import { minorToMajorString } from "~/kernel/money";
import type { BatchRecorded } from "~/features/credit/confirmations/confirmations.server";
import type { Refusal } from "~/server/responses.server";

/** What a record form's post answers: what was recorded, or the one refusal shape (`current` on 409: the row as someone else recorded it meanwhile). */
export type RecordAnswer = BatchRecorded | Refusal<StoredValues>;

/** The row an answer concerns (null: the whole page). */
export function answerRow(answer: RecordAnswer): number | null {
  return answer.ok ? answer.rowId : answer.subjectId;
}

interface StoredValues {
  sentOn: string | null;
  channel: string | null;
  returnedOn: string | null;
  result: string | null;
  difference: number;
  note: string;
  resolvedOn: string | null;
  resolutionNote: string | null;
}

/** The fields each form records, as posted; `difference` is compared in major units. */
const STEP_FIELDS = {
  send: ["sentOn", "channel"],
  return: ["returnedOn", "result", "difference", "note"],
  resolve: ["resolvedOn", "resolutionNote"],
} as const;

/** After a refused stale change: what the other person recorded beside what this user posted. */
function ConflictTable({ intent, current, posted }: { intent: keyof typeof STEP_FIELDS; current: StoredValues; posted: Record<string, string> }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const stored = (field: keyof StoredValues) =>
    field === "difference" ? (current.difference === 0 ? "" : minorToMajorString(current.difference)) : String(current[field] ?? "");
  const differing = STEP_FIELDS[intent].filter((field) => stored(field) !== (posted[field] ?? "").trim());
  const shown = (field: string, value: string) => {
    if (!value) return t("confirmations.none");
    if (field === "channel") return t(`confirmations.channels.${value}`, { defaultValue: value });
    if (field === "result") return t(`confirmations.results.${value}`, { defaultValue: value });
    if (field.endsWith("On") && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    return value;
  };
  if (differing.length === 0) return <p>{t("confirmations.conflict.same")}</p>;
  return (
    <table className="confirmation-editor__conflict">
      <caption className="visually-hidden">{t("confirmations.conflict.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("confirmations.conflict.field")}</th>
          <th scope="col">{t("confirmations.conflict.theirs")}</th>
          <th scope="col">{t("confirmations.conflict.yours")}</th>
        </tr>
      </thead>
      <tbody>
        {differing.map((field) => (
          <tr key={field}>
            <th scope="row">{t(`confirmations.forms.${field}`)}</th>
            <td>{shown(field, stored(field))}</td>
            <td>{shown(field, (posted[field] ?? "").trim())}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface EditorRow {
  id: number;
  customerCode: string;
  customerName: string;
  sentOn: string | null;
  channel: string | null;
  returnedOn: string | null;
  result: string | null;
  difference: number;
  note: string;
  resolvedOn: string | null;
  resolutionNote: string | null;
  version: number;
}

/**
 * The three record forms of one row: sent, returned, resolved. Fetcher forms, so with JavaScript
 * the page stays where it is; without it they post like any form and the answer comes back as the
 * page's action data (`fallback`).
 */
export function ConfirmationRowEditor({ row, today, fallback }: { row: EditorRow; today: string; fallback: RecordAnswer | null }) {
  const { t } = useTranslation();
  const send = useFetcher<RecordAnswer>({ key: `confirmation-${row.id}-send` });
  const ret = useFetcher<RecordAnswer>({ key: `confirmation-${row.id}-return` });
  const resolve = useFetcher<RecordAnswer>({ key: `confirmation-${row.id}-resolve` });
  const answerOf = (fetcher: { data?: RecordAnswer }, intent: string) =>
    fetcher.data ?? (fallback && answerRow(fallback) === row.id && fallback.intent === intent ? fallback : null);
  const id = (field: string) => `row-${row.id}-${field}`;

  const section = (
    intent: "send" | "return" | "resolve",
    fetcher: typeof send,
    heading: string,
    submit: string,
    fields: (error: (field: string) => string | undefined, value: (field: string, stored: string) => string) => JSX.Element,
  ) => {
    const answer = answerOf(fetcher, intent);
    const refused = answer && !answer.ok ? answer : null;
    const error = (field: string) => refused?.fieldErrors?.[field]?.[0];
    const value = (field: string, stored: string) => refused?.submitted[field] ?? stored;
    return (
      <fetcher.Form method="post" aria-labelledby={id(`${intent}-heading`)} key={`${intent}-${refused ? "refused" : "stored"}-${row.version}`}>
        <fieldset>
          <legend id={id(`${intent}-heading`)}>{heading}</legend>
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="rowId" value={row.id} />
          {/* After a 409 the page has reloaded the row: this is the other person's version. */}
          <input type="hidden" name="version" value={row.version} />
          {refused ? (
            <p className="field__error" role="alert">
              {t(refused.fieldErrors.form?.[0] ?? "confirmations.forms.fixErrors")}
            </p>
          ) : answer?.ok ? (
            <p className="alert alert--success" role="status">
              {t(answer.message ?? "")}
            </p>
          ) : null}
          {refused?.current ? <ConflictTable intent={intent} current={refused.current} posted={refused.submitted} /> : null}
          {fields(error, value)}
          <button type="submit" className="button" disabled={fetcher.state !== "idle"}>
            {submit}
          </button>
        </fieldset>
      </fetcher.Form>
    );
  };

  return (
    <div className="confirmation-editor" role="group" aria-label={t("confirmations.table.recordFor", { customer: row.customerName })}>
      {section("send", send, t("confirmations.forms.sendHeading"), t("confirmations.forms.markSent"), (error, value) => (
        <>
          <TextField id={id("sentOn")} label={t("confirmations.forms.sentOn")} type="date" name="sentOn" max={today} defaultValue={value("sentOn", row.sentOn ?? today)} error={error("sentOn")} required />
          <SelectField id={id("channel")} label={t("confirmations.forms.channel")} name="channel" defaultValue={value("channel", row.channel ?? "")} error={error("channel")} required>
            <option value="">{t("confirmations.forms.chooseChannel")}</option>
            {CONFIRMATION_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t(`confirmations.channels.${channel}`)}
              </option>
            ))}
          </SelectField>
        </>
      ))}
      {row.sentOn
        ? section("return", ret, t("confirmations.forms.returnHeading"), t("confirmations.forms.saveReturn"), (error, value) => (
            <>
              <TextField id={id("returnedOn")} label={t("confirmations.forms.returnedOn")} type="date" name="returnedOn" max={today} defaultValue={value("returnedOn", row.returnedOn ?? "")} help={t("confirmations.forms.returnedOnHelp")} error={error("returnedOn")} />
              <SelectField id={id("result")} label={t("confirmations.forms.result")} name="result" defaultValue={value("result", row.result ?? "")} error={error("result")} required>
                <option value="">{t("confirmations.forms.chooseResult")}</option>
                {CONFIRMATION_RESULTS.map((result) => (
                  <option key={result} value={result}>
                    {t(`confirmations.results.${result}`)}
                  </option>
                ))}
              </SelectField>
              <TextField id={id("confirmedBalance")} label={t("confirmations.forms.confirmedBalance")} name="confirmedBalance" inputMode="decimal" defaultValue={value("confirmedBalance", "")} help={t("confirmations.forms.confirmedBalanceHelp")} error={error("confirmedBalance")} />
              <TextField id={id("difference")} label={t("confirmations.forms.difference")} name="difference" inputMode="decimal" defaultValue={value("difference", row.difference === 0 ? "" : minorToMajorString(row.difference))} help={t("confirmations.forms.differenceHelp")} error={error("difference")} />
              <TextAreaField id={id("note")} label={t("confirmations.forms.note")} name="note" rows={2} defaultValue={value("note", row.note)} error={error("note")} />
            </>
          ))
        : null}
      {row.result === "mismatched"
        ? section("resolve", resolve, t("confirmations.forms.resolveHeading"), t("confirmations.forms.markResolved"), (error, value) => (
            <>
              <TextField id={id("resolvedOn")} label={t("confirmations.forms.resolvedOn")} type="date" name="resolvedOn" max={today} defaultValue={value("resolvedOn", row.resolvedOn ?? today)} error={error("resolvedOn")} required />
              <TextAreaField id={id("resolutionNote")} label={t("confirmations.forms.resolutionNote")} name="resolutionNote" rows={2} defaultValue={value("resolutionNote", row.resolutionNote ?? "")} error={error("resolutionNote")} required />
            </>
          ))
        : null}
    </div>
  );
}
