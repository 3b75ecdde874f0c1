import { useTranslation } from "react-i18next";

import { Amount } from "~/components/ledger/amount";
import { useFormatAmount } from "~/components/use-format-amount";
import { formatKpiDelta } from "~/domain/kpi-format";
import type { OverdueChange, ScoreboardRow, SummaryLine } from "~/domain/scoreboard";

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

function Figures({ line, column }: { line: SummaryLine; column?: boolean }) {
  const cell = column ? "num total" : "num";
  return (
    <>
      <td className={cell} data-column="collected">
        <Amount minor={line.figures.collected} />
      </td>
      <td className={cell} data-column="overdueAtStart">
        <Amount minor={line.figures.overdueAtStart} />
      </td>
      <td className={cell} data-column="overdueAtEnd">
        <Amount minor={line.figures.overdueAtEnd} />
      </td>
      <td className={cell} data-column="overdueChange">
        <ChangeAmount minor={line.overdueChange.amount} />
      </td>
      <td className={cell} data-column="overdueChangePercent">
        <ChangePercent change={line.overdueChange} />
      </td>
      <td className={cell} data-column="itemsDue">
        {line.items.due}
      </td>
      <td className={cell} data-column="itemsOnTime">
        {line.items.onTime}
      </td>
    </>
  );
}

const COLUMNS = ["rank", "owner", "customers", "collected", "overdueAtStart", "overdueAtEnd", "overdueChange", "overdueChangePercent", "itemsDue", "itemsOnTime"] as const;

/** One row per owner in rank order, then the unowned customers (when shown) and the company's totals. */
export function ScoreboardTable({
  rows,
  unowned,
  totals,
  caption,
  emptyText,
}: {
  rows: ScoreboardRow[];
  unowned: SummaryLine | null;
  totals: SummaryLine;
  caption: string;
  emptyText: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="ledger-table ledger-table--wide scoreboard-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className={column === "owner" ? undefined : "num"}>
                {t(`scoreboard.columns.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} className="empty-row">
                {emptyText}
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.ownerId} data-owner={row.email}>
                <td className="num scoreboard__rank" data-column="rank">
                  {row.rank === null ? <span className="muted">{t("scoreboard.notRanked")}</span> : row.rank}
                </td>
                <th scope="row" title={row.email}>
                  {row.name}
                </th>
                <td className="num" data-column="customers">
                  {row.customers}
                </td>
                <Figures line={row} />
              </tr>
            ))
          )}
        </tbody>
        <tfoot>
          {unowned ? (
            <tr className="scoreboard__unowned">
              <td />
              <th scope="row">{t("scoreboard.unowned")}</th>
              <td />
              <Figures line={unowned} />
            </tr>
          ) : null}
          <tr className="scoreboard__totals">
            <td />
            <th scope="row">{t("scoreboard.totals")}</th>
            <td />
            <Figures line={totals} column />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
