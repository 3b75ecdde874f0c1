import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { collectionFollowUps } from "~/features/credit/collection-actions/collection-actions.server";
import { CollectionFollowUpsSection } from "~/features/credit/collection-actions/components/collection-actions";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { KpiProgress } from "~/features/plans/components/kpi-progress";
import { type ItemRefusal, NoteForm, StatusBadge, StatusForm } from "~/features/plans/components/status-form";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi";
import { isOpenStatus } from "~/features/plans/categories";
import { statusOrNote } from "~/features/plans/items.server";
import { loadMyTasks } from "~/features/plans/pages.server";
import { safeRedirectTo } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { attempt, formValues, readFormData } from "~/server/responses.server";
import itemStyles from "~/features/plans/components/items.css";
import { activeWarningsSummary } from "~/features/warnings/index.server";
import { WarningsPanel } from "~/features/warnings/components/warnings-table";
import { can } from "~/kernel/permissions";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: itemStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "tasks");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const db = getDb();
  const day = today();
  return {
    ...(await loadMyTasks(db, user, day)),
    // Promises and instalments to chase on the user's own customers (null for leaders).
    followUps: await collectionFollowUps(db, user, day),
    // Early warnings on the user's own customers and book (head and staff own customers).
    warnings: can(user, "collection:log", { ownerId: user.id }) ? await activeWarningsSummary(db, user, { own: true, limit: 10 }) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const formData = await readFormData(request);
  const intent = typeof formData.get("intent") === "string" ? String(formData.get("intent")) : null;
  return attempt(async () => {
    const done = await statusOrNote(getDb(), user, formValues(formData), { planId: null, itemId: null }, today());
    if (formData.get("via") === "fetcher") return { ok: true as const, ...done };
    // Back to the row on My tasks, or to the page the form names (an item's own page).
    const back = safeRedirectTo(formData.get("redirectTo") as string | null, "/tasks");
    return redirect(back === "/tasks" ? `${back}#item-${done.itemId}` : back);
  }, formData, intent);
}

type Task = Awaited<ReturnType<typeof loader>>["open"][number];

function TaskCard({ task, canCancel, refusal }: { task: Task; canCancel: boolean; refusal: ItemRefusal | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const open = isOpenStatus(task.status);
  return (
    <li className={task.overdue ? "task task--overdue" : "task"} id={`item-${task.id}`}>
      <div className="task__head">
        <h3 className="task__title">
          <Link to={`/plans/${task.planId}/items/${task.id}`}>{task.title}</Link>
        </h3>
        {task.overdue ? <span className="badge badge--bad">{t("planItems.overdue")}</span> : null}
        {open ? null : <StatusBadge status={task.status} />}
      </div>
      <p className="task__meta">
        <span>
          {t("planItems.tasks.plan")}{t("common.colon")}
          <Link to={`/plans/${task.planId}`}>{quarterLabel(task.plan.fiscalYear, task.plan.quarter, locale, task.plan.fiscalStartMonth)}</Link>
        </span>
        <span className={task.overdue ? "task__overdue" : undefined}>
          {t("planItems.form.dueDate")}{t("common.colon")}{task.dueDate ? formatDate(task.dueDate) : t("planItems.item.noDueDate")}
        </span>
      </p>
      {task.kpiLink && task.kpi ? <KpiProgress link={task.kpiLink} {...task.kpi} compact /> : null}
      {open ? (
        <>
          <StatusForm item={task} canCancel={canCancel} refusal={refusal?.intent === "set-status" ? refusal : null} />
          <NoteForm item={task} refusal={refusal?.intent === "note" ? refusal : null} />
        </>
      ) : null}
    </li>
  );
}

export default function MyTasksPage() {
  const { t } = useTranslation();
  const { ownsItems, canCancel, open, finished, followUps, warnings } = useLoaderData<typeof loader>();
  // the action answers { ok: true } or attempt()'s refusal of an item; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as ItemRefusal | { ok: true } | undefined;
  const refusalFor = (id: number) => (actionData && !actionData.ok && actionData.subjectId === id ? actionData : null);
  const overdue = open.filter((task) => task.overdue).length;

  return (
    <>
      <h1>{t("planItems.tasksTitle")}</h1>
      {!ownsItems ? (
        <p className="card">
          {t("planItems.tasks.noneForRole")} <Link to="/plans">{t("plans.title")}</Link>
        </p>
      ) : (
        <>
          <p className="lead">
            {open.length === 0
              ? t("planItems.tasks.allClear")
              : t("planItems.tasks.summary", { count: open.length, overdue })}
          </p>
          {actionData && !actionData.ok && actionData.subjectId === null && actionData.message ? (
            <p className="alert alert--error" role="alert">
              {t(actionData.message)}
            </p>
          ) : null}
          {open.length > 0 ? (
            <ul className="task-list" aria-label={t("planItems.tasks.openList")}>
              {open.map((task) => (
                <TaskCard key={task.id} task={task} canCancel={canCancel} refusal={refusalFor(task.id)} />
              ))}
            </ul>
          ) : null}
          {finished.length > 0 ? (
            <details className="task-done">
              <summary>{t("planItems.tasks.finished", { count: finished.length })}</summary>
              <ul className="task-list">
                {finished.map((task) => (
                  <TaskCard key={task.id} task={task} canCancel={canCancel} refusal={null} />
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
      {warnings ? <WarningsPanel summary={warnings} title={t("warnings.tasks.title")} intro={t("warnings.tasks.intro")} none={t("warnings.tasks.none")} showOwner={false} /> : null}
      {followUps ? <CollectionFollowUpsSection followUps={followUps} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
