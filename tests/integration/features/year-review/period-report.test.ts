import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { loader as yearReportLoader } from "~/routes/_app.review.$fiscalYear_.report";
import { loader as reviewLoader } from "~/routes/_app.review.$fiscalYear";
import { loader as reviewXlsxLoader } from "~/routes/_app.review.$fiscalYear.xlsx";
import type { ReviewPageData } from "~/features/year-review/components/year-review-page";
import { action as periodAction, loader as periodLoader } from "~/routes/_app.review.$fiscalYear_.report_.$period";
import { loader as periodDocxLoader } from "~/routes/_app.review.$fiscalYear_.report_.$period.docx";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { loadScoreboard } from "~/features/scoreboard/index.server";
import type { ReportView } from "~/features/year-review/report.server";
import { wanNumber } from "~/features/year-review/report-draft";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

// The fixture ledger is dated 2025; today is in FY2026's first quarter: every period of FY2025 has
// ended, FY2026's Q1 runs and its other periods have not begun.
const TODAY = "2026-02-15";
const cookies = { head: "", leader: "", staff: "" };

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  await importLedgerFixture();
  await importIntoTestDb([
    { kind: "customers", source: csvSource("pr-customers.csv", ["code,name,region,owner_email,credit_grade,credit_limit", "PR001,Dalian Coach 大连大客,East,staff@demo.quarterdeck,B,50000"]) },
    { kind: "invoices", source: csvSource("pr-invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "PR-INV-1,PR001,2024-09-01,2024-10-01,8000.00"]) },
    { kind: "payments", source: csvSource("pr-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "PR-PAY-1,PR001,2025-02-01,8000.00,PR-INV-1"]) },
  ]);
  // a collection action in the first half: the draft counts it as the period's, not the year's
  const customer = await getDb().selectFrom("customers").select("id").where("code", "=", "PR001").executeTakeFirstOrThrow();
  await getDb()
    .insertInto("collection_actions")
    .values({ customer_id: customer.id, user_id: staff.id, kind: "visit", action_date: "2025-04-01", created_at: "2025-04-01T03:00:00.000Z" })
    .execute();
  cookies.head = await signIn(head.email);
  cookies.leader = await signIn(leader.email);
  cookies.staff = await signIn(staff.email);
});

beforeEach(async () => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const db = getDb();
  await db.deleteFrom("review_report_comments").execute();
  await db.deleteFrom("review_report_versions").execute();
  await db.deleteFrom("review_reports").execute();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

async function view(cookie: string, year: string, period: string): Promise<ReportView> {
  const result = await call(periodLoader, get(`/review/${year}/report/${period}`, cookie), { fiscalYear: year, period });
  expect(statusOf(result)).toBe(200);
  return payloadOf<ReportView>(result);
}

function postPeriod(cookie: string, year: string, period: string, fields: Record<string, string>) {
  return call(periodAction, post(`/review/${year}/report/${period}`, fields, cookie), { fiscalYear: year, period });
}

async function overdueAt(date: string) {
  return (await kpiValues(getDb(), resolveKpiRequest({ asOf: date, scope: "company" }))).values.overdue_total;
}

async function counts() {
  const db = getDb();
  const n = async (table: "review_reports" | "review_report_versions" | "review_report_comments" | "audit_log") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return [await n("review_reports"), await n("review_report_versions"), await n("review_report_comments"), await n("audit_log")];
}

async function inChinese<T>(email: string, run: () => Promise<T>): Promise<T> {
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("email", "=", email).execute();
  try {
    return await run();
  } finally {
    await getDb().updateTable("users").set({ locale: "en" }).where("email", "=", email).execute();
  }
}

describe("half-year and quarter reports", () => {
  it("draft the period's own figures: its start and end against the same period a year earlier, its scoring", async () => {
    const before = await counts();
    const h1 = await inChinese("head@demo.quarterdeck", () => view(cookies.head, "2025", "h1"));
    expect(h1).toMatchObject({ fiscalYear: 2025, period: "h1", from: "2025-01-01", to: "2025-06-30", state: null, version: 0 });
    expect(h1.periods).toEqual(["year", "h1", "h2", "q1", "q2", "q3", "q4"]);
    const [opening, closing] = [await overdueAt("2024-12-31"), await overdueAt("2025-06-30")];
    expect(opening).toBeGreaterThan(0);
    expect(h1.texts.overdue.split("\n")[0]).toBe(
      `2025年上半年末逾期账款${wanNumber(closing)}万元，比期初${wanNumber(opening)}万元${opening > closing ? "降低" : "增加"}${wanNumber(Math.abs(opening - closing))}万元，${opening > closing ? "降幅" : "增幅"}${((Math.round((Math.abs(opening - closing) / opening) * 1000) / 10).toFixed(1))}%。`,
    );
    expect(h1.texts.work).toMatch(/^本期计划工作\d+项，完成\d+项。/);
    expect(h1.texts.work).toContain("本期共记录催收措施1次：上门走访1次");
    expect(h1.texts.work).not.toContain("全年");
    // the scoring is the scoreboard's for the same dates
    const board = await loadScoreboard(getDb(), { start: "2025-01-01", end: "2025-06-30" }, { id: 0, role: "head" });
    const scored = board.rows.filter((row) => row.score.points !== null);
    expect(scored.length).toBeGreaterThan(0);
    expect(h1.scoring.lines.filter((line) => line.points !== null).map((line) => [line.ownerId, line.points, line.rank, line.warning]).sort()).toEqual(
      scored.map((row) => [row.ownerId, row.score.points, row.score.rank, row.score.warning]).sort(),
    );
    const ranks = h1.scoring.lines.flatMap((line) => (line.rank === null ? [] : [line.rank]));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(h1.texts.work).toContain("**业务人员考核**");
    expect(h1.texts.work).toContain(`本期对${scored.length}名负责人考核计分`);

    const q3 = await view(cookies.leader, "2025", "q3");
    expect(q3).toMatchObject({ period: "q3", from: "2025-07-01", to: "2025-09-30" });
    expect(q3.texts.overdue).toMatch(/^Overdue receivables stood at .* at the end of Q3 2025/);
    // the running quarter (and half) end today; the periods to come are not there yet
    expect(await view(cookies.head, "2026", "q1")).toMatchObject({ from: "2026-01-01", to: TODAY, periods: ["year", "h1", "q1"] });
    expect(await counts()).toEqual(before);
  });

  it("is written, returned and accepted apart from the year's report, and exported as Word with its scoring", async () => {
    const draft = (await view(cookies.head, "2025", "h1")).texts;
    expect(statusOf(await postPeriod(cookies.head, "2025", "h1", { intent: "submit", version: "0", ...draft, overdue: `${draft.overdue}\n\n上半年走访重点客户六次。` }))).toBe(302);
    expect(statusOf(await postPeriod(cookies.leader, "2025", "h1", { intent: "return", version: "1", comment_work: "请补充律师函情况。" }))).toBe(302);
    let h1 = await view(cookies.head, "2025", "h1");
    expect(h1).toMatchObject({ state: "returned", version: 2, may: { edit: true, decide: false } });
    expect(h1.comments).toEqual([expect.objectContaining({ section: "work", decision: "returned", body: "请补充律师函情况。" })]);
    expect(statusOf(await postPeriod(cookies.head, "2025", "h1", { intent: "submit", version: "2", ...h1.texts, work: `${h1.texts.work}\n\n- 发出律师函一份。` }))).toBe(302);
    expect(statusOf(await postPeriod(cookies.leader, "2025", "h1", { intent: "accept", version: "3" }))).toBe(302);
    h1 = await view(cookies.head, "2025", "h1");
    expect(h1).toMatchObject({ state: "accepted", acceptedVersion: 3 });
    expect(h1.accepted?.work).toContain("- 发出律师函一份。");

    // the year's report and the second half's are untouched
    const year = payloadOf<ReportView>(await call(yearReportLoader, get("/review/2025/report", cookies.head), { fiscalYear: "2025" }));
    expect(year.state).toBeNull();
    expect((await view(cookies.head, "2025", "h2")).state).toBeNull();
    const db = getDb();
    expect(await db.selectFrom("review_reports").select(["fiscal_year", "period", "state"]).execute()).toEqual([{ fiscal_year: 2025, period: "h1", state: "accepted" }]);
    const audit = await db.selectFrom("audit_log").select(["action", "after"]).where("entity", "=", "review_report").orderBy("id").execute();
    expect(audit.map((row) => row.action)).toEqual(["submitted", "returned", "submitted", "accepted"]);
    expect(audit.every((row) => String(row.after).includes('"period":"h1"'))).toBe(true);

    await inChinese("head@demo.quarterdeck", async () => {
      const result = await call(periodDocxLoader, get("/review/2025/report/h1/docx", cookies.head), { fiscalYear: "2025", period: "h1" });
      expect(result).toBeInstanceOf(Response);
      const response = result as Response;
      expect(response.headers.get("Content-Disposition")).toContain(encodeURIComponent("2025年上半年工作总结.docx"));
      const buffer = Buffer.from(await response.arrayBuffer());
      const { value: text } = await mammoth.extractRawText({ buffer });
      const { value: html } = await mammoth.convertToHtml({ buffer });
      expect(text).toContain("2025年上半年逾期账款管理工作总结");
      expect(text).toContain("上半年走访重点客户六次。");
      expect(text).toContain("• 发出律师函一份。");
      expect(text).toContain("四、下阶段工作措施");
      expect(text).toContain("业务人员考核");
      expect(text).toContain("附：本期清欠措施统计");
      const top = h1.scoring.lines[0];
      expect(top?.points).not.toBeNull();
      expect(html).toContain(`<td><p>1</p></td><td><p>${top?.name}</p></td><td><p>${top?.points?.toFixed(1)}</p></td>`);
    });
  });

  it("answers an unknown or unbegun period with 404 and refuses forged posts, changing nothing", async () => {
    const draft = (await view(cookies.head, "2025", "q1")).texts;
    const before = await counts();
    for (const [year, period] of [["2025", "h3"], ["2025", "year"], ["2025", "Q1"], ["2026", "q2"], ["2026", "h2"], ["2019", "q1"]] as const) {
      expect(statusOf(await call(periodLoader, get(`/review/${year}/report/${period}`, cookies.head), { fiscalYear: year, period })), `${year} ${period}`).toBe(404);
      expect(statusOf(await postPeriod(cookies.head, year, period, { intent: "save", version: "0", ...draft })), `${year} ${period}`).toBe(404);
    }
    expect(statusOf(await call(periodDocxLoader, get("/review/2026/report/q3/docx", cookies.head), { fiscalYear: "2026", period: "q3" }))).toBe(404);
    // the same rules as the year's report: leadership does not write it, staff do not read it, a stale version is a 409
    expect(statusOf(await postPeriod(cookies.leader, "2025", "q1", { intent: "save", version: "0", ...draft }))).toBe(403);
    expect(statusOf(await call(periodLoader, get("/review/2025/report/q1", cookies.staff), { fiscalYear: "2025", period: "q1" }))).toBe(403);
    expect(statusOf(await postPeriod(cookies.head, "2025", "q1", { intent: "save", version: "4", ...draft }))).toBe(409);
    expect(statusOf(await postPeriod(cookies.head, "2025", "q1", { intent: "submit", version: "0", ...draft, problems: " " }))).toBe(400);
    expect(await counts()).toEqual(before);
  });
});

describe("the staff scoring in the year review", () => {
  it("shows the year's points per owner, ranked with the warnings, and exports them in the review's workbook", async () => {
    const board = await loadScoreboard(getDb(), { start: "2025-01-01", end: "2025-12-31" }, { id: 0, role: "leader" });
    const page = payloadOf<ReviewPageData>(await call(reviewLoader, get("/review/2025", cookies.leader), { fiscalYear: "2025" }));
    expect(page.scoring).toMatchObject({ from: "2025-01-01", to: "2025-12-31" });
    const scored = board.rows.filter((row) => row.score.points !== null).sort((a, b) => (a.score.rank ?? 0) - (b.score.rank ?? 0) || a.name.localeCompare(b.name));
    expect(scored.length).toBeGreaterThan(0);
    expect(page.scoring.lines.slice(0, scored.length).map((line) => [line.name, line.points, line.rank, line.warning])).toEqual(
      scored.map((row) => [row.name, row.score.points, row.score.rank, row.score.warning]),
    );

    const result = await call(reviewXlsxLoader, get("/review/2025/xlsx", cookies.leader), { fiscalYear: "2025" });
    expect(statusOf(result)).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await (result as Response).arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet("Staff scoring");
    expect(sheet?.getRow(1).getCell(3).value).toBe("Points");
    const first = sheet?.getRow(2);
    expect([first?.getCell(1).value, first?.getCell(2).value, first?.getCell(3).value]).toEqual([scored[0]?.score.rank, scored[0]?.name, scored[0]?.score.points]);
    expect(first?.getCell(3).numFmt).toBe("0.0");
    expect(sheet?.rowCount).toBe(1 + page.scoring.lines.length);
  });

  it("is kept with the review only until the database changes: a new warning threshold shows on the next view", async () => {
    const view = async () => payloadOf<ReviewPageData>(await call(reviewLoader, get("/review/2025", cookies.leader), { fiscalYear: "2025" })).scoring;
    const before = await view();
    const rules = await getDb().selectFrom("scoring_rules").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
    const warnBelow = rules.warn_below === 90 ? 80 : 90;
    try {
      await getDb().updateTable("scoring_rules").set({ warn_below: warnBelow }).where("id", "=", 1).execute();
      const after = await view();
      expect(before.warnBelow).toBe(rules.warn_below);
      expect(after.warnBelow).toBe(warnBelow);
      const board = await loadScoreboard(getDb(), { start: "2025-01-01", end: "2025-12-31" }, { id: 0, role: "leader" });
      expect(after.lines.filter((line) => line.warning).map((line) => line.name).sort()).toEqual(
        board.rows.filter((row) => row.score.warning).map((row) => row.name).sort(),
      );
    } finally {
      await getDb().updateTable("scoring_rules").set({ warn_below: rules.warn_below }).where("id", "=", 1).execute();
    }
  });
});
