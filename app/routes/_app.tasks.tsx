import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { collectionFollowUps } from "~/features/credit/collections/collections.server";
import { CollectionFollowUpsSection } from "~/features/credit/collections/components/collection-actions";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { KpiProgress } from "~/features/plans/components/kpi-progress";
import { type ItemRefusal, NoteForm, StatusBadge, StatusForm } from "~/features/plans/components/status-form";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi/format";
import { can } from "~/kernel/permissions";
import { isOpenStatus } from "~/features/plans/categories";
import { isOverdue, sortMyTasks } from "~/features/plans/progress";
import { planItemsIn } from "~/features/settings/index.server";
import { type TaskRow, itemsOwnedBy } from "~/features/plans/queries/plans.server";
import { itemKpiView, refusal, statusOrNoteAction, today } from "~/features/plans/items.server";
import { KpiReader } from "~/features/plans/plans.server";
import itemStyles from "~/features/plans/components/items.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: itemStyles }];
export const meta: MetaFunction = () => [{ title: "My tasks · Quarterdeck" }];

async function ownedTasks(userId: number): Promise<TaskRow[]> {
  return itemsOwnedBy(getDb(), userId, ["approved", "closed"]);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const db = getDb();
  const day = today();
  // Leadership owns no items: the page says so instead of refusing.
  const ownsItems = can(user, "plan-item:update", { ownerId: user.id });
  const rows = ownsItems ? await planItemsIn(db, await ownedTasks(user.id), user.locale) : [];
  const reader = new KpiReader(db);
  const view = async (row: TaskRow) => ({
    id: row.id,
    planId: row.planId,
    title: row.title,
    // Named and dated as the plan was made, whatever the fiscal start month is today.
    plan: row.plan,
    dueDate: row.dueDate,
    status: row.status,
    blockedReason: row.blockedReason,
    version: row.version,
    overdue: row.planState === "approved" && isOverdue(row, day),
    kpiLink: row.kpiLink,
    kpi: row.planState === "approved" ? await itemKpiView(reader, row.plan, row, day) : null,
  });
  const open = sortMyTasks(
    rows.filter((row) => row.planState === "approved" && isOpenStatus(row.status)),
    day
  );
  const finished = sortMyTasks(
    rows.filter(
      (row) =>
        !isOpenStatus(row.status) &&
        (row.planState === "approved" || (row.plan.start <= day && day <= row.plan.end))
    ),
    day
  );
  return {
    ownsItems,
    canCancel: can(user, "plan:edit"),
    open: await Promise.all(open.map(view)),
    finished: await Promise.all(finished.map(view)),
    // Promises and instalments to chase on the user's own customers (null for leaders).
    followUps: await collectionFollowUps(db, user, day),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent !== "set-status" && intent !== "note") return refusal(400, intent, formData, { message: "plans.validation.invalid" });
  return statusOrNoteAction(getDb(), user, formData, { planId: null, itemId: null, back: "/tasks" });
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
          {t("planItems.tasks.plan")}:{" "}
          <Link to={`/plans/${task.planId}`}>{quarterLabel(task.plan.fiscalYear, task.plan.quarter, locale, task.plan.fiscalStartMonth)}</Link>
        </span>
        <span className={task.overdue ? "task__overdue" : undefined}>
          {t("planItems.form.dueDate")}: {task.dueDate ? formatDate(task.dueDate) : t("planItems.item.noDueDate")}
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
  const { ownsItems, canCancel, open, finished, followUps } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const refusalFor = (id: number) => (actionData && !actionData.ok && actionData.itemId === id ? (actionData as ItemRefusal) : null);
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
          {actionData && !actionData.ok && actionData.itemId === null && actionData.message ? (
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
      {followUps ? <CollectionFollowUpsSection followUps={followUps} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
