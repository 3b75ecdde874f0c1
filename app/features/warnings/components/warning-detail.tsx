import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { Severity, WarningKind, WarningState } from "~/features/warnings/rules";
import { SeverityBadge, WarningReasons, WarningSubject } from "~/features/warnings/components/warning-parts";
import { TextAreaField } from "~/ui/field";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";

export interface WarningDetailData {
  id: number;
  kind: WarningKind;
  severity: Severity;
  state: WarningState;
  reasons: string;
  raisedOn: string;
  lastSeenOn: string;
  resolvedOn: string | null;
  resolution: "person" | "cleared" | "rule_off" | null;
  note: string;
  actedAt: string | null;
  actedByName: string | null;
  version: number;
  customerCode: string | null;
  customerName: string | null;
  ownerName: string | null;
  canAct: boolean;
}

export interface WarningHistoryEntry {
  id: number;
  at: string;
  action: string;
  userName: string | null;
  note: string;
}

export interface ActRefusal {
  message: string | null;
  fieldErrors: Record<string, string[] | undefined>;
  submitted: Record<string, string>;
}

/** One warning: what, why, who acts and its state; the acknowledge / resolve form when the user may act. */
export function WarningDetail({ warning, history, refusal, submitting }: { warning: WarningDetailData; history: readonly WarningHistoryEntry[]; refusal: ActRefusal | null; submitting: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const closedText =
    warning.state === "resolved" && warning.resolution && warning.resolvedOn
      ? t(`warnings.closed.${warning.resolution}`, { date: formatDate(warning.resolvedOn), name: warning.actedByName ?? "" })
      : warning.state === "acknowledged" && warning.actedAt
        ? t("warnings.closed.acknowledged", { name: warning.actedByName ?? "", when: formatDateTime(warning.actedAt, locale, timeZone) })
        : null;
  return (
    <>
      <div className="card warning-detail">
        <p>
          <SeverityBadge severity={warning.severity} /> <strong>{t(`warnings.state.${warning.state}`)}</strong>
        </p>
        <dl className="facts">
          <div>
            <dt>{t("warnings.col.subject")}</dt>
            <dd>
              <WarningSubject row={warning} />
            </dd>
          </div>
          <div>
            <dt>{t("warnings.col.owner")}</dt>
            <dd>{warning.ownerName ?? t("warnings.noOwner")}</dd>
          </div>
          <div>
            <dt>{t("warnings.col.raised")}</dt>
            <dd>
              {formatDate(warning.raisedOn)} {t("warnings.lastSeenAside", { text: t("warnings.lastSeen", { date: formatDate(warning.lastSeenOn) }) })}
            </dd>
          </div>
        </dl>
        <div className="warning-detail__reasons">
          <WarningReasons reasons={warning.reasons} />
        </div>
        {closedText ? <p className="muted">{closedText}</p> : null}
        {warning.note ? (
          <p className="user-text">{t("warnings.noteLabelled", { note: warning.note })}</p>
        ) : null}
      </div>
      {warning.canAct ? (
        <Form method="post" className="card form-grid">
          <input type="hidden" name="id" value={warning.id} />
          <input type="hidden" name="version" value={warning.version} />
          {refusal?.message && !refusal.fieldErrors.note ? (
            <p className="alert alert--error" role="alert">
              {t(refusal.message)}
            </p>
          ) : null}
          <TextAreaField
            label={t("warnings.note")}
            name="note"
            help={t("warnings.noteHint")}
            maxLength={1000}
            defaultValue={refusal?.submitted.note ?? ""}
            error={refusal?.fieldErrors.note?.[0]}
          />
          <div className="form-actions">
            {warning.state === "open" ? (
              <button type="submit" name="intent" value="acknowledge" className="button button--primary" disabled={submitting}>
                {t("warnings.acknowledge")}
              </button>
            ) : null}
            <button type="submit" name="intent" value="resolve" className="button" disabled={submitting}>
              {t("warnings.resolve")}
            </button>
          </div>
        </Form>
      ) : null}
      {history.length > 0 ? (
        <ul className="card">
          {history.map((entry) => (
            <li key={entry.id} className="user-text">
              {(() => {
                const head = `${formatDateTime(entry.at, locale, timeZone)} · ${entry.userName ?? ""} · ${t(entry.action === "resolve" ? "warnings.resolve" : "warnings.acknowledge")}`;
                return entry.note ? t("warnings.historyNote", { entry: head, note: entry.note }) : head;
              })()}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
