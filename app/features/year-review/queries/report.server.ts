import type { Db } from "~/server/db.server";
import type { ReportState } from "~/features/year-review/report-lifecycle";
import type { ReportSection, ReportTexts } from "~/features/year-review/report-draft";

/** The written report's SQL: the stored report of a period, its kept versions and leadership's comments. */

export interface StoredReport {
  id: number;
  fiscalYear: number;
  state: ReportState;
  version: number;
  texts: ReportTexts;
  acceptedVersion: number | null;
  updatedAt: string;
  updatedByName: string | null;
}

export interface ReportCommentRow {
  id: number;
  reportVersion: number;
  section: ReportSection;
  decision: "returned" | "accepted";
  authorName: string | null;
  body: string;
  createdAt: string;
}

const textsOf = (row: { overdue_text: string; work_text: string; problems_text: string; measures_text: string }): ReportTexts => ({
  overdue: row.overdue_text,
  work: row.work_text,
  problems: row.problems_text,
  measures: row.measures_text,
});

const columnsOf = (texts: ReportTexts) => ({
  overdue_text: texts.overdue,
  work_text: texts.work,
  problems_text: texts.problems,
  measures_text: texts.measures,
});

export async function findReport(db: Db, fiscalYear: number, period = "year"): Promise<StoredReport | null> {
  const row = await db
    .selectFrom("review_reports")
    .leftJoin("users", "users.id", "review_reports.updated_by")
    .selectAll("review_reports")
    .select("users.name as updated_by_name")
    .where("review_reports.fiscal_year", "=", fiscalYear)
    .where("review_reports.period", "=", period)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    fiscalYear: row.fiscal_year,
    state: row.state,
    version: row.version,
    texts: textsOf(row),
    acceptedVersion: row.accepted_version,
    updatedAt: row.updated_at,
    updatedByName: row.updated_by_name,
  };
}

/** The first save of a period's report; null when someone else's first save came in first. */
export async function insertReport(
  db: Db,
  values: { fiscalYear: number; period?: string; state: ReportState; texts: ReportTexts; userId: number; at: string },
): Promise<number | null> {
  const row = await db
    .insertInto("review_reports")
    .values({
      fiscal_year: values.fiscalYear,
      period: values.period ?? "year",
      state: values.state,
      ...columnsOf(values.texts),
      created_by: values.userId,
      created_at: values.at,
      updated_by: values.userId,
      updated_at: values.at,
    })
    .onConflict((conflict) => conflict.columns(["fiscal_year", "period"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A save on the version the writer read: false (nothing written) when it moved on meanwhile. */
export async function updateReport(
  db: Db,
  id: number,
  version: number,
  values: { state: ReportState; texts?: ReportTexts; acceptedVersion?: number; userId: number; at: string },
): Promise<boolean> {
  const result = await db
    .updateTable("review_reports")
    .set({
      state: values.state,
      ...(values.texts ? columnsOf(values.texts) : {}),
      ...(values.acceptedVersion === undefined ? {} : { accepted_version: values.acceptedVersion }),
      version: version + 1,
      updated_by: values.userId,
      updated_at: values.at,
    })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertReportVersion(
  db: Db,
  values: { reportId: number; version: number; state: "submitted" | "accepted"; texts: ReportTexts; userId: number; at: string },
): Promise<void> {
  await db
    .insertInto("review_report_versions")
    .values({ report_id: values.reportId, version: values.version, state: values.state, ...columnsOf(values.texts), by_user: values.userId, at: values.at })
    .execute();
}

/** The text as it was accepted, kept apart from the row later saves could touch. */
export async function acceptedTexts(db: Db, reportId: number): Promise<ReportTexts | null> {
  const row = await db
    .selectFrom("review_report_versions")
    .select(["overdue_text", "work_text", "problems_text", "measures_text"])
    .where("report_id", "=", reportId)
    .where("state", "=", "accepted")
    .orderBy("version", "desc")
    .executeTakeFirst();
  return row ? textsOf(row) : null;
}

export async function insertReportComments(
  db: Db,
  rows: { reportId: number; reportVersion: number; section: ReportSection; decision: "returned" | "accepted"; authorId: number; body: string; at: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("review_report_comments")
    .values(
      rows.map((row) => ({
        report_id: row.reportId,
        report_version: row.reportVersion,
        section: row.section,
        decision: row.decision,
        author_id: row.authorId,
        body: row.body,
        created_at: row.at,
      })),
    )
    .execute();
}

export async function listReportComments(db: Db, reportId: number): Promise<ReportCommentRow[]> {
  const rows = await db
    .selectFrom("review_report_comments")
    .leftJoin("users", "users.id", "review_report_comments.author_id")
    .select([
      "review_report_comments.id",
      "review_report_comments.report_version",
      "review_report_comments.section",
      "review_report_comments.decision",
      "review_report_comments.body",
      "review_report_comments.created_at",
      "users.name as author_name",
    ])
    .where("review_report_comments.report_id", "=", reportId)
    .orderBy("review_report_comments.id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    reportVersion: row.report_version,
    section: row.section,
    decision: row.decision,
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
  }));
}
