import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { formatDateTime, useTimeZone } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";

export interface OutboxTableRow {
  id: number;
  channel: "email" | "chat";
  recipient: string;
  subject: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
  attachmentName: string | null;
}

/** The outbox as a table (cards on a phone): a waiting or failed message has its "retry now" button. */
export function OutboxTable({ rows, caption }: { rows: readonly OutboxTableRow[]; caption: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const when = (iso: string) => <time dateTime={iso}>{formatDateTime(iso, locale, timeZone)}</time>;
  if (rows.length === 0) return <p className="muted">{t("notifications.outbox.none")}</p>;
  return (
    <div className="table-wrap">
      <table className="stack-table outbox-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("notifications.outbox.col.subject")}</th>
            <th scope="col">{t("notifications.outbox.col.recipient")}</th>
            <th scope="col">{t("notifications.outbox.col.status")}</th>
            <th scope="col">{t("notifications.outbox.col.attempts")}</th>
            <th scope="col">{t("notifications.outbox.col.lastError")}</th>
            <th scope="col">{t("notifications.outbox.col.nextTry")}</th>
            <th scope="col">{t("notifications.outbox.col.created")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("notifications.outbox.retry")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-outbox={row.id}>
              <th scope="row" className="cell--title" data-label={t("notifications.outbox.col.subject")}>
                {row.subject}
                {row.attachmentName ? <div className="muted">{t("notifications.outbox.attachment", { name: row.attachmentName })}</div> : null}
              </th>
              <td data-label={t("notifications.outbox.col.recipient")}>
                {t(`notifications.outbox.channel.${row.channel}`)}: {row.recipient}
              </td>
              <td data-label={t("notifications.outbox.col.status")}>
                <span className={row.status === "failed" ? "badge badge--bad" : row.status === "sent" ? "badge badge--ok" : "badge badge--warn"}>{t(`notifications.outbox.status.${row.status}`)}</span>
              </td>
              <td data-label={t("notifications.outbox.col.attempts")}>{row.attempts}</td>
              <td className="cell--block" data-label={t("notifications.outbox.col.lastError")}>
                {row.lastError ?? "—"}
              </td>
              <td data-label={t(row.status === "sent" ? "notifications.outbox.col.sentAt" : "notifications.outbox.col.nextTry")}>
                {row.status === "sent" ? (row.sentAt ? when(row.sentAt) : "—") : row.status === "pending" ? when(row.nextAttemptAt) : "—"}
              </td>
              <td data-label={t("notifications.outbox.col.created")}>{when(row.createdAt)}</td>
              <td>
                {row.status === "sent" ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <input type="hidden" name="id" value={row.id} />
                    <button type="submit" className="button" aria-label={t("notifications.outbox.retryLabel", { subject: row.subject })}>
                      {t("notifications.outbox.retry")}
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
