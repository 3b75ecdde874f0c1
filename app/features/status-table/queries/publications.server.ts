import type { Db } from "~/server/db.server";
import type { PublishedRow } from "~/features/status-table/publication";

/** The published status tables' SQL (tables of migration 2026-12-11-status-publications). */

const ROW_COLUMNS = [
  "code",
  "name",
  "owner_name",
  "region",
  "credit_grade",
  "credit_limit",
  "opening",
  "billed",
  "collected",
  "closing",
  "overdue",
  "aging_current",
  "aging_1_30",
  "aging_31_60",
  "aging_61_90",
  "aging_91_180",
  "aging_181_365",
  "aging_over_365",
  "overdue_change",
] as const;
const AMOUNT_COLUMNS = ROW_COLUMNS.slice(6);
/** Rows per multi-row INSERT: 21 parameters each, well under either database's limit. */
const ROW_BATCH = 200;

export interface PublicationRow {
  id: number;
  month: string;
  version: number;
}

export function findPublication(db: Db, month: string): Promise<PublicationRow | undefined> {
  return db.selectFrom("status_publications").select(["id", "month", "version"]).where("month", "=", month).executeTakeFirst();
}

export interface PublicationListRow {
  month: string;
  version: number;
  publishedAt: string;
  publishedByName: string | null;
  closingDate: string;
  customers: number;
  comments: number;
}

/** Every publication, newest month first, with its latest version and its comment count. */
export async function listPublications(db: Db): Promise<PublicationListRow[]> {
  const rows = await db
    .selectFrom("status_publications as p")
    .innerJoin("status_publication_versions as v", (join) => join.onRef("v.publication_id", "=", "p.id").onRef("v.version", "=", "p.version"))
    .leftJoin("users as u", "u.id", "v.published_by")
    .select((eb) => [
      "p.month",
      "p.version",
      "v.published_at as publishedAt",
      "u.name as publishedByName",
      "v.closing_date as closingDate",
      "v.customers",
      eb.selectFrom("status_publication_comments as c").select((inner) => inner.fn.countAll().as("n")).whereRef("c.publication_id", "=", "p.id").as("comments"),
    ])
    .orderBy("p.month", "desc")
    .execute();
  return rows.map((row) => ({ ...row, customers: Number(row.customers), comments: Number(row.comments ?? 0) }));
}

export interface VersionRow {
  id: number;
  version: number;
  note: string;
  closingDate: string;
  customers: number;
  publishedAt: string;
  publishedByName: string | null;
}

/** A publication's versions, oldest first. */
export async function publicationVersions(db: Db, publicationId: number): Promise<VersionRow[]> {
  const rows = await db
    .selectFrom("status_publication_versions as v")
    .leftJoin("users as u", "u.id", "v.published_by")
    .select(["v.id", "v.version", "v.note", "v.closing_date as closingDate", "v.customers", "v.published_at as publishedAt", "u.name as publishedByName"])
    .where("v.publication_id", "=", publicationId)
    .orderBy("v.version")
    .execute();
  return rows.map((row) => ({ ...row, customers: Number(row.customers) }));
}

/** One page of a version's rows, in the order they were published. */
export function versionRows(db: Db, versionId: number, page: { offset: number; limit: number } | null = null): Promise<PublishedRow[]> {
  let query = db.selectFrom("status_publication_rows").select([...ROW_COLUMNS]).where("version_id", "=", versionId).orderBy("position");
  if (page) query = query.limit(page.limit).offset(page.offset);
  return query.execute();
}

/** The sums of a version's amount columns (the table's totals row). */
export async function versionTotals(db: Db, versionId: number): Promise<Record<(typeof AMOUNT_COLUMNS)[number], number>> {
  const row = await db
    .selectFrom("status_publication_rows")
    .select((eb) => AMOUNT_COLUMNS.map((column) => eb.fn.coalesce(eb.fn.sum<number>(column), eb.lit(0)).as(column)))
    .where("version_id", "=", versionId)
    .executeTakeFirstOrThrow();
  // Object.fromEntries over every amount column gives each column a key
  return Object.fromEntries(AMOUNT_COLUMNS.map((column) => [column, Number(row[column])])) as Record<(typeof AMOUNT_COLUMNS)[number], number>;
}

export async function insertPublication(db: Db, input: { month: string; userId: number; at: string }): Promise<number> {
  const row = await db
    .insertInto("status_publications")
    .values({ month: input.month, version: 1, created_by: input.userId, created_at: input.at, updated_by: input.userId, updated_at: input.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves the publication on from `fromVersion`; false when someone published meanwhile. */
export async function advancePublication(db: Db, id: number, fromVersion: number, input: { userId: number; at: string }): Promise<boolean> {
  const result = await db
    .updateTable("status_publications")
    .set({ version: fromVersion + 1, updated_by: input.userId, updated_at: input.at })
    .where("id", "=", id)
    .where("version", "=", fromVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertVersion(
  db: Db,
  input: { publicationId: number; version: number; note: string; closingDate: string; rows: readonly PublishedRow[]; userId: number; at: string },
): Promise<number> {
  const { id } = await db
    .insertInto("status_publication_versions")
    .values({
      publication_id: input.publicationId,
      version: input.version,
      note: input.note,
      closing_date: input.closingDate,
      customers: input.rows.length,
      published_by: input.userId,
      published_at: input.at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let start = 0; start < input.rows.length; start += ROW_BATCH) {
    await db
      .insertInto("status_publication_rows")
      .values(input.rows.slice(start, start + ROW_BATCH).map((row, i) => ({ ...row, version_id: id, position: start + i + 1 })))
      .execute();
  }
  return id;
}

export interface PublicationComment {
  id: number;
  version: number;
  body: string;
  authorName: string | null;
  createdAt: string;
}

export function listComments(db: Db, publicationId: number): Promise<PublicationComment[]> {
  return db
    .selectFrom("status_publication_comments as c")
    .leftJoin("users as u", "u.id", "c.author_id")
    .select(["c.id", "c.version", "c.body", "u.name as authorName", "c.created_at as createdAt"])
    .where("c.publication_id", "=", publicationId)
    .orderBy("c.id")
    .execute();
}

export async function insertComment(db: Db, input: { publicationId: number; version: number; authorId: number; body: string; at: string }): Promise<number> {
  const row = await db
    .insertInto("status_publication_comments")
    .values({ publication_id: input.publicationId, version: input.version, author_id: input.authorId, body: input.body, created_at: input.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
