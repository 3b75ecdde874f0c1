import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import { useKpiText } from "~/features/dashboard/components";
import { AgingChart, CollectionChart, DsoOverdueChart } from "~/features/dashboard/components";
import { Amount } from "~/ui/amount";
import { useScopeLabel } from "~/features/plans/components";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import { quarterLabel } from "~/features/kpi";
import { isKpiKey, kpiDefinition } from "~/features/kpi";
import { PLAN_CATEGORY_NAMES } from "~/features/plans";
import type { Mover, OverdueChange, ProposedItem, ReviewItem, ReviewItemKpi, UnfinishedItem } from "~/features/year-review/year-review";
import { targetMet } from "~/features/year-review/year-review";
import type { QuarterFigures, YearReview } from "~/features/year-review/year-review.server";

/*
 * The four sections of the year-end review, laid out like the seed's 逾期账款管理评审工作总结.
 * Every figure the browser test checks carries its exact value in a data attribute
 * (`data-minor` in minor units, `data-date` the as-of date).
 */

type Review = YearReview;

function useLang(): "en" | "zh" {
  return useLocale() === "zh-CN" ? "zh" : "en";
}

function useQuarterName(review: Pick<Review, "dates" | "fiscalStartMonth">) {
  const locale = useLocale();
  return (quarter: number) => quarterLabel(review.dates.fiscalYear, quarter, locale, review.fiscalStartMonth);
}

export function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="review-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

function Percent({ value }: { value: number | null }) {
  const { t } = useTranslation();
  const text = useKpiText();
  return <>{value === null ? t("ledger.none") : text.value(value, "ratio")}</>;
}

// ---------------------------------------------------------------- (1)

/** An amount, or a dash with "no ledger data" for a date before the ledger begins. */
function KnownAmount({ minor }: { minor: number | null }) {
  const { t } = useTranslation();
  return minor === null ? <span title={t("review.overdue.noData")}>{t("ledger.none")}</span> : <Amount minor={minor} />;
}

function OverdueRow({ change, label }: { change: OverdueChange; label: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <tr data-fiscal-year={change.fiscalYear}>
      <th scope="row" className="cell--title">
        {label}
      </th>
      <td className="num" data-overdue="start" data-date={change.from} data-minor={change.atStart ?? undefined} data-label={t("review.overdue.atStart")}>
        <KnownAmount minor={change.atStart} />
        <div className="muted small">{formatDate(change.from)}</div>
      </td>
      <td className="num" data-overdue="end" data-date={change.to} data-minor={change.atEnd ?? undefined} data-label={t("review.overdue.atEnd")}>
        <KnownAmount minor={change.atEnd} />
        <div className="muted small">{formatDate(change.to)}</div>
      </td>
      <td className="num" data-overdue="reduction" data-minor={change.reduction ?? undefined} data-label={t("review.overdue.reduction")}>
        <KnownAmount minor={change.reduction} />
      </td>
      <td className="num" data-label={t("review.overdue.reductionRate")}>
        <Percent value={change.reductionRate} />
      </td>
    </tr>
  );
}

