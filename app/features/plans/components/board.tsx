import { Form, Link, useNavigation } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import type { Refusal } from "~/server/responses.server";
import { useKpiText } from "~/features/dashboard/components";
import { SelectField } from "~/ui/field";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { kpiDefinition, quarterLabel } from "~/features/kpi";
import { ITEM_STATUSES, PLAN_CATEGORIES, PLAN_CATEGORY_NAMES } from "~/features/plans/categories";
import { flaggedItemIds } from "~/features/plans/item-errors";
import type { loadBoard } from "~/features/plans/board.server";
import type { AssignConflict } from "~/features/plans/assign.server";
import { AssignForm } from "./assign-form";
import { PlanStateBadge } from "./plan-state-badge";
import { TrackBadge } from "./track-badge";
import { useScopeLabel } from "./use-scope-label";

type BoardData = SerializeFrom<typeof loadBoard>;
type BoardItem = BoardData["items"][number];

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
      {kpi.hidden ? <span className="plan-kpi__figures muted">{t(kpi.hidden)}</span> : null}
      {progress ? (
        <span className="meter" role="img" aria-label={t("plans.board.progressLabel", { percent: Math.round(progress.raw * 100) })}>
          <span className="meter__fill" style={{ width: `${Math.round(progress.bar * 100)}%` }} />
        </span>
      ) : null}
      <span className="plan-kpi__figures">
        {kpi.hidden ? "" : kpi.current !== null && kpi.current !== undefined ? t("plans.board.now", { value: text.value(kpi.current, definition.unit) }) : t("plans.board.noValue")}
        {kpi.target !== null ? `${kpi.hidden ? "" : " → "}${t("plans.board.target", { value: text.value(kpi.target, definition.unit) })}` : ` · ${t("plans.board.noTarget")}`}
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

/** The plan's board: figures, the head's forms, the items by category and the discussion. */
export function PlanBoard({ data, answer }: { data: BoardData; answer: Refusal | null }) {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const timeZone = useTimeZone();
  const navigation = useNavigation();
  const { plan, rollup, may } = data;
  const lang = i18n.language === "zh-CN" ? "zh" : "en";
  const label = quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth);
  // the board's action answers the assign intent only with a refusal carrying its conflicts
  const assignAnswer = answer && answer.intent === "assign" ? (answer as Refusal<AssignConflict[]>) : null;
  const refusal = answer && !assignAnswer ? answer : null;
  const flagged = flaggedItemIds(refusal?.fieldErrors);
  const refusalText = refusal ? t(refusal.message ?? "plans.error.checkFields") : null;
  const bodyError = refusal?.fieldErrors.body?.[0];
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
          {sentences(t, [refusalText, flagged.size > 0 && t("plans.board.flaggedBelow", { count: flagged.size })])}
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
              {bodyError ? <p className="field__error">{t(bodyError)}</p> : null}
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

