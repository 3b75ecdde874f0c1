import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { InboxEntry } from "~/features/notifications/events";
import { eventText } from "~/features/notifications/render";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";

/** The inbox as a list: each entry's words link to the thing; an unread one has its own mark-read button. */
export function InboxList({ entries }: { entries: InboxEntry[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  if (entries.length === 0) return <p className="muted">{t("notifications.empty")}</p>;
  return (
    <ul className="inbox">
      {entries.map((entry) => (
        <li key={entry.id} className={entry.read ? "inbox__entry" : "inbox__entry inbox__entry--unread"} data-notification={entry.id}>
          <div className="inbox__text">
            {entry.read ? null : <span className="badge">{t("notifications.unread")}</span>}{" "}
            <Link to={entry.link}>{eventText(entry.kind, entry.params, locale, t)}</Link>
            <div className="inbox__when muted">
              <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, locale, timeZone)}</time>
            </div>
          </div>
          {entry.read ? null : (
            <Form method="post" className="inbox__action">
              <input type="hidden" name="intent" value="mark-read" />
              <input type="hidden" name="id" value={entry.id} />
              <button type="submit" className="button button--ghost">
                {t("notifications.markRead")}
              </button>
            </Form>
          )}
        </li>
      ))}
    </ul>
  );
}
