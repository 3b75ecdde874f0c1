import { Form, Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { useTranslation } from "react-i18next";

import type { Refusal } from "~/server/responses.server";
import { TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { ReviewPlanLink } from "~/features/credit/review/components";
import { quarterLabel } from "~/features/kpi";
import { PLAN_CATEGORY_NAMES } from "~/features/plans/categories";
import { commentSchema } from "~/features/plans/schema";
import type { loadItemPage } from "~/features/plans/item-page.server";
import { ItemHistory } from "./history";
import { ItemForm, type ItemFormValues, itemFormValues } from "./item-form";
import { KpiProgress } from "./kpi-progress";
import { type ItemRefusal, NoteForm, StatusBadge, StatusForm } from "./status-form";

function CommentForm({ serverError }: { serverError?: string }) {
  const { t } = useTranslation();
  const { register, onSubmit, formState } = useValidatedForm(commentSchema, { intent: "comment", body: "" });
  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="note-form">
      <input type="hidden" value="comment" {...register("intent")} />
      <TextField label={t("planItems.comments.label")} autoComplete="off" error={formState.errors.body?.message ?? serverError} {...register("body")} />
      <button type="submit" className="button">
        {t("planItems.comments.add")}
      </button>
    </Form>
  );
}

type ItemPageData = SerializeFrom<typeof loadItemPage>;

/** An item's own page: its facts, status, KPI (and its forecast, drawn by the forecast feature), notes, discussion, edit form and history. */
export function ItemPage({ data, answer, projection = null }: { data: ItemPageData; answer: Refusal<ItemPageData["item"]> | null; projection?: React.ReactNode }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const language = locale === "zh-CN" ? "zh" : "en";
  const formatDate = useFormatDate();
  const timeZone = useTimeZone();
  const { plan, item, overdue, kpi, comments, history, may, owners, scopeChoices, currentScope, scopeNames: names, dueWindow, creditReview } = data;
  const quarter = quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth);
  const here = `/plans/${plan.id}/items/${item.id}`;
  const notes = comments.filter((comment) => comment.kind === "note");
  const discussion = comments.filter((comment) => comment.kind === "comment");
  const editAnswer = answer?.intent === "update-item" ? answer : null;
  const editDefaults: ItemFormValues = editAnswer ? { ...itemFormValues(item), ...editAnswer.submitted } : itemFormValues(item);
  const conflict =
    editAnswer?.current && editAnswer.current.version
      ? { theirs: itemFormValues(editAnswer.current), yours: editAnswer.submitted, version: editAnswer.current.version }
      : null;
  const shownError = answer && !["set-status", "note"].includes(answer.intent ?? "") && answer.message ? answer.message : null;

  return (
    <>
      <nav aria-label={t("planItems.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/plans">{t("plans.title")}</Link>
          </li>
          <li>
            <Link to={`/plans/${plan.id}#item-${item.id}`}>{quarter}</Link>
          </li>
          <li aria-current="page">{item.title}</li>
        </ol>
      </nav>
      <div className="page-head">
        <h1>{item.title}</h1>
        <StatusBadge status={item.status} />
        {overdue ? <span className="badge badge--bad">{t("planItems.overdue")}</span> : null}
      </div>
      {shownError ? (
        <p className="alert alert--error" role="alert">
          {t(shownError)}
        </p>
      ) : null}

      <section className="card" aria-labelledby="item-facts">
        <h2 id="item-facts">{t("planItems.item.facts")}</h2>
        <dl className="item-facts">
          <dt>{t("planItems.form.category")}</dt>
          <dd>{PLAN_CATEGORY_NAMES[item.category][language]}</dd>
          <dt>{t("planItems.form.ownerId")}</dt>
          <dd>{item.ownerName ?? <span className="muted">{t("planItems.form.noOwner")}</span>}</dd>
          <dt>{t("planItems.form.dueDate")}</dt>
          <dd>
            {item.dueDate ? formatDate(item.dueDate) : <span className="muted">{t("planItems.item.noDueDate")}</span>}
            {overdue ? <span className="task__overdue"> · {t("planItems.overdue")}</span> : null}
          </dd>
          <dt>{t("planItems.item.plan")}</dt>
          <dd>
            <Link to={`/plans/${plan.id}`}>{quarter}</Link> · {t(`plans.state.${plan.state}`, { defaultValue: plan.state })}
          </dd>
          {item.status === "blocked" && item.blockedReason ? (
            <>
              <dt>{t("planItems.item.blockedReason")}</dt>
              <dd>{item.blockedReason}</dd>
            </>
          ) : null}
          <dt>{t("planItems.form.customers")}</dt>
          <dd>
            {item.customers.length === 0 ? (
              <span className="muted">{t("planItems.item.noCustomers")}</span>
            ) : (
              item.customers.map((code, index) => (
                <span key={code}>
                  {index > 0 ? ", " : null}
                  <Link to={`/customers/${encodeURIComponent(code)}`}>{code}</Link>
                </span>
              ))
            )}
          </dd>
          <dt>{t("planItems.form.description")}</dt>
          <dd className="item-description">{item.description || <span className="muted">{t("planItems.item.noDescription")}</span>}</dd>
        </dl>
      </section>

      <section className="card" aria-labelledby="item-status">
        <h2 id="item-status">{t("planItems.status.heading")}</h2>
        {may.updateStatus ? (
          <StatusForm
            item={item}
            canCancel={may.cancel}
            redirectTo={here}
            // a refusal of the set-status intent is an ItemRefusal (the action's answer type is their union)
            refusal={answer?.intent === "set-status" ? (answer as unknown as ItemRefusal) : null}
          />
        ) : (
          <p>
            <StatusBadge status={item.status} />{" "}
            {item.status === "blocked" && item.blockedReason ? t("planItems.status.blockedBecause", { reason: item.blockedReason }) : null}
            {canUpdateHint(may, plan.state) ? <span className="muted"> {t("item.error.planNotApproved")}</span> : null}
          </p>
        )}
      </section>

      {item.kpiLink && kpi ? (
        <section className="card" aria-labelledby="item-kpi">
          <h2 id="item-kpi">{t("planItems.kpi.heading")}</h2>
          <KpiProgress link={item.kpiLink} {...kpi} scopeNames={names} />
          {projection}
          {(item.kpiLink.kpi === "overdue_total" || item.kpiLink.kpi === "dso") && item.kpiLink.target !== null ? (
            <p>
              <a href={`/forecast/push?item=${item.id}`}>{t("planItems.kpi.push")}</a>
            </p>
          ) : null}
        </section>
      ) : null}

      {creditReview ? <ReviewPlanLink review={creditReview.review} fiscalStartMonth={creditReview.fiscalStartMonth} /> : null}

      <section className="card" aria-labelledby="item-notes">
        <h2 id="item-notes">{t("planItems.note.heading")}</h2>
        <CommentList entries={notes} empty={t("planItems.note.none")} locale={locale} timeZone={timeZone} />
        {/* A refusal of the note intent is an ItemRefusal (the action's answer type is their union). */}
        {may.note ? <NoteForm item={item} redirectTo={here} refusal={answer?.intent === "note" ? (answer as unknown as ItemRefusal) : null} /> : null}
      </section>

      <section className="card" aria-labelledby="comments-heading" id="comments">
        <h2 id="comments-heading">{t("planItems.comments.heading")}</h2>
        <CommentList entries={discussion} empty={t("planItems.comments.none")} locale={locale} timeZone={timeZone} />
        {may.comment ? (
          // Keyed by the number of comments: once the new one is listed the box is empty again.
          <CommentForm key={`comment-after-${discussion.length}`} serverError={answer?.intent === "comment" ? answer.fieldErrors.body?.[0] : undefined} />
        ) : null}
      </section>

      {may.edit ? (
        <section className="card" aria-labelledby="item-edit">
          <h2 id="item-edit">{t("planItems.edit.heading")}</h2>
          <ItemForm
            key={conflict ? `conflict-${conflict.version}` : "edit"}
            mode="edit"
            defaults={editDefaults}
            version={item.version}
            planApproved={plan.state === "approved"}
            owners={owners}
            scopeChoices={scopeChoices}
            currentScope={currentScope}
            dueWindow={dueWindow}
            serverErrors={editAnswer?.fieldErrors}
            conflict={conflict}
          />
          {may.delete ? (
            <Form method="post" className="form-actions">
              <input type="hidden" name="intent" value="delete-item" />
              <input type="hidden" name="version" value={item.version} />
              <button type="submit" className="button button--danger">
                {t("planItems.edit.delete")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <section className="card" aria-labelledby="item-history">
        <h2 id="item-history">{t("planItems.history.heading")}</h2>
        <ItemHistory entries={history} scopeNames={names} />
      </section>
    </>
  );
}

function canUpdateHint(may: { note: boolean; updateStatus: boolean }, state: string): boolean {
  return may.note && !may.updateStatus && state !== "closed";
}

function CommentList({
  entries,
  empty,
  locale,
  timeZone,
}: {
  entries: { id: number; body: string; authorName: string | null; createdAt: string }[];
  empty: string;
  locale: "en" | "zh-CN";
  timeZone: string;
}) {
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="comment-list">
      {entries.map((entry) => (
        <li key={entry.id}>
          <p className="comment-list__meta">
            {entry.authorName ?? "—"} · <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, locale, timeZone)}</time>
          </p>
          <p className="comment-list__body">{entry.body}</p>
        </li>
      ))}
    </ul>
  );
}

