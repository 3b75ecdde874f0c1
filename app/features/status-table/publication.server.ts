import type { Readable } from "node:stream";

import type { Db } from "~/server/db.server";
import { spreadsheetStream } from "~/server/spreadsheet.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { AGING_BUCKETS, type Aging } from "~/kernel/ledger/aging";
import { type PageInfo, pageInfo } from "~/kernel/paging";
import { recordAudit } from "~/features/audit/index.server";
import { statusPublicationEvent } from "~/features/notifications/index.server";
import { type Locale, createI18n } from "~/i18n";
import { type StatusRow, type StatusTotals, EXPORT_COLUMNS, exportCells, exportTotalsCells, otherMovements } from "~/features/status-table/status-table";
import {
  chosenVersion,
  mayComment,
  mayPublish,
  mayReadPublications,
  publicationFileName,
  publicationPath,
  publishableMonth,
  publishedRowOf,
  statusRowOf,
} from "~/features/status-table/publication";
import { commentSchema, publishSchema } from "~/features/status-table/publication.schema";
import { allStatusRows } from "~/features/status-table/queries.server";
import {
  type PublicationComment,
  type PublicationListRow,
  type VersionRow,
  advancePublication,
  findPublication,
  insertComment,
  insertPublication,
  insertVersion,
  listComments,
  listPublications,
  publicationVersions,
  versionRows,
  versionTotals,
} from "~/features/status-table/queries/publications.server";

/**
 * The published status tables: the head publishes a complete month's table with a note (the
 * rows copied as they stand, so what leadership read never moves with a later import), publishes
 * corrections as new versions naming the version they correct (a stale one: 409), and leadership
 * comments. Reads only read; every post is audited and raises a notification.
 */

export interface PublicationViewer {
  id: number;
  role: "head" | "staff" | "leader" | "admin";
  locale?: Locale;
}

/** Rows per page of a published table, as on /status. */
const PAGE_SIZE = 100;

function requireReader(viewer: PublicationViewer): void {
  if (!mayReadPublications(viewer)) throw AppError.forbidden("status.published.error.readForbidden");
}

function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return fieldErrors;
}

export interface PublicationsList {
  publications: PublicationListRow[];
  may: { publish: boolean };
  /** the month the publish form offers: the last complete month */
  suggestedMonth: string;
}

export async function loadPublications(db: Db, viewer: PublicationViewer, today: IsoDate): Promise<PublicationsList> {
  requireReader(viewer);
  const publications = await listPublications(db);
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const suggestedMonth = month === 1 ? `${year - 1}-12` : `${today.slice(0, 4)}-${String(month - 1).padStart(2, "0")}`;
  return { publications, may: { publish: mayPublish(viewer) }, suggestedMonth };
}

export interface PublicationView {
  month: string;
  latest: number;
  version: VersionRow;
  versions: VersionRow[];
  rows: StatusRow[];
  totals: StatusTotals;
  page: PageInfo;
  comments: PublicationComment[];
  may: { publish: boolean; comment: boolean };
}

async function versionTotalsOf(db: Db, version: VersionRow): Promise<StatusTotals> {
  const sums = await versionTotals(db, version.id);
  // Object.fromEntries over every bucket gives each bucket a key
  const aging = Object.fromEntries(AGING_BUCKETS.map((bucket) => [bucket, sums[`aging_${bucket}`]])) as Aging;
  return {
    customers: version.customers,
    opening: sums.opening,
    billed: sums.billed,
    collected: sums.collected,
    otherMovements: otherMovements(sums),
    closing: sums.closing,
    overdue: sums.overdue,
    aging,
    overdueChange: sums.overdue_change,
  };
}

async function publishedVersion(db: Db, month: string, versionParam: string | null) {
  const publication = await findPublication(db, month);
  if (!publication) throw AppError.notFound();
  const versions = await publicationVersions(db, publication.id);
  const wanted = chosenVersion(versionParam, publication.version);
  const version = versions.find((candidate) => candidate.version === wanted);
  if (!version) throw AppError.notFound();
  return { publication, versions, version };
}

/** A published month: the chosen version's note, one page of its rows, its totals, and every comment. */
export async function loadPublication(db: Db, viewer: PublicationViewer, month: string, search: URLSearchParams): Promise<PublicationView> {
  requireReader(viewer);
  const { publication, versions, version } = await publishedVersion(db, month, search.get("version"));
  const pageText = search.get("page");
  const page = pageInfo(pageText && /^\d{1,7}$/.test(pageText) ? Number(pageText) : 1, version.customers, PAGE_SIZE);
  const [rows, totals, comments] = await Promise.all([
    versionRows(db, version.id, { offset: page.offset, limit: page.pageSize }),
    versionTotalsOf(db, version),
    listComments(db, publication.id),
  ]);
  return {
    month,
    latest: publication.version,
    version,
    versions,
    rows: rows.map(statusRowOf),
    totals,
    page,
    comments,
    may: { publish: mayPublish(viewer), comment: mayComment(viewer) && version.version === publication.version },
  };
}

