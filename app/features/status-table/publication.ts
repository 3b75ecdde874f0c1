/**
 * Publishing the monthly status table to leadership (pure rules). The head publishes a complete
 * month's table with a note; the figures are copied as they stand (rows, not a recomputation), so
 * what leadership read stays what it was after later imports. A correction publishes the month
 * again as a new version, naming the version it corrects (a stale one is refused). Leadership
 * reads and comments; staff, who see only their own customers, see no published table (it covers
 * every customer).
 */
import type { StatusPublicationRow } from "../../../db/schema";
import { can } from "~/kernel/permissions";
import type { IsoDate } from "~/kernel/ledger/types";
import { AGING_BUCKETS, type Aging } from "~/kernel/ledger/aging";
import { type StatusMonth, type StatusRow, otherMovements, resolveStatusMonth } from "~/features/status-table/status-table";

type Actor = { id: number; role: Parameters<typeof can>[0]["role"] };

/** The head, who publishes, and leadership, it is published for. */
export function mayReadPublications(actor: Actor): boolean {
  return can(actor, "status:publications");
}

/** The head publishes and corrects. */
export function mayPublish(actor: Actor): boolean {
  return can(actor, "plan:edit");
}

/** Leadership comments, as on the written report. */
export function mayComment(actor: Actor): boolean {
  return can(actor, "review:comment");
}

export type MonthRefusal = "status.published.error.month" | "status.published.error.monthInProgress";

/** A month that may be published: written YYYY-MM, begun, and over (the table is the month-end report). */
export function publishableMonth(text: string, today: IsoDate): { ok: true; month: StatusMonth } | { ok: false; reason: MonthRefusal } {
  if (!/^\d{4}-\d{2}$/.test(text)) return { ok: false, reason: "status.published.error.month" };
  const resolved = resolveStatusMonth(text, today);
  if (!resolved.ok) return { ok: false, reason: "status.published.error.month" };
  if (resolved.month.toDate) return { ok: false, reason: "status.published.error.monthInProgress" };
  return { ok: true, month: resolved.month };
}

/** The version a page shows: `?version=n` of those published, else the latest; null: no such version. */
export function chosenVersion(param: string | null, latest: number): number | null {
  if (param === null || param === "") return latest;
  if (!/^[1-9]\d{0,5}$/.test(param)) return null;
  const version = Number(param);
  return version <= latest ? version : null;
}

/** A status row as a publication stores it (aging spread into columns): a `status_publication_rows` row without its version and position. */
export type PublishedRow = Omit<StatusPublicationRow, "version_id" | "position">;

export function publishedRowOf(row: StatusRow): PublishedRow {
  return {
    code: row.code,
    name: row.name,
    owner_name: row.ownerName,
    region: row.region,
    credit_grade: row.creditGrade,
    credit_limit: row.creditLimit,
    opening: row.opening,
    billed: row.billed,
    collected: row.collected,
    closing: row.closing,
    overdue: row.overdue,
    aging_current: row.aging.current,
    aging_1_30: row.aging["1_30"],
    aging_31_60: row.aging["31_60"],
    aging_61_90: row.aging["61_90"],
    aging_91_180: row.aging["91_180"],
    aging_181_365: row.aging["181_365"],
    aging_over_365: row.aging.over_365,
    overdue_change: row.overdueChange,
  };
}

export function statusRowOf(row: PublishedRow): StatusRow {
  // Object.fromEntries over every bucket gives each bucket a key
  const aging = Object.fromEntries(AGING_BUCKETS.map((bucket) => [bucket, Number(row[`aging_${bucket}`])])) as Aging;
  return {
    code: row.code,
    name: row.name,
    ownerName: row.owner_name,
    region: row.region,
    creditGrade: row.credit_grade,
    creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
    opening: Number(row.opening),
    billed: Number(row.billed),
    collected: Number(row.collected),
    otherMovements: otherMovements({ opening: Number(row.opening), billed: Number(row.billed), collected: Number(row.collected), closing: Number(row.closing) }),
    closing: Number(row.closing),
    overdue: Number(row.overdue),
    aging,
    overdueChange: Number(row.overdue_change),
  };
}

/** `receivables-status-2026-03-v2.xlsx`: the month and the version, ASCII. */
export function publicationFileName(month: string, version: number): string {
  return `receivables-status-${month}-v${version}.xlsx`;
}

/** The link of a publication (a version other than the latest: `?version=`). */
export function publicationPath(month: string, version?: number): string {
  return `/status/published/${month}${version === undefined ? "" : `?version=${version}`}`;
}
