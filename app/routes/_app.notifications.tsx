import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { parseFormData, readFormData } from "~/server/forms.server";
import { attempt } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Pagination } from "~/ui/pagination";
import { pageInfo } from "~/kernel/paging";
import { loadInbox, markAllRead, markRead } from "~/features/notifications/index.server";
import { markReadSchema } from "~/features/notifications/schema";
import { InboxList } from "~/features/notifications/components";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "notifications");

/** The signed-in user's inbox, newest first; `?unread=1` shows the unread ones only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const page = Math.max(1, Math.floor(Number(url.searchParams.get("page") ?? "1")) || 1);
  return loadInbox(getDb(), user, { unreadOnly: url.searchParams.get("unread") === "1", page });
}

/** Marks one (their own only: another's is a 404 and changes nothing) or all of the user's notifications read. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, markReadSchema);
  if (!parsed.ok) return parsed.response;
  const value = parsed.value;
  return attempt(async () => {
    if (value.intent === "mark-read") await markRead(getDb(), user.id, value.id);
    else await markAllRead(getDb(), user.id);
    return { ok: true as const, done: value.intent };
  }, formData, value.intent);
}

export default function NotificationsPage() {
  const { t } = useTranslation();
  const inbox = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const done = actionData && actionData.ok ? actionData.done : null;
  const hrefFor = (page: number) => `/notifications?${new URLSearchParams({ ...(inbox.unreadOnly ? { unread: "1" } : {}), page: String(page) })}`;
  return (
    <>
      <h1>{t("notifications.title")}</h1>
      <p className="muted">{t("notifications.intro")}</p>
      {done ? (
        <p className="alert alert--success" role="status">
          {t(done === "mark-read" ? "notifications.markedRead" : "notifications.allMarkedRead")}
        </p>
      ) : null}
      <div className="notifications-toolbar">
        <nav aria-label={t("notifications.title")}>
          <Link to="/notifications" aria-current={inbox.unreadOnly ? undefined : "page"}>
            {t("notifications.all")}
          </Link>{" "}
          <Link to="/notifications?unread=1" aria-current={inbox.unreadOnly ? "page" : undefined}>
            {t("notifications.unreadOnly")}
            {t("common.aside", { text: inbox.unread })}
          </Link>
        </nav>
        {inbox.unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="mark-all-read" />
            <button type="submit" className="button">
              {t("notifications.markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      <section className="card">
        <InboxList entries={inbox.entries} />
        <Pagination info={pageInfo(inbox.page, inbox.total, inbox.pageSize)} hrefFor={hrefFor} label={t("notifications.title")} />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
