import type {
  ActionFunctionArgs,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { parseFormData, readFormData } from "~/server/forms.server";
import { attempt } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Pagination } from "~/ui/pagination";
import { pageInfo } from "~/kernel/paging";
import { isOneOf } from "~/kernel/guards";
import {
  loadOutbox,
  retryOutboxNow,
} from "~/features/notifications/index.server";
import { OUTBOX_FILTERS } from "~/features/notifications";
import { retryOutboxSchema } from "~/features/notifications/schema";
import { OutboxTable } from "~/features/notifications/components";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "outbox");

/** The administrator's outbox: `?status=pending|failed|sent|all` (waiting by default), newest first. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "settings:manage");
  const url = new URL(request.url);
  const status = url.searchParams.get("status");
  const page = Math.max(
    1,
    Math.floor(Number(url.searchParams.get("page") ?? "1")) || 1
  );
  return loadOutbox(getDb(), user, {
    filter: isOneOf(OUTBOX_FILTERS, status) ? status : "pending",
    page,
  });
}

/** "Retry now" (intent=retry, id): a waiting or failed message due at once, audited; a sent or unknown one is refused. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "settings:manage");
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, retryOutboxSchema);
  if (!parsed.ok) return parsed.response;
  return attempt(
    async () => {
      await retryOutboxNow(getDb(), user, parsed.value.id);
      return { ok: true as const, retried: parsed.value.id };
    },
    formData,
    "retry"
  );
}

export default function OutboxPage() {
  const { t } = useTranslation();
  const outbox = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const hrefFor = (page: number) =>
    `/admin/outbox?${new URLSearchParams({
      status: outbox.filter,
      page: String(page),
    })}`;
  return (
    <>
      <h1>{t("notifications.outbox.title")}</h1>
      <p className="muted">{t("notifications.outbox.intro")}</p>
      {outbox.mail ? null : (
        <p className="alert alert--warn">{t("notifications.outbox.mailOff")}</p>
      )}
      {actionData?.ok ? (
        <p className="alert alert--success" role="status">
          {t("notifications.outbox.retried")}
        </p>
      ) : actionData ? (
        <p className="alert alert--error" role="alert">
          {t("notifications.outbox.notRetriable")}
        </p>
      ) : null}
      <div className="notifications-toolbar">
        <nav aria-label={t("notifications.outbox.filter")}>
          {OUTBOX_FILTERS.map((filter) => (
            <Link
              key={filter}
              to={`/admin/outbox?status=${filter}`}
              aria-current={outbox.filter === filter ? "page" : undefined}
            >
              {t(`notifications.outbox.status.${filter}`)}
              {filter === "all" ? "" : ` (${outbox.counts[filter]})`}
            </Link>
          ))}
        </nav>
      </div>
      <section className="card">
        <OutboxTable
          rows={outbox.rows}
          caption={t("notifications.outbox.title")}
        />
        {outbox.total > 0 ? (
          <Pagination
            info={pageInfo(outbox.page, outbox.total, outbox.pageSize)}
            hrefFor={hrefFor}
            label={t("notifications.outbox.title")}
          />
        ) : null}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
