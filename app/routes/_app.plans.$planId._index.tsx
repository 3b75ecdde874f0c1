import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { useKpiText } from "~/features/dashboard/components/kpi-card";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { PlanStateBadge } from "~/features/plans/components/plan-state-badge";
import { TrackBadge } from "~/features/plans/components/track-badge";
import { useScopeLabel } from "~/features/plans/components/use-scope-label";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi/format";
import { kpiDefinition } from "~/features/kpi/register";
import { scopeText } from "~/features/kpi/scope";
import { can } from "~/kernel/permissions";
import { ITEM_STATUSES, PLAN_CATEGORIES, PLAN_CATEGORY_NAMES, isItemStatus } from "~/features/plans/categories";
import { canUpdateItem, dueDateWindow } from "~/features/plans/lifecycle";
import { isOverdue, quarterElapsed } from "~/features/plans/progress";
import { planDifferences } from "~/features/plans/diff";
import { scopeNames } from "~/features/kpi/queries/scope.server";
import { assignableOwners, latestSnapshot, listComments } from "~/features/plans/queries/plans.server";
import { addComment, planIdParam, planOr404, planProgress, quarterOfPlan, refusalData, transition } from "~/features/plans/plans.server";
import { assignItems } from "~/features/plans/assign.server";
import { formValues } from "~/features/plans/items.server";
import type { StoredItem } from "~/features/plans/queries/plans.server";
import { assignmentsFrom } from "~/features/plans/assign.schema";
import { type AssignAnswer, AssignForm } from "~/features/plans/components/assign-form";
import { planCommentsIn, planItemsIn, textIn } from "~/features/settings/index.server";
import { commentSchema, transitionSchema } from "~/features/plans/schema";
import plansStyles from "~/features/plans/components/plans.css";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { parseFormData } from "~/server/forms.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plansStyles }];
export const meta: MetaFunction = () => [{ title: "Plan · Quarterdeck" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const db = getDb();
  const day = today();
  const plan = await planOr404(db, params);
  const planId = plan.id;
  const progress = await planProgress(db, plan, day);
  const quarter = quarterOfPlan(plan);
  const url = new URL(request.url);
  const ownerFilter = url.searchParams.get("owner") ?? "";
  const statusFilter = url.searchParams.get("status") ?? "";
  const owners = new Map<number, string>();
  for (const item of plan.items) if (item.ownerId !== null) owners.set(item.ownerId, item.ownerName ?? "");
  const shown = await planItemsIn(db, plan.items, user.locale);
  const items = shown
    .filter((item) => ownerFilter === "" || (ownerFilter === "none" ? item.ownerId === null : String(item.ownerId) === ownerFilter))
    .filter((item) => !isItemStatus(statusFilter) || item.status === statusFilter)
    .map((item) => ({
      id: item.id,
      title: item.title,
      category: item.category,
      ownerName: item.ownerName,
      dueDate: item.dueDate,
      status: item.status,
      blockedReason: item.blockedReason,
      outcome: item.outcome,
      overdue: plan.state === "approved" && isOverdue(item, day),
      customers: item.customers,
      carriedOver: item.carriedOverFrom !== null,
      kpi: item.kpiLink && {
        key: item.kpiLink.kpi,
        scope: scopeText(item.kpiLink.scope),
        target: item.kpiLink.target,
        ...progress.items[item.id],
      },
      canUpdate: canUpdateItem(user, item),
    }));
  const snapshot = plan.approvedVersion > 0 ? await latestSnapshot(db, planId) : null;
  const editing = plan.state === "draft" || plan.state === "returned";
  const mayAssign = can(user, "plan:edit") && (editing || plan.state === "approved");
  const assigned = Number(url.searchParams.get("assigned"));
  return {
    plan: {
      id: plan.id,
      fiscalYear: plan.fiscalYear,
      quarter: plan.quarter,
      fiscalStartMonth: plan.fiscalStartMonth,
      state: plan.state,
      version: plan.version,
      approvedVersion: plan.approvedVersion,
      returnComment: plan.returnComment,
      reviewNote: await textIn(db, "plan", plan.id, "review_note", plan.reviewNote, user.locale),
      itemCount: plan.items.length,
    },
    quarter,
    window: dueDateWindow(plan),
    elapsed: quarterElapsed(quarter, day),
    begun: day >= quarter.start,
    measuredOn: progress.measuredOn,
    rollup: progress.rollup,
    items,
    owners: [...owners].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    filters: { owner: ownerFilter, status: isItemStatus(statusFilter) ? statusFilter : "" },
    comments: await planCommentsIn(db, await listComments(db, planId, null), user.locale),
    scopeNames: await scopeNames(db, plan.items.flatMap((item) => (item.kpiLink ? [item.kpiLink.scope] : []))),
    // The head's one-form assignment of owners and due dates: every live item, whatever the filters.
    assign: mayAssign
      ? {
          rows: plan.items
            .filter((item) => item.status !== "cancelled")
            .sort((a, b) => PLAN_CATEGORIES.indexOf(a.category) - PLAN_CATEGORIES.indexOf(b.category) || a.position - b.position || a.id - b.id)
            .map((item) => ({ id: item.id, title: item.title, category: item.category, ownerId: item.ownerId, dueDate: item.dueDate, version: item.version })),
          owners: (await assignableOwners(db)).map((owner) => ({ id: owner.id, name: owner.name })),
          saved: url.searchParams.has("assigned") && Number.isInteger(assigned) && assigned >= 0 ? assigned : null,
        }
      : null,
    changedSinceApproval: snapshot !== null && plan.state !== "closed" && planDifferences(snapshot.plan.items, plan.items).length > 0,
    may: {
      edit: can(user, "plan:edit") && (editing || plan.state === "approved"),
      addItem: can(user, "plan:edit") && (editing || plan.state === "approved"),
      submit: can(user, "plan:edit") && editing,
      decide: can(user, "plan:approve") && plan.state === "submitted",
      close: can(user, "plan:edit") && plan.state === "approved" && day > quarter.end,
      comment: can(user, "plan:comment"),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const planId = planIdParam(params);
  const formData = await request.formData();
  const db = getDb();
  try {
    if (formData.get("intent") === "assign") {
      const parsed = assignmentsFrom(formData);
      if (!parsed.ok) return data(assignRefusal("plans.error.checkFields", parsed.fieldErrors, formData), { status: 400 });
      try {
        const { saved } = await assignItems(db, user, planId, parsed, today());
        return redirect(`/plans/${planId}?assigned=${saved}#assign`);
      } catch (error) {
        const refused = refusalData(error);
        return data(assignRefusal(refused.body.error, refused.body.fieldErrors, formData, refused.body.conflicts), { status: refused.status });
      }
    }
    if (formData.get("intent") === "comment") {
      const parsed = parseFormData(formData, commentSchema);
      if (!parsed.ok) return parsed.response;
      await addComment(db, user, planId, null, "comment", parsed.value.body);
      return redirect(`/plans/${planId}#discussion`);
    }
    const parsed = parseFormData(formData, transitionSchema);
    if (!parsed.ok) return parsed.response;
    const { intent, version, comment } = parsed.value;
    const action =
      intent === "submit"
        ? ({ type: "submit" } as const)
        : intent === "approve"
          ? ({ type: "approve", comment } as const)
          : ({ type: "return", comment } as const);
    await transition(db, user, planId, version, action, today());
    return redirect(`/plans/${planId}`);
  } catch (error) {
    const refused = refusalData(error);
    return data(refused.body, { status: refused.status });
  }
}

/** The assignment form's answer: kept apart from the board's other refusals, it is shown in the form. */
function assignRefusal(error: string, fieldErrors: Record<string, string[] | undefined>, formData: FormData, conflicts: StoredItem[] = []): AssignAnswer {
  return {
    ok: false,
    intent: "assign",
    error,
    fieldErrors,
    conflicts: conflicts.map((item) => ({ id: item.id, version: item.version, ownerId: item.ownerId, ownerName: item.ownerName, dueDate: item.dueDate })),
    submitted: formValues(formData),
  };
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type BoardItem = LoaderData["items"][number];

function KpiCell({ item, names }: { item: BoardItem; names: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const scopeLabel = useScopeLabel(names);
  const text = useKpiText();
  const kpi = item.kpi;
  if (!kpi) return <span className="muted">—</span>;
  const definition = kpiDefinition(kpi.key);
  const lang = i18n.language === "zh-CN" ? "zh" : "en";
  const progress = kpi.progress;
  return (
    <div className="plan-kpi">
      <span className="plan-kpi__name">
        {definition.name[lang]} <span className="muted">· {scopeLabel(kpi.scope)}</span>
      </span>
      {progress ? (
        <span className="meter" role="img" aria-label={t("plans.board.progressLabel", { percent: Math.round(progress.raw * 100) })}>
          <span className="meter__fill" style={{ width: `${Math.round(progress.bar * 100)}%` }} />
        </span>
      ) : null}
      <span className="plan-kpi__figures">
        {kpi.current !== null && kpi.current !== undefined ? t("plans.board.now", { value: text.value(kpi.current, definition.unit) }) : t("plans.board.noValue")}
        {kpi.target !== null ? ` → ${t("plans.board.target", { value: text.value(kpi.target, definition.unit) })}` : ` · ${t("plans.board.noTarget")}`}
        {progress ? ` · ${Math.round(progress.raw * 100)}%` : ""}
      </span>
      {kpi.track ? <TrackBadge track={kpi.track} /> : null}
    </div>
  );
}

function ItemRows({ items, planId, flagged, names }: { items: BoardItem[]; planId: number; flagged: Set<number>; names: Record<string, string> }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <>
      {items.map((item) => (
        <tr key={item.id} id={`item-${item.id}`} className={flagged.has(item.id) ? "row--flagged" : undefined}>
          <th scope="row" className="plan-item__title">
            <Link to={`/plans/${planId}/items/${item.id}`}>{item.title}</Link>
            {item.carriedOver ? <span className="badge badge--muted badge--inline">{t("plans.board.carriedOver")}</span> : null}
            {flagged.has(item.id) ? <span className="visually-hidden"> ({t("plans.board.needsAttention")})</span> : null}
          </th>
          <td>{item.ownerName ?? <span className="badge badge--warn">{t("plans.board.noOwner")}</span>}</td>
          <td className="nowrap">
            {item.dueDate ? formatDate(item.dueDate) : <span className="muted">—</span>}
            {item.overdue ? <span className="badge badge--bad badge--inline">{t("plans.board.overdue")}</span> : null}
          </td>
          <td>
            <span className={`badge item-status item-status--${item.status}`}>{t(`plans.status.${item.status}`)}</span>
            {item.outcome ? <span className="badge badge--muted badge--inline">{t(`plans.outcome.${item.outcome}`)}</span> : null}
            {item.status === "blocked" && item.blockedReason ? <div className="muted small">{item.blockedReason}</div> : null}
          </td>
          <td>
            <KpiCell item={item} names={names} />
          </td>
        </tr>
      ))}
    </>
  );
}

function DecisionForms({ version }: { version: number }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section className="card plan-decision" aria-labelledby="decision">
      <h2 id="decision">{t("plans.decide.title")}</h2>
      <Form method="post" className="form-grid">
        <input type="hidden" name="version" value={version} />
        <div className="field">
          <label htmlFor="decision-comment">{t("plans.decide.comment")}</label>
          <textarea id="decision-comment" name="comment" rows={3} aria-describedby="decision-help" />
          <p className="field__help" id="decision-help">
            {t("plans.decide.commentHelp")}
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" name="intent" value="approve" className="button button--primary" disabled={busy}>
            {t("plans.decide.approve")}
          </button>
          <button type="submit" name="intent" value="return" className="button" disabled={busy}>
            {t("plans.decide.return")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export default function PlanBoard() {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const timeZone = useTimeZone();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { plan, rollup, may } = data;
  const lang = i18n.language === "zh-CN" ? "zh" : "en";
  const label = quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth);
  const assignAnswer = actionData && !actionData.ok && "intent" in actionData && actionData.intent === "assign" ? (actionData as AssignAnswer) : null;
  const refusal = actionData && !actionData.ok && !assignAnswer ? actionData : null;
  const flagged = new Set<number>(refusal && "itemIds" in refusal ? (refusal.itemIds as number[]) : []);
  const refusalText =
    refusal && "error" in refusal ? t(refusal.error as string) : refusal && "fieldErrors" in refusal ? t("plans.error.checkFields") : null;
  const filtered = data.filters.owner !== "" || data.filters.status !== "";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/plans">{t("plans.title")}</Link>
      </p>
      <div className="page-head plan-head">
        <h1>{t("plans.board.title", { quarter: label })}</h1>
        <PlanStateBadge state={plan.state} />
        {plan.approvedVersion > 0 ? (
          <Link to={`/plans/${plan.id}/approved`} className="plan-head__link">
            {data.changedSinceApproval ? t("plans.board.changedSinceApproval") : t("plans.board.approvedVersion", { version: plan.approvedVersion })}
          </Link>
        ) : null}
      </div>
      <p className="muted">
        {t("plans.board.quarterSpan", { start: formatDate(data.quarter.start), end: formatDate(data.quarter.end) })} ·{" "}
        {t("plans.board.measuredOn", { date: formatDate(data.measuredOn) })}
      </p>
      {data.begun ? null : <p className="alert alert--warn">{t("plans.board.notBegun", { date: formatDate(data.quarter.start) })}</p>}

      {refusalText ? (
        <p className="alert alert--error" role="alert">
          {refusalText}
          {flagged.size > 0 ? ` ${t("plans.board.flaggedBelow", { count: flagged.size })}` : null}
        </p>
      ) : null}
      {plan.state === "returned" && plan.returnComment ? (
        <div className="alert alert--warn" role="status">
          <strong>{t("plans.board.returned")}</strong> {plan.returnComment}
        </div>
      ) : null}
      {plan.state === "closed" && plan.reviewNote ? (
        <div className="alert alert--success">
          <strong>{t("plans.board.reviewNote")}</strong> {plan.reviewNote}
        </div>
      ) : null}

      <dl className="stat-grid plan-stats">
        <div className="stat">
          <dt className="stat__label">{t("plans.board.itemsDone")}</dt>
          <dd className="stat__value">
            {rollup.done} / {rollup.total}
          </dd>
          <dd className="stat__note">
            <span className="meter" role="img" aria-label={t("plans.list.doneShare", { done: rollup.done, total: rollup.total })}>
              <span className="meter__fill" style={{ width: `${rollup.total === 0 ? 0 : Math.round((rollup.done / rollup.total) * 100)}%` }} />
            </span>
          </dd>
        </div>
        <div className="stat">
          <dt className="stat__label">{t("plans.board.kpiOnTrack")}</dt>
          <dd className="stat__value">
            {rollup.kpiOnTrack} / {rollup.kpiLinked}
          </dd>
          <dd className="stat__note">{t("plans.board.kpiOnTrackNote")}</dd>
        </div>
        <div className="stat">
          <dt className="stat__label">{t("plans.board.elapsed")}</dt>
          <dd className="stat__value">{Math.round(data.elapsed * 100)}%</dd>
          <dd className="stat__note">
            <span className="meter" role="img" aria-label={t("plans.board.elapsedLabel", { percent: Math.round(data.elapsed * 100) })}>
              <span className="meter__fill meter__fill--time" style={{ width: `${Math.round(data.elapsed * 100)}%` }} />
            </span>
          </dd>
        </div>
      </dl>

      <div className="plan-actions">
        {may.addItem ? (
          <Link to={`/plans/${plan.id}/items/new`} className="button">
            {t("plans.board.addItem")}
          </Link>
        ) : null}
        {may.submit ? (
          <Form method="post">
            <input type="hidden" name="version" value={plan.version} />
            <button type="submit" name="intent" value="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("plans.board.submit")}
            </button>
          </Form>
        ) : null}
        {may.close ? (
          <Link to={`/plans/${plan.id}/close`} className="button button--primary">
            {t("plans.board.close")}
          </Link>
        ) : null}
        {plan.state === "submitted" && !may.decide ? <p className="muted">{t("plans.board.awaitingApproval")}</p> : null}
      </div>

      {may.decide ? <DecisionForms version={plan.version} /> : null}

      {data.assign ? (
        <AssignForm
          rows={data.assign.rows}
          owners={data.assign.owners}
          window={data.window}
          approved={plan.state === "approved"}
          answer={assignAnswer}
          saved={data.assign.saved}
        />
      ) : null}

      <Form method="get" className="filters plan-filters" aria-label={t("plans.board.filters")}>
        <div className="filters__fields">
          <SelectField label={t("plans.board.owner")} name="owner" defaultValue={data.filters.owner}>
            <option value="">{t("plans.board.allOwners")}</option>
            <option value="none">{t("plans.board.noOwner")}</option>
            {data.owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("plans.board.status")} name="status" defaultValue={data.filters.status}>
            <option value="">{t("plans.board.allStatuses")}</option>
            {ITEM_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`plans.status.${status}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button">
            {t("plans.board.apply")}
          </button>
          {filtered ? <Link to={`/plans/${plan.id}`}>{t("plans.board.clear")}</Link> : null}
        </div>
      </Form>

      {plan.itemCount === 0 ? <p className="panel__empty card">{t("plans.board.empty")}</p> : null}
      {PLAN_CATEGORIES.map((category) => {
        const items = data.items.filter((item) => item.category === category);
        if (items.length === 0) return null;
        const count = rollup.byCategory[category];
        return (
          <section key={category} className="card plan-category" aria-labelledby={`cat-${category}`}>
            <div className="section__head">
              <h2 id={`cat-${category}`}>{PLAN_CATEGORY_NAMES[category][lang]}</h2>
              <span className="muted">{t("plans.board.categoryDone", { done: count.done, total: count.total })}</span>
            </div>
            <div className="table-wrap">
              <table className="ledger-table plan-table">
                <thead>
                  <tr>
                    <th scope="col">{t("plans.board.item")}</th>
                    <th scope="col">{t("plans.board.owner")}</th>
                    <th scope="col">{t("plans.board.due")}</th>
                    <th scope="col">{t("plans.board.status")}</th>
                    <th scope="col">{t("plans.board.kpi")}</th>
                  </tr>
                </thead>
                <tbody>
                  <ItemRows items={items} planId={plan.id} flagged={flagged} names={data.scopeNames} />
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
      {filtered && data.items.length === 0 && plan.itemCount > 0 ? <p className="panel__empty">{t("plans.board.noMatch")}</p> : null}

      <section className="card" id="discussion" aria-labelledby="discussion-title">
        <h2 id="discussion-title">{t("plans.board.discussion")}</h2>
        {data.comments.length === 0 ? <p className="muted">{t("plans.board.noComments")}</p> : null}
        <ol className="comment-list">
          {data.comments.map((comment) => (
            <li key={comment.id}>
              <p className="comment-list__meta">
                <strong>{comment.authorName ?? "—"}</strong> · {formatDateTime(comment.createdAt, locale, timeZone)}
              </p>
              <p className="comment-list__body">{comment.body}</p>
            </li>
          ))}
        </ol>
        {may.comment ? (
          // A new comment on the list draws a fresh, empty form: posting twice takes retyping.
          <Form method="post" className="form-grid" key={`comment-after-${data.comments.length}`}>
            <input type="hidden" name="intent" value="comment" />
            <div className="field">
              <label htmlFor="plan-comment">{t("plans.board.addComment")}</label>
              <textarea id="plan-comment" name="body" rows={2} required maxLength={2000} />
              {refusal && "fieldErrors" in refusal && (refusal.fieldErrors as Record<string, string[]>).body ? (
                <p className="field__error">{t((refusal.fieldErrors as Record<string, string[]>).body[0])}</p>
              ) : null}
            </div>
            <div className="form-actions">
              <button type="submit" className="button">
                {t("plans.board.postComment")}
              </button>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
