import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { scopeCustomerIds } from "~/features/kpi/index.server";
import { customerSchedule } from "~/features/provisions/provision.server";
import { provisionMovement } from "~/features/provisions/movement";
import { runMovements } from "~/features/provisions/queries/runs.server";
import { type SpreadsheetCell, type SpreadsheetFormat, spreadsheetBytes } from "~/server/spreadsheet.server";
import type { Locale } from "~/i18n";
import { createI18n } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Role } from "~/kernel/permissions";
import { loadProvisionPage } from "~/features/provisions/page.server";

type Viewer = { id: number; role: Role; email: string; locale: Locale };

/** The exports: the schedule by band (the default), by customer, and the runs' movement table. */
export const EXPORT_TABLES = ["bands", "customers", "movement"] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

function exportTable(search: URLSearchParams): ExportTable {
  const value = search.get("table") ?? "bands";
  const table = EXPORT_TABLES.find((name) => name === value);
  if (!table) throw new AppError("invalid", "provisions.export.table", { fieldErrors: { table: ["provisions.export.table"] } });
  return table;
}

/**
 * One sheet per export (CSV has one): `table=bands` (default) the page's schedule by band,
 * `customers` the ladder's schedule by customer, `movement` the runs' movement table.
 */
export async function exportProvisions(db: Db, viewer: Viewer, search: URLSearchParams, format: SpreadsheetFormat, today: IsoDate) {
  const table = exportTable(search);
  if (table === "customers") return exportByCustomer(db, viewer, search, format, today);
  if (table === "movement") return exportMovement(db, viewer, search, format);
  return exportByBand(db, viewer, search, format, today);
}

/** A rate (a fraction) to 4 decimals, the page's percentage to 2. */
export function roundedRate(fraction: number): number {
  return Math.round(fraction * 10_000) / 10_000;
}

/**
 * The page's schedule: each age band with the ladder and the matrix side by side and their
 * difference, then each named customer, then the totals (bold).
 */
async function exportByBand(db: Db, viewer: Viewer, search: URLSearchParams, format: SpreadsheetFormat, today: IsoDate) {
  const page = await loadProvisionPage(db, viewer, search, today);
  const { t } = createI18n(viewer.locale);
  const text = (value: string | null): SpreadsheetCell => ({ kind: "text", value });
  const amount = (minor: number | null): SpreadsheetCell => ({ kind: "amount", minor });
  // as the page shows them: percentages to 2 decimals, i.e. fractions to 4 (a loss rate is a long quotient)
  const rate = (value: number | null): SpreadsheetCell => ({ kind: "number", value: value === null ? null : roundedRate(value), format: "0.00%" });
  const rows: SpreadsheetCell[][] = page.ladder.bands.map((band, i) => {
    const other = page.matrix.bands[i];
    const label =
      band.toDays === null ? t("provisions.page.over", { days: band.fromDays - 1 }) : t("provisions.page.range", { from: i === 0 && page.basis === "due" ? "≤ 0" : band.fromDays, to: band.toDays });
    return [
      text(label),
      amount(band.balance),
      rate(band.rate),
      amount(band.provision),
      rate(other?.rate ?? null),
      amount(other?.provision ?? null),
      amount(other ? other.provision - band.provision : null),
      text(null),
      text(null),
    ];
  });
  for (const entry of page.ladder.specific) {
    rows.push([
      text(`${entry.customerCode} ${entry.customerName}`),
      amount(entry.balance),
      text(null),
      amount(entry.provision),
      text(null),
      amount(entry.provision),
      amount(0),
      text(t(`provisions.reasons.${entry.reason}`)),
      text(entry.evidence),
    ]);
  }
  const totals: SpreadsheetCell[][] = [
    [
      text(t("provisions.page.total")),
      amount(page.ladder.grossReceivables),
      rate(page.ladder.ratio),
      amount(page.ladder.total),
      rate(page.matrix.ratio),
      amount(page.matrix.total),
      amount(page.matrix.total - page.ladder.total),
      text(null),
      text(null),
    ],
  ];
  const headers = ["band", "balance", "rate", "ladder", "lossRate", "matrix", "difference", "reason", "evidence"] as const;
  const bytes = await spreadsheetBytes(format, [
    {
      name: `${t("provisions.page.title")} ${page.asOf}`,
      columns: headers.map((key) => ({ header: t(`provisions.page.${key}`), width: key === "evidence" ? 40 : key === "band" ? 24 : 16 })),
      rows,
      totals: () => totals,
      freezeHeader: true,
    },
  ]);
  return { fileName: `provisions-${page.asOf}-${page.basis}.${format}`, bytes };
}