/**
 * The head publishes a month (version 0: the first time) or a correction (the version it
 * corrects). Who may is answered first, then what was typed, then whether the form is current;
 * a refused post changes nothing.
 */
export async function publishStatusTable(db: Db, actor: PublicationViewer, fields: Record<string, string>, today: IsoDate, now = new Date()) {
  if (!mayPublish(actor)) throw AppError.forbidden("status.published.error.forbidden");
  const parsed = publishSchema.safeParse(fields);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const input = parsed.data;
  const resolved = publishableMonth(input.month, today);
  if (!resolved.ok) throw AppError.field("month", resolved.reason);
  const month = resolved.month;
  const stored = await findPublication(db, month.month);
  if (!stored && input.version !== 0) throw AppError.conflict("status.published.error.conflict", null);
  if (stored && input.version === 0) throw AppError.conflict("status.published.error.alreadyPublished", { month: month.month, version: stored.version });
  if (stored && input.version !== stored.version) throw AppError.conflict("status.published.error.conflict", { month: month.month, version: stored.version });

  // Read before the write transaction, in one statement: the table as it stands now, every customer.
  const rows = (await allStatusRows(db, { month, scope: { kind: "all" }, filters: { overdueOnly: false, overLimitOnly: false } })).map(publishedRowOf);
  const at = now.toISOString();
  const version = (stored?.version ?? 0) + 1;
  await db.transaction().execute(async (trx) => {
    let publicationId: number;
    if (stored) {
      if (!(await advancePublication(trx, stored.id, stored.version, { userId: actor.id, at }))) {
        throw AppError.conflict("status.published.error.conflict", null);
      }
      publicationId = stored.id;
    } else {
      publicationId = await insertPublication(trx, { month: month.month, userId: actor.id, at });
    }
    await insertVersion(trx, { publicationId, version, note: input.note, closingDate: month.closingDate, rows, userId: actor.id, at });
    await recordAudit(
      trx,
      {
        userId: actor.id,
        entity: "status_publication",
        entityId: publicationId,
        action: stored ? "corrected" : "published",
        before: stored ? { month: month.month, version: stored.version } : undefined,
        after: { month: month.month, version, closingDate: month.closingDate, customers: rows.length, note: input.note },
      },
      now,
    );
    await statusPublicationEvent(trx, { kind: "status_published", month: month.month, version, actorId: actor.id }, now);
  });
  return { redirectTo: publicationPath(month.month) };
}

/** Leadership comments on the latest version (the one the form showed: an older one is a 409). */
export async function commentOnPublication(db: Db, actor: PublicationViewer, month: string, fields: Record<string, string>, now = new Date()) {
  if (!mayComment(actor)) throw AppError.forbidden("status.published.error.commentForbidden");
  const publication = await findPublication(db, month);
  if (!publication) throw AppError.notFound();
  const parsed = commentSchema.safeParse(fields);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const input = parsed.data;
  if (input.version !== publication.version) throw AppError.conflict("status.published.error.versionNotLatest", { month, version: publication.version });
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const id = await insertComment(trx, { publicationId: publication.id, version: publication.version, authorId: actor.id, body: input.body, at });
    await recordAudit(trx, { userId: actor.id, entity: "status_publication", entityId: publication.id, action: "commented", after: { month, version: publication.version, commentId: id, body: input.body } }, now);
    await statusPublicationEvent(trx, { kind: "status_commented", month, version: publication.version, body: input.body, actorId: actor.id }, now);
  });
  return { redirectTo: `${publicationPath(month)}#comments` };
}

/** A published version as XLSX: its rows as published, the totals last. */
export async function exportPublication(db: Db, viewer: PublicationViewer, month: string, search: URLSearchParams): Promise<{ fileName: string; body: Readable }> {
  requireReader(viewer);
  const { version } = await publishedVersion(db, month, search.get("version"));
  const [rows, totals] = await Promise.all([versionRows(db, version.id), versionTotalsOf(db, version)]);
  const { t } = createI18n(viewer.locale ?? "en");
  const body = spreadsheetStream("xlsx", [
    {
      name: `${month} v${version.version}`,
      columns: EXPORT_COLUMNS.map((column) => ({
        header: t(`status.columns.${column.label}`),
        width: column.kind === "amount" ? 16 : column.key === "name" ? 36 : 14,
      })),
      rows: (function* () {
        for (const row of rows) yield exportCells(statusRowOf(row));
      })(),
      totals: () => [exportTotalsCells(totals, t("status.totals"))],
      freezeHeader: true,
    },
  ]);
  return { fileName: publicationFileName(month, version.version), body };
}
