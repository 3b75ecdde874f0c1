import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import { Amount } from "~/ui/amount";
import { SortHeader } from "~/ui/sort-header";
import { StackToggle } from "~/ui/stack-toggle";
import { minorToMajorString } from "~/kernel/money";
import { useAmountUnitText, useFormatAmount } from "~/ui/use-format-amount";
import type { SortDirection } from "~/kernel/paging";
import {
  AMOUNT_COLUMNS,
  type AmountColumn,
  type StatusRow,
  type StatusSort,
  type StatusTotals,
  amountOf,
} from "~/features/status-table/status-table";

/** A change with its sign; a rise in overdue is bad (red), other movements are neither. */
function Change({ minor, upIsBad }: { minor: number; upIsBad: boolean }) {
  const format = useFormatAmount({ unitInHeader: true });
  if (minor === 0) return <Amount minor={0} unitInHeader />;
  const text = minor > 0 ? `+${format(minor)}` : format(minor);
  return (
    <data value={minorToMajorString(minor)} className={minor > 0 && upIsBad ? "amount amount--alert" : "amount"}>
      {text}
    </data>
  );
}

function AmountCell({ column, value }: { column: AmountColumn; value: number }) {
  if (column === "overdueChange" || column === "otherMovements") return <Change minor={value} upIsBad={column === "overdueChange"} />;
  const alert = value > 0 && (column === "overdue" || (column.startsWith("aging_") && column !== "aging_current"));
  return <Amount minor={value} alert={alert} unitInHeader />;
}

/** What a phone shows of a row without "Show every column": the month's money and what is overdue. */
const KEY_COLUMNS: ReadonlySet<string> = new Set(["collected", "closing", "overdue"]);
const secondary = (column: string) => (KEY_COLUMNS.has(column) ? undefined : "cell--secondary");

/**
 * The status table: customer columns, the month's amounts, the aging buckets under one grouped
 * header, and the totals of the whole filtered set in the footer (not just this page's rows).
 */
export function StatusTable({
  rows,
  totals,
  caption,
  emptyText,
  sorting,
}: {
  rows: StatusRow[];
  totals: StatusTotals;
  caption: string;
  emptyText: string;
  /** absent: plain headers (a published table keeps the order it was published in) */
  sorting?: { sort: StatusSort; dir: SortDirection; hrefFor: (column: StatusSort) => string };
}) {
  const { t } = useTranslation();
  const unit = useAmountUnitText();
  // Every cell carries its column's name (the phone layout shows it): looked up once per column, not per cell.
  const labels = new Map<string, string>();
  const label = (column: string) => {
    let text = labels.get(column);
    if (text === undefined) {
      text = t(`status.columns.${column}`);
      labels.set(column, text);
    }
    return text;
  };
  const header = (column: StatusSort, numeric: boolean, className?: string) =>
    sorting === undefined ? (
      <th key={column} scope="col" className={[numeric ? "num" : undefined, "nowrap", className].filter(Boolean).join(" ")}>
        {label(column)}
      </th>
    ) : (
      <SortHeader
        key={column}
        label={label(column)}
        numeric={numeric}
        className={className}
        active={sorting.sort === column}
        direction={sorting.dir}
        href={sorting.hrefFor(column)}
      />
    );
  const plain = (key: string) => (
    <th key={key} scope="col" className="nowrap cell--secondary">
      {label(key)}
    </th>
  );
  const columnCount = 6 + AMOUNT_COLUMNS.length;

  return (
    <>
      <StackToggle />
      <div className="table-wrap">
        <table className="ledger-table ledger-table--wide status-table stack-table">
          <caption>
            {caption}
            {unit ? <span className="status-table__unit">{t("status.unit", { unit })}</span> : null}
          </caption>
          <thead>
            <tr data-sort-label={sorting ? t("ledger.sortBy") : undefined}>
              {header("code", false)}
              {header("name", false)}
              {plain("owner")}
              {plain("region")}
              {plain("gradeShort")}
              {header("creditLimit", true, "cell--secondary")}
              {AMOUNT_COLUMNS.map((column) => header(column, true, secondary(column)))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columnCount} className="empty-row">
                  {emptyText}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.code} className={row.overdue > 0 ? "row--overdue" : undefined}>
                  <td className="nowrap cell--title">
                    <Link to={`/customers/${encodeURIComponent(row.code)}`}>{row.code}</Link>
                  </td>
                  <td className="name-cell cell--title">{row.name}</td>
                  <td className="nowrap cell--secondary" data-label={label("owner")}>
                    {row.ownerName ?? <span className="muted">{t("customers.noOwner")}</span>}
                  </td>
                  <td className="nowrap cell--secondary" data-label={label("region")}>
                    {row.region ?? <span className="muted">{t("ledger.none")}</span>}
                  </td>
                  <td className="nowrap cell--secondary" data-label={label("gradeShort")}>
                    {row.creditGrade ?? <span className="muted">{t("ledger.none")}</span>}
                  </td>
                  <td className="num cell--secondary" data-label={label("creditLimit")}>
                    {row.creditLimit === null ? <span className="muted">{t("ledger.none")}</span> : <Amount minor={row.creditLimit} unitInHeader />}
                  </td>
                  {AMOUNT_COLUMNS.map((column) => (
                    <td key={column} className={["num", secondary(column)].filter(Boolean).join(" ")} data-label={label(column)}>
                      <AmountCell column={column} value={amountOf(row, column)} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
          <tfoot>
            <tr className="status-table__totals">
              <th scope="row" colSpan={6} className="cell--title">
                {t("status.totalsOf", { count: totals.customers })}
              </th>
              {AMOUNT_COLUMNS.map((column) => (
                <td key={column} className={["num total", secondary(column)].filter(Boolean).join(" ")} data-column={column} data-label={label(column)}>
                  <AmountCell column={column} value={amountOf(totals, column)} />
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="muted status-table__note">
        {/* in 万元 each amount is rounded on its own: say so, as the rounded figures need not add up */}
        {sentences(t, [t("status.rollForward"), unit && t("status.roundedNote", { unit })])}
      </p>
    </>
  );
}