const bandLabel = (t: (key: string, options?: Record<string, unknown>) => string, band: { fromDays: number; toDays: number | null }, i: number, basis: string) =>
  band.toDays === null ? t("provisions.page.over", { days: band.fromDays - 1 }) : t("provisions.page.range", { from: i === 0 && basis === "due" ? "≤ 0" : band.fromDays, to: band.toDays });

/**
 * The ladder's schedule by customer as of the page's date (staff: their own customers): each
 * customer's balance by band, its total and provision, named customers with their reason; the
 * totals row equals the page's ladder total. One grouped query for every customer.
 */
async function exportByCustomer(db: Db, viewer: Viewer, search: URLSearchParams, format: SpreadsheetFormat, today: IsoDate) {
  const page = await loadProvisionPage(db, viewer, search, today);
  const { t } = createI18n(viewer.locale);
  const all = ledgerScopeOf(viewer).kind === "all";
  const ids = all ? null : await scopeCustomerIds(db, { type: "owner", email: viewer.email.toLowerCase() });
  const rows = await customerSchedule(db, page.ladder, ids === "unknown" ? [] : ids);
  const bands = page.ladder.bands;
  const text = (value: string | null): SpreadsheetCell => ({ kind: "text", value });
  const amount = (minor: number): SpreadsheetCell => ({ kind: "amount", minor });
  const columns = [
    { header: t("provisions.runs.customer"), width: 28 },
    ...bands.map((band, i) => ({ header: bandLabel(t, band, i, page.basis), width: 16 })),
    { header: t("provisions.page.balance"), width: 16 },
    { header: t("provisions.page.provision"), width: 16 },
    { header: t("provisions.page.reason"), width: 20 },
  ];
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const bytes = await spreadsheetBytes(format, [
    {
      name: `${t("provisions.runs.customersTitle")} ${page.asOf}`,
      columns,
      rows: rows.map((row) => [
        text(`${row.code} ${row.name}`),
        ...row.balances.map((balance) => amount(balance)),
        amount(row.balance),
        amount(row.provision),
        text(row.reason ? t(`provisions.reasons.${row.reason}`) : null),
      ]),
      totals: () => [[text(t("provisions.page.total")), ...bands.map((_, i) => amount(sum((row) => row.balances[i] ?? 0))), amount(sum((row) => row.balance)), amount(sum((row) => row.provision)), text(null)]],
      freezeHeader: true,
    },
  ]);
  return { fileName: `provisions-by-customer-${page.asOf}-${page.basis}.${format}`, bytes };
}

/**
 * The runs' movement table, oldest first (of one period kind with `kind=month|quarter|year`):
 * opening, charge, reversal, written off, closing; each row adds up. Runs name every customer's
 * provision, so staff are refused, as on the runs' pages.
 */
async function exportMovement(db: Db, viewer: Viewer, search: URLSearchParams, format: SpreadsheetFormat) {
  if (ledgerScopeOf(viewer).kind !== "all") throw AppError.forbidden("provisions.runs.forbidden");
  const kindText = search.get("kind");
  const kind = kindText === "month" || kindText === "quarter" || kindText === "year" ? kindText : null;
  if (kindText !== null && kindText !== "" && kind === null) throw new AppError("invalid", "provisions.export.kind", { fieldErrors: { kind: ["provisions.export.kind"] } });
  const { t } = createI18n(viewer.locale);
  const text = (value: string | null): SpreadsheetCell => ({ kind: "text", value });
  const amount = (minor: number): SpreadsheetCell => ({ kind: "amount", minor });
  const runs = await runMovements(db, kind);
  const headers = ["opening", "charge", "reversal", "writtenOff", "closing"] as const;
  const bytes = await spreadsheetBytes(format, [
    {
      name: t("provisions.runs.movementTitle"),
      columns: [
        { header: t("provisions.runs.periodEnd"), width: 14 },
        { header: t("provisions.runs.kind"), width: 14 },
        { header: t("provisions.runs.status"), width: 12 },
        ...headers.map((key) => ({ header: t(`provisions.runs.${key}`), width: 18 })),
      ],
      rows: runs.map((run) => {
        const movement = provisionMovement(Number(run.opening), Number(run.written_off), Number(run.ladder_total));
        return [
          text(run.period_end),
          text(t(`provisions.runs.kinds.${run.period_kind}`)),
          text(t(`provisions.runs.statuses.${run.status}`)),
          ...headers.map((key) => amount(movement[key])),
        ];
      }),
      freezeHeader: true,
    },
  ]);
  return { fileName: `provision-movement${kind ? `-${kind}` : ""}.${format}`, bytes };
}