export function OverdueSummary({ review }: { review: Review }) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  const { year, previousYear, againstPreviousYear } = review.receivables.overdue;
  const { dates } = review;
  const { ledgerStart } = review.receivables;
  const thisYear =
    year.atStart === null || year.atEnd === null || year.reduction === null
      ? t("review.overdue.sentence_noOpening", {
          year: dates.fiscalYear,
          startDate: formatDate(year.from),
          ledgerStart: ledgerStart === null ? t("ledger.none") : formatDate(ledgerStart),
          end: year.atEnd === null ? t("ledger.none") : formatAmount(year.atEnd),
          endDate: formatDate(year.to),
        })
      : t(`review.overdue.sentence_${year.reduction >= 0 ? "down" : "up"}`, {
          year: dates.fiscalYear,
          start: formatAmount(year.atStart),
          startDate: formatDate(year.from),
          end: formatAmount(year.atEnd),
          endDate: formatDate(year.to),
          change: formatAmount(Math.abs(year.reduction)),
        });
  const yearBefore =
    againstPreviousYear === null || previousYear.reduction === null
      ? year.reduction === null
        ? ""
        : t("review.overdue.noYearBefore", { previous: dates.fiscalYear - 1 })
      : t(againstPreviousYear >= 0 ? "review.overdue.betterThanBefore" : "review.overdue.worseThanBefore", {
          previous: dates.fiscalYear - 1,
          change: formatAmount(Math.abs(previousYear.reduction)),
          direction: previousYear.reduction >= 0 ? t("review.overdue.fell") : t("review.overdue.rose"),
        });
  return (
    <>
      <p className="review-lead" data-testid="overdue-sentence" data-opening={year.atStart === null ? "missing" : "known"}>
        {sentences(t, [thisYear, yearBefore])}
      </p>
      <TableWrap label={t("review.overdue.title")}>
        <table className="ledger-table review-table stack-table" data-table="overdue">
          <caption>{t("review.overdue.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("review.overdue.year")}</th>
              <th scope="col" className="num">{t("review.overdue.atStart")}</th>
              <th scope="col" className="num">{t("review.overdue.atEnd")}</th>
              <th scope="col" className="num">{t("review.overdue.reduction")}</th>
              <th scope="col" className="num">{t("review.overdue.reductionRate")}</th>
            </tr>
          </thead>
          <tbody>
            <OverdueRow change={year} label={t("review.overdue.thisYear", { year: year.fiscalYear })} />
            <OverdueRow change={previousYear} label={t("review.overdue.yearBefore", { year: previousYear.fiscalYear })} />
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}

export function QuarterTable({ review }: { review: Review }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const text = useKpiText();
  const quarterName = useQuarterName(review);
  const value = (v: number | null, unit: "days" | "ratio" | "percent") => (v === null ? t("ledger.none") : text.value(v, unit));
  return (
    <TableWrap label={t("review.quarters.title")}>
      <table className="ledger-table review-table stack-table" data-table="quarters">
        <caption>{t("review.quarters.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("review.quarters.quarter")}</th>
            <th scope="col">{t("review.quarters.asOf")}</th>
            <th scope="col" className="num">{t("review.quarters.dso")}</th>
            <th scope="col" className="num">{t("review.quarters.dsoCountback")}</th>
            <th scope="col" className="num">{t("review.quarters.collectionRate")}</th>
            <th scope="col" className="num">{t("review.quarters.cei")}</th>
            <th scope="col" className="num">{t("review.quarters.overdue")}</th>
            <th scope="col" className="num">{t("review.quarters.billed")}</th>
            <th scope="col" className="num">{t("review.quarters.collected")}</th>
          </tr>
        </thead>
        <tbody>
          {review.receivables.quarters.map((q: QuarterFigures) => (
            <tr key={q.quarter}>
              <th scope="row" className="nowrap cell--title">
                {quarterName(q.quarter)}
              </th>
              <td className="nowrap cell--title">
                {formatDate(q.date)}
                {q.partial ? <div className="muted small">{t("review.toDate")}</div> : null}
              </td>
              <td className="num" data-label={t("review.quarters.dso")}>
                {value(q.dso, "days")}
              </td>
              <td className="num" data-label={t("review.quarters.dsoCountback")}>
                {value(q.dsoCountback, "days")}
              </td>
              <td className="num" data-label={t("review.quarters.collectionRate")}>
                {value(q.collectionRate, "ratio")}
              </td>
              <td className="num" data-label={t("review.quarters.cei")}>
                {value(q.cei, "percent")}
              </td>
              <td className="num" data-minor={q.overdueTotal} data-date={q.date} data-label={t("review.quarters.overdue")}>
                <Amount minor={q.overdueTotal} />
              </td>
              <td className="num" data-label={t("review.quarters.billed")}>
                <Amount minor={q.billed} />
              </td>
              <td className="num" data-label={t("review.quarters.collected")}>
                <Amount minor={q.collected} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function Charts({ review }: { review: Review }) {
  const { receivables } = review;
  return (
    <div className="review-charts">
      <DsoOverdueChart points={receivables.monthly} />
      <AgingChart points={receivables.agingByQuarter} />
      <CollectionChart points={receivables.quarters} fiscalStartMonth={review.fiscalStartMonth} />
    </div>
  );
}

export function MoverTable({ movers, title, kind }: { movers: Mover[]; title: string; kind: "fell" | "rose" }) {
  const { t } = useTranslation();
  return (
    <TableWrap label={title}>
      <table className="ledger-table review-table stack-table" data-table={`movers-${kind}`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">{t("review.movers.rank")}</th>
            <th scope="col">{t("review.movers.customer")}</th>
            <th scope="col">{t("review.movers.owner")}</th>
            <th scope="col" className="num">{t("review.movers.atStart")}</th>
            <th scope="col" className="num">{t("review.movers.atEnd")}</th>
            <th scope="col" className="num">{t("review.movers.change")}</th>
          </tr>
        </thead>
        <tbody>
          {movers.length === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                {t("review.movers.none")}
              </td>
            </tr>
          ) : (
            movers.map((mover, index) => (
              <tr key={mover.customerId} data-customer={mover.code}>
                <td className="num cell--title">{index + 1}</td>
                <th scope="row" className="cell--title">
                  <Link to={`/customers/${encodeURIComponent(mover.code)}`}>{mover.name}</Link> <span className="secondary">{mover.code}</span>
                </th>
                <td data-label={t("review.movers.owner")}>{mover.ownerName ?? "—"}</td>
                <td className="num" data-minor={mover.atStart} data-label={t("review.movers.atStart")}>
                  <Amount minor={mover.atStart} />
                </td>
                <td className="num" data-minor={mover.atEnd} data-label={t("review.movers.atEnd")}>
                  <Amount minor={mover.atEnd} />
                </td>
                <td className="num" data-minor={mover.change} data-label={t("review.movers.change")}>
                  <Amount minor={mover.change} alert={mover.change > 0} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableWrap>
  );
}

// ---------------------------------------------------------------- (2)

function useKpiResultText() {
  const { t } = useTranslation();
  const text = useKpiText();
  return (kpi: Pick<ReviewItemKpi, "key">, value: number | null) => {
    if (value === null || !isKpiKey(kpi.key)) return t("ledger.none");
    return text.value(value, kpiDefinition(kpi.key).unit);
  };
}

function KpiName({ kpi, names }: { kpi: ReviewItemKpi; names: Record<string, string> }) {
  const lang = useLang();
  const scopeLabel = useScopeLabel(names);
  const name = isKpiKey(kpi.key) ? kpiDefinition(kpi.key).name[lang] : kpi.key;
  return (
    <>
      {name} <span className="muted">· {scopeLabel(kpi.scope)}</span>
    </>
  );
}

function MetBadge({ kpi }: { kpi: ReviewItemKpi }) {
  const { t } = useTranslation();
  const met = targetMet(kpi);
  if (kpi.hidden) return <span className="muted">—</span>;
  if (!kpi.final) return <span className="badge badge--muted">{t("review.kpi.inProgress")}</span>;
  if (met === null) return <span className="badge badge--muted">{t("review.kpi.noTarget")}</span>;
  return met ? <span className="badge badge--ok">{t("review.kpi.met")}</span> : <span className="badge badge--bad">{t("review.kpi.missed")}</span>;
}

export function WorkByCategory({ review }: { review: Review }) {
  const { t } = useTranslation();
  const lang = useLang();
  const formatDate = useFormatDate();
  const quarterName = useQuarterName(review);
  const { work } = review;
  if (work.planned === 0) return <p className="muted">{t("review.work.noPlans")}</p>;
  return (
    <>
      <p className="review-lead">{t("review.work.summary", { done: work.done, planned: work.planned })}</p>
      {work.categories.map((group) => (
        <div key={group.category} className="review-category">
          <h3>{PLAN_CATEGORY_NAMES[group.category][lang]}</h3>
          <TableWrap label={PLAN_CATEGORY_NAMES[group.category][lang]}>
            <table className="ledger-table review-table stack-table" data-table={`work-${group.category}`}>
              <thead>
                <tr>
                  <th scope="col">{t("review.work.item")}</th>
                  <th scope="col">{t("review.work.quarter")}</th>
                  <th scope="col">{t("review.work.owner")}</th>
                  <th scope="col">{t("review.work.doneOn")}</th>
                  <th scope="col">{t("review.work.notes")}</th>
                </tr>
              </thead>
              <tbody>
                {group.items.map((item) => (
                  <tr key={item.id}>
                    <th scope="row" className="cell--title">
                      <Link to={`/plans/${item.planId}/items/${item.id}`}>{item.title}</Link>
                    </th>
                    <td className="nowrap" data-label={t("review.work.quarter")}>
                      {quarterName(item.quarter)}
                    </td>
                    <td data-label={t("review.work.owner")}>{item.ownerName ?? "—"}</td>
                    <td className="nowrap" data-label={t("review.work.doneOn")}>
                      {item.doneOn ? formatDate(item.doneOn) : "—"}
                    </td>
                    <td className="review-notes user-text cell--block" data-label={t("review.work.notes")}>
                      {item.notes.length > 0 ? item.notes.join(" · ") : <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      ))}
    </>
  );
}

export function KpiItemsTable({ items, title, review, kind }: { items: ReviewItem[]; title: string; review: Review; kind: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const quarterName = useQuarterName(review);
  const result = useKpiResultText();
  if (items.length === 0) return <p className="muted">{t("review.kpi.none")}</p>;
  return (
    <TableWrap label={title}>
      <table className="ledger-table review-table stack-table" data-table={kind}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{t("review.work.item")}</th>
            <th scope="col">{t("review.work.quarter")}</th>
            <th scope="col">{t("review.work.owner")}</th>
            <th scope="col">{t("review.kpi.kpi")}</th>
            <th scope="col" className="num">{t("review.kpi.baseline")}</th>
            <th scope="col" className="num">{t("review.kpi.target")}</th>
            <th scope="col" className="num">{t("review.kpi.result")}</th>
            <th scope="col">{t("review.kpi.verdict")}</th>
          </tr>
        </thead>
        <tbody>
          {/* The KPI-linked items (the sections pass only those): one row each, with its KPI. */}
          {items.flatMap(({ kpi, ...item }) => (kpi ? [{ ...item, kpi }] : [])).map((item) => (
            <tr key={item.id}>
              <th scope="row" className="cell--title">
                {item.title}
              </th>
              <td className="nowrap" data-label={t("review.work.quarter")}>
                {quarterName(item.quarter)}
              </td>
              <td data-label={t("review.work.owner")}>{item.ownerName ?? "—"}</td>
              <td className="cell--block" data-label={t("review.kpi.kpi")}>
                <KpiName kpi={item.kpi} names={review.scopeNames} />
              </td>
              <td className="num" data-label={t("review.kpi.baseline")}>
                {item.kpi.hidden ? <span className="muted small">{t("review.kpi.hiddenScope")}</span> : result(item.kpi, item.kpi.baseline)}
                {item.kpi.baselineDate ? <div className="muted small">{formatDate(item.kpi.baselineDate)}</div> : null}
              </td>
              <td className="num" data-label={t("review.kpi.target")}>
                {result(item.kpi, item.kpi.target)}
              </td>
              <td className="num" data-label={t("review.kpi.result")}>
                {result(item.kpi, item.kpi.result)}
                <div className="muted small">{formatDate(item.kpi.measuredOn)}</div>
              </td>
              <td data-label={t("review.kpi.verdict")}>
                <MetBadge kpi={item.kpi} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// ---------------------------------------------------------------- (3)

export function UnfinishedTable({ items, review }: { items: UnfinishedItem[]; review: Review }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const quarterName = useQuarterName(review);
  if (items.length === 0) return <p className="muted">{t("review.problems.allDone")}</p>;
  return (
    <TableWrap label={t("review.problems.unfinished")}>
      <table className="ledger-table review-table stack-table" data-table="unfinished">
        <caption>{t("review.problems.unfinished")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("review.work.item")}</th>
            <th scope="col">{t("review.work.quarter")}</th>
            <th scope="col">{t("review.work.owner")}</th>
            <th scope="col">{t("review.work.due")}</th>
            <th scope="col">{t("review.problems.state")}</th>
            <th scope="col">{t("review.problems.followUp")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <th scope="row" className="cell--title">
                <Link to={`/plans/${item.planId}/items/${item.id}`}>{item.title}</Link>
              </th>
              <td className="nowrap" data-label={t("review.work.quarter")}>
                {quarterName(item.quarter)}
              </td>
              <td data-label={t("review.work.owner")}>{item.ownerName ?? "—"}</td>
              <td className="nowrap" data-label={t("review.work.due")}>
                {item.dueDate ? formatDate(item.dueDate) : "—"}
              </td>
              <td data-label={t("review.problems.state")}>{t(`review.problems.states.${item.state}`)}</td>
              <td className="cell--block" data-label={t("review.problems.followUp")}>
                {item.carriedInto
                  ? t(item.carriedInto.done ? "review.problems.carriedDone" : "review.problems.carriedOpen", { quarter: quarterName(item.carriedInto.quarter) })
                  : t("review.problems.toNextYear")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// ---------------------------------------------------------------- (4)

export function MeasuresTable({ measures, review }: { measures: ProposedItem[]; review: Review }) {
  const { t } = useTranslation();
  const lang = useLang();
  const quarterName = useQuarterName(review);
  const result = useKpiResultText();
  const scopeLabel = useScopeLabel(review.scopeNames);
  if (measures.length === 0) return <p className="muted">{t("review.measures.none")}</p>;
  return (
    <TableWrap label={t("review.measures.tableTitle")}>
      <table className="ledger-table review-table stack-table" data-table="measures">
        <caption>{t("review.measures.tableTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("review.work.item")}</th>
            <th scope="col">{t("review.measures.category")}</th>
            <th scope="col">{t("review.work.owner")}</th>
            <th scope="col">{t("review.measures.kpiTarget")}</th>
            <th scope="col">{t("review.measures.why")}</th>
          </tr>
        </thead>
        <tbody>
          {measures.map((measure) => (
            <tr key={measure.sourceItemId}>
              <th scope="row" className="cell--title">
                {measure.title}
              </th>
              <td data-label={t("review.measures.category")}>{PLAN_CATEGORY_NAMES[measure.category][lang]}</td>
              <td data-label={t("review.work.owner")}>{measure.ownerName ?? "—"}</td>
              <td className="cell--block" data-label={t("review.measures.kpiTarget")}>
                {measure.kpi && isKpiKey(measure.kpi.key) ? (
                  <>
                    {kpiDefinition(measure.kpi.key).name[lang]} <span className="muted">· {scopeLabel(measure.kpi.scope)}</span>
                    {measure.kpi.target !== null ? ` → ${result({ key: measure.kpi.key }, measure.kpi.target)}` : ""}
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className="cell--block" data-label={t("review.measures.why")}>
                {quarterName(measure.sourceQuarter)}: {measure.reasons.map((reason) => t(`review.measures.reasons.${reason}`)).join(lang === "zh" ? "、" : ", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
