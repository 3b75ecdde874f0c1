import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The top bar's bell: a link to the inbox naming the unread count (shown as a badge when there are any). */
export function Bell({ unread }: { unread: number }) {
  const { t } = useTranslation();
  const label = unread > 0 ? t("notifications.bellUnread", { count: unread }) : t("notifications.bell");
  return (
    <Link to="/notifications" className="bell" aria-label={label} title={label} data-unread={unread}>
      <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.73 21a2 2 0 0 1-3.46 0" />
      </svg>
      {unread > 0 ? (
        <span className="bell__count" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
