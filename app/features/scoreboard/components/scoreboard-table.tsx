import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatAmount } from "~/ui/use-format-amount";
import { formatKpiDelta } from "~/features/kpi";
import type { OverdueChange, ScoreboardRow, SummaryLine } from "~/features/scoreboard/scoreboard";
import type { OwnerScore } from "~/features/scoreboard/scoring";

const MINUS = "\u2212";

/** A signed amount: a fall in overdue is good (green), a rise bad (red, and bold so colour is not the only sign). */
function ChangeAmount({ minor }: { minor: number }) {
  const format = useFormatAmount();
  const sign = minor < 0 ? MINUS : minor > 0 ? "+" : "";
  return (
    <data value={(minor / 100).toFixed(2)} className={minor < 0 ? "amount scoreboard__better" : minor > 0 ? "amount amount--alert" : "amount amount--zero"}>
      {sign}
      {format(Math.abs(minor))}
    </data>
  );
}

function ChangePercent({ change }: { change: OverdueChange }) {
  const { t } = useTranslation();
  if (change.ratio === null) return <span className="muted">{t("scoreboard.noBase")}</span>;
  return (
    <data value={change.ratio.toFixed(6)} className={change.ratio < 0 ? "scoreboard__better" : change.ratio > 0 ? "amount--alert" : undefined}>
      {t("dashboard.percent", { value: formatKpiDelta(change.ratio, "ratio") })}
    </data>
  );
}

/** The columns a phone leaves behind "Show every column" (app.css, stacked tables). */
const SECONDARY: ReadonlySet<string> = new Set(["customers", "overdueAtStart", "itemsDue"]);

function Figures({ line, column }: { line: SummaryLine; column?: boolean }) {
  const { t } = useTranslation();
  const cell = (key: string) => ({
    className: [column ? "num total" : "num", SECONDARY.has(key) ? "cell--secondary" : null].filter(Boolean).join(" "),
    "data-column": key,
    "data-label": t(`scoreboard.columns.${key}`),
  });
  return (
    <>
      <td {...cell("collected")}>
        <Amount minor={line.figures.collected} />
      </td>
      <td {...cell("overdueAtStart")}>
        <Amount minor={line.figures.overdueAtStart} />
      </td>
      <td {...cell("overdueAtEnd")}>
        <Amount minor={line.figures.overdueAtEnd} />
      </td>
      <td {...cell("overdueChange")}>
        <ChangeAmount minor={line.overdueChange.amount} />
      </td>
      <td {...cell("overdueChangePercent")}>
        <ChangePercent change={line.overdueChange} />
      </td>
      <td {...cell("itemsDue")}>{line.items.due}</td>
      <td {...cell("itemsOnTime")}>{line.items.onTime}</td>
    </>
  );
}

const COLUMNS = ["rank", "owner", "customers", "collected", "overdueAtStart", "overdueAtEnd", "overdueChange", "overdueChangePercent", "itemsDue", "itemsOnTime"] as const;
const SCORE_COLUMNS = ["points", "scoreRank"] as const;

/** The owner's points under the scoring rules, flagged in words (not colour alone) below the threshold; and the rank by points. */
function ScoreCells({ score }: { score: OwnerScore }) {
  const { t } = useTranslation();
  return (
    <>
      <td className="num" data-column="points" data-label={t("scoreboard.scoring.columns.points")}>
        {score.points === null ? (
          <span className="muted">{t("scoreboard.scoring.noPoints")}</span>
        ) : (
          <>
            <data value={score.points.toFixed(1)} className={score.warning ? "amount--alert" : undefined}>
              {score.points.toFixed(1)}
            </data>
            {score.warning ? <span className="badge badge--warn badge--inline">{t("scoreboard.scoring.warning")}</span> : null}
          </>
        )}
      </td>
      <td className="num" data-column="scoreRank" data-label={t("scoreboard.scoring.columns.scoreRank")}>
        {score.rank ?? <span className="muted">{t("scoreboard.notRanked")}</span>}
      </td>
    </>
  );
}

/** One row per owner in rank order, then the unowned customers (when shown) and the company's totals. */
export function ScoreboardTable({
  rows,
  unowned,
  totals,
  caption,
  emptyText,
}: {
  rows: (ScoreboardRow & { score: OwnerScore })[];
  unowned: SummaryLine | null;
  totals: SummaryLine;
  caption: string;
  emptyText: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <StackToggle />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
        <table className="ledger-table ledger-table--wide scoreboard-table stack-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col" className={[column === "owner" ? null : "num", SECONDARY.has(column) ? "cell--secondary" : null].filter(Boolean).join(" ") || undefined}>
                  {t(`scoreboard.columns.${column}`)}
                </th>
              ))}
              {SCORE_COLUMNS.map((column) => (
                <th key={column} scope="col" className="num">
                  {t(`scoreboard.scoring.columns.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={COLUMNS.length + SCORE_COLUMNS.length} className="empty-row">
                  {emptyText}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.ownerId} data-owner={row.email}>
                  <td className="num scoreboard__rank cell--title" data-column="rank">
                    {row.rank === null ? <span className="muted">{t("scoreboard.notRanked")}</span> : row.rank}
                  </td>
                  <th scope="row" title={row.email} className="cell--title">
                    {row.name}
                    {row.active ? null : <span className="badge badge--muted badge--inline">{t("scoreboard.inactive")}</span>}
                  </th>
                  <td className="num cell--secondary" data-column="customers" data-label={t("scoreboard.columns.customers")}>
                    {row.customers}
                  </td>
                  <Figures line={row} />
                  <ScoreCells score={row.score} />
                </tr>
              ))
            )}
          </tbody>
          <tfoot>
            {unowned ? (
              <tr className="scoreboard__unowned">
                <td />
                <th scope="row" className="cell--title">
                  {t("scoreboard.unowned")}
                </th>
                <td />
                <Figures line={unowned} />
                <td />
                <td />
              </tr>
            ) : null}
            <tr className="scoreboard__totals">
              <td />
              <th scope="row" className="cell--title">
                {t("scoreboard.totals")}
              </th>
              <td />
              <Figures line={totals} column />
              <td />
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
