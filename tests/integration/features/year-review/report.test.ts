import mammoth from "mammoth";
import { sql } from "kysely";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { action as reportAction, loader as reportLoader } from "~/routes/_app.review.$fiscalYear_.report";
import { loader as docxLoader } from "~/routes/_app.review.$fiscalYear.report.docx";
import type { ReportView } from "~/features/year-review/report.server";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";
import { defined } from "../../../support/defined";

// The fixture ledger is dated 2025; today is in FY2026, so FY2025 is the year reported on.
const TODAY = "2026-02-15";
const YEAR = "2025";
const cookies = { head: "", staff: "", leader: "", admin: "" };
const ids: Record<string, number> = {};

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  await importLedgerFixture();
  // An invoice overdue at the end of 2024 gives the year an opening position to compare with.
  await importIntoTestDb([
    { kind: "customers", source: csvSource("rp-customers.csv", ["code,name,region,owner_email,credit_grade,credit_limit", "RP001,Dalian Coach 大连大客,East,staff@demo.quarterdeck,B,50000"]) },
    { kind: "invoices", source: csvSource("rp-invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "RP-INV-1,RP001,2024-09-01,2024-10-01,8000.00"]) },
    { kind: "payments", source: csvSource("rp-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "RP-PAY-1,RP001,2025-02-01,8000.00,RP-INV-1"]) },
  ]);
  const db = getDb();
  for (const row of await db.selectFrom("customers").select(["id", "code"]).execute()) ids[row.code] = row.id;
  const at = (date: string) => `${date}T03:00:00.000Z`;
  // The year's measures, and a few records just outside the year that must not count.
  await db
    .insertInto("collection_actions")
    .values([
      { customer_id: defined(ids.FX001), user_id: staff.id, kind: "visit", action_date: "2025-04-01", created_at: at("2025-04-01") },
      { customer_id: defined(ids.FX001), user_id: staff.id, kind: "visit", action_date: "2025-06-01", created_at: at("2025-06-01") },
      { customer_id: defined(ids.FX002), user_id: head.id, kind: "lawyer_letter", action_date: "2025-03-01", created_at: at("2025-03-01") },
      { customer_id: defined(ids.FX003), user_id: staff.id, kind: "call", action_date: "2025-12-31", created_at: at("2025-12-31") },
      { customer_id: defined(ids.FX003), user_id: staff.id, kind: "call", action_date: "2026-01-02", created_at: at("2026-01-02") },
      { customer_id: defined(ids.FX004), user_id: staff.id, kind: "repayment_agreement", action_date: "2024-12-31", amount: 100_00, created_at: at("2024-12-31") },
    ])
    .execute();
  await db
    .insertInto("customer_holds")
    .values([
      { customer_id: defined(ids.FX001), kind: "stop_shipment", reason: "overdue", set_by: head.id, set_at: at("2025-05-01"), released_by: head.id, released_at: at("2025-08-01"), release_reason: "paid" },
      { customer_id: defined(ids.FX004), kind: "cash_before_delivery", reason: "overdue", set_by: head.id, set_at: at("2025-09-01") },
      { customer_id: defined(ids.FX002), kind: "cash_before_delivery", reason: "old", set_by: head.id, set_at: at("2024-06-01"), released_by: head.id, released_at: at("2024-09-01"), release_reason: "paid" },
    ])
    .execute();
  const batch = await db
    .insertInto("confirmation_batches")
    .values({ name: "2025 mid-year", period_end: "2025-06-30", created_by: head.id, created_at: at("2025-07-01") })
    .returning("id")
    .executeTakeFirstOrThrow();
  const later = await db
    .insertInto("confirmation_batches")
    .values({ name: "2026 Q1", period_end: "2026-03-31", created_by: head.id, created_at: at("2026-02-01") })
    .returning("id")
    .executeTakeFirstOrThrow();
  const confirmation = (batchId: number, code: string, owner: number, region: string, extra: object) => ({
    batch_id: batchId,
    customer_id: defined(ids[code]),
    owner_id: owner,
    region,
    our_balance: 1000_00,
    difference: 0,
    note: "",
    updated_at: at("2025-07-01"),
    ...extra,
  });
  await db
    .insertInto("balance_confirmations")
    .values([
      confirmation(batch.id, "FX001", staff.id, "East", { sent_on: "2025-07-02", returned_on: "2025-07-20", result: "mismatched", difference: -50_00 }),
      confirmation(batch.id, "FX002", head.id, "North", { sent_on: "2025-07-02", returned_on: "2025-07-22", result: "matched" }),
      confirmation(batch.id, "FX003", staff.id, "South", { sent_on: "2025-07-03" }),
      confirmation(batch.id, "FX004", head.id, "West", {}),
      confirmation(later.id, "FX001", staff.id, "East", { sent_on: "2026-02-02" }),
    ])
    .execute();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
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

async function view(cookie: string, year = YEAR): Promise<ReportView> {
  const result = await call(reportLoader, get(`/review/${year}/report`, cookie), { fiscalYear: year });
  expect(statusOf(result)).toBe(200);
  return payloadOf<ReportView>(result);
}

function postReport(cookie: string, fields: Record<string, string>, year = YEAR) {
  return call(reportAction, post(`/review/${year}/report`, fields, cookie), { fiscalYear: year });
}

async function tableCounts() {
  const db = getDb();
  const count = async (table: "review_reports" | "review_report_versions" | "review_report_comments" | "audit_log") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { reports: await count("review_reports"), versions: await count("review_report_versions"), comments: await count("review_report_comments"), audit: await count("audit_log") };
}

const texts = (draft: ReportView["texts"], overrides: Partial<ReportView["texts"]> = {}) => ({ ...draft, ...overrides });

describe("the written report", () => {
  it("shows a draft generated in the reader's language and stores nothing by reading", async () => {
    const before = await tableCounts();
    const report = await view(cookies.head);
    expect(report).toMatchObject({ state: null, version: 0, accepted: null, may: { edit: true, decide: false } });
    expect(report.texts.overdue).toMatch(/^Overdue receivables stood at /);
    expect(report.texts.work).toContain("collection actions were recorded");
    expect(await tableCounts()).toEqual(before);

    await getDb().updateTable("users").set({ locale: "zh-CN" }).where("email", "=", "head@demo.quarterdeck").execute();
    try {
      const zh = await view(cookies.head);
      expect(zh.texts.overdue).toMatch(/^2025年末逾期账款[\d,.]+万元，比年初/);
      expect(zh.texts.work).toContain("全年共记录催收措施4次");
    } finally {
      await getDb().updateTable("users").set({ locale: "en" }).where("email", "=", "head@demo.quarterdeck").execute();
    }
    expect(await tableCounts()).toEqual(before);
  });

  it("goes from the head's draft to leadership and back, with versions, comments and audit, and freezes the accepted text", async () => {
    const draft = (await view(cookies.head)).texts;
    // The first save names version 0: nothing stored yet.
    const saved = await postReport(cookies.head, { intent: "save", version: "0", ...texts(draft, { overdue: "Overdue came down **a third**." }) });
    expect(statusOf(saved)).toBe(302);
    let report = await view(cookies.head);
    expect(report).toMatchObject({ state: "draft", version: 1 });
    expect(report.texts.overdue).toBe("Overdue came down **a third**.");

    // A second tab's save on version 0 is stale: 409, nothing changes.
    const before = await tableCounts();
    const stale = await postReport(cookies.head, { intent: "save", version: "0", ...texts(draft) });
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf<{ message: string }>(stale).message).toBe("review.report.error.conflict");
    expect(await tableCounts()).toEqual(before);

    expect(statusOf(await postReport(cookies.head, { intent: "submit", version: "1", ...report.texts }))).toBe(302);
    report = await view(cookies.leader);
    expect(report).toMatchObject({ state: "submitted", version: 2, may: { edit: false, decide: true } });
    // The head cannot change it while leadership has it.
    expect(statusOf(await postReport(cookies.head, { intent: "save", version: "2", ...report.texts }))).toBe(409);

    // Returning needs a comment on at least one section.
    const noComment = await postReport(cookies.leader, { intent: "return", version: "2", comment_overdue: "  " });
    expect(statusOf(noComment)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(noComment).fieldErrors.comment_overdue).toEqual(["review.report.error.returnNeedsComment"]);
    expect(statusOf(await postReport(cookies.leader, { intent: "return", version: "2", comment_problems: "Name the customers who did not pay." }))).toBe(302);
    report = await view(cookies.head);
    expect(report).toMatchObject({ state: "returned", version: 3, may: { edit: true } });
    expect(report.comments).toEqual([expect.objectContaining({ section: "problems", decision: "returned", reportVersion: 2, body: "Name the customers who did not pay." })]);

    expect(statusOf(await postReport(cookies.head, { intent: "submit", version: "3", ...texts(report.texts, { problems: "FX001 did not pay." }) }))).toBe(302);
    expect(statusOf(await postReport(cookies.leader, { intent: "accept", version: "4", comment_measures: "Good." }))).toBe(302);
    report = await view(cookies.head);
    expect(report).toMatchObject({ state: "accepted", version: 5, acceptedVersion: 4, may: { edit: false, decide: false } });
    expect(report.accepted?.problems).toBe("FX001 did not pay.");

    // Frozen: neither a save nor a second decision goes through.
    const frozen = await tableCounts();
    expect(statusOf(await postReport(cookies.head, { intent: "save", version: "5", ...report.texts }))).toBe(409);
    expect(statusOf(await postReport(cookies.leader, { intent: "return", version: "5", comment_work: "again" }))).toBe(409);
    expect(await tableCounts()).toEqual(frozen);

    const db = getDb();
    const versions = await db.selectFrom("review_report_versions").select(["version", "state", "problems_text"]).orderBy("id").execute();
    expect(versions).toEqual([
      { version: 2, state: "submitted", problems_text: draft.problems },
      { version: 4, state: "submitted", problems_text: "FX001 did not pay." },
      { version: 4, state: "accepted", problems_text: "FX001 did not pay." },
    ]);
    const audit = await db.selectFrom("audit_log").select("action").where("entity", "=", "review_report").orderBy("id").execute();
    expect(audit.map((row) => row.action)).toEqual(["created", "submitted", "returned", "submitted", "accepted"]);
  });

  it("refuses the wrong role, forged posts and bad input, changing nothing", async () => {
    const draft = (await view(cookies.head)).texts;
    const before = await tableCounts();
    // leadership and staff cannot write it; the head cannot decide; admin cannot even read it
    expect(statusOf(await postReport(cookies.leader, { intent: "save", version: "0", ...draft }))).toBe(403);
    expect(statusOf(await postReport(cookies.staff, { intent: "submit", version: "0", ...draft }))).toBe(403);
    expect(statusOf(await postReport(cookies.head, { intent: "accept", version: "0" }))).toBe(403);
    expect(statusOf(await call(reportLoader, get(`/review/${YEAR}/report`, cookies.admin), { fiscalYear: YEAR }))).toBe(403);
    // staff see only their own customers: the report, which speaks of all, is not theirs to read
    expect(statusOf(await call(reportLoader, get(`/review/${YEAR}/report`, cookies.staff), { fiscalYear: YEAR }))).toBe(403);
    expect(statusOf(await call(docxLoader, get(`/review/${YEAR}/report/docx`, cookies.staff), { fiscalYear: YEAR }))).toBe(403);
    // a decision on a report never submitted
    expect(statusOf(await postReport(cookies.leader, { intent: "accept", version: "0" }))).toBe(409);
    // unknown intent, a version that is no number, a text too long, an empty section on submit
    expect(statusOf(await postReport(cookies.head, { intent: "publish", version: "0", ...draft }))).toBe(400);
    expect(statusOf(await postReport(cookies.head, { intent: "save", version: "x", ...draft }))).toBe(400);
    const tooLong = await postReport(cookies.head, { intent: "save", version: "0", ...texts(draft, { work: "字".repeat(20_001) }) });
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(tooLong).fieldErrors.work).toEqual(["review.report.validation.textTooLong"]);
    const empty = await postReport(cookies.head, { intent: "submit", version: "0", ...texts(draft, { measures: "  \n " }) });
    expect(statusOf(empty)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(empty).fieldErrors.measures).toEqual(["review.report.error.emptySection"]);
    // a year with nothing to review
    expect(statusOf(await postReport(cookies.head, { intent: "save", version: "0", ...draft }, "2019"))).toBe(404);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("the year's measures", () => {
  it("count exactly the records of the year", async () => {
    const { measures } = await view(cookies.leader);
    const db = getDb();
    const actionCounts = await db
      .selectFrom("collection_actions")
      .select(["kind", sql<number>`count(*)`.as("n")])
      .where("action_date", ">=", "2025-01-01")
      .where("action_date", "<=", "2025-12-31")
      .groupBy("kind")
      .execute();
    const expected = Object.fromEntries(actionCounts.map((row) => [row.kind, Number(row.n)]));
    expect(Object.fromEntries(measures.actions.filter((row) => row.count > 0).map((row) => [row.kind, row.count]))).toEqual(expected);
    expect(expected).toEqual({ visit: 2, lawyer_letter: 1, call: 1 });
    expect(measures.actions.find((row) => row.kind === "visit")).toMatchObject({ customers: 1 });
    // FX001 after its first visit (2025-04-01): 4,000 on 04-10, 7,000 on 05-20, 1,000 on 07-05
    const fx001After = await db
      .selectFrom("payments")
      .select(sql<number>`sum(amount)`.as("total"))
      .where("customer_id", "=", defined(ids.FX001))
      .where("date", ">=", "2025-04-01")
      .where("date", "<=", "2025-12-31")
      .executeTakeFirstOrThrow();
    expect(measures.actions.find((row) => row.kind === "visit")?.collectedAfter).toBe(Number(fx001After.total));

    expect(measures.holds).toEqual([
      expect.objectContaining({ kind: "cash_before_delivery", set: 1, released: 0, heldAtEnd: 1 }),
      expect.objectContaining({ kind: "stop_shipment", set: 1, released: 1, heldAtEnd: 0 }),
    ]);

    const confirmations = await db
      .selectFrom("balance_confirmations as c")
      .innerJoin("confirmation_batches as b", "b.id", "c.batch_id")
      .select([
        sql<number>`count(*)`.as("total"),
        sql<number>`count(c.sent_on)`.as("sent"),
        sql<number>`count(c.returned_on)`.as("returned"),
        sql<number>`sum(case when c.result = 'mismatched' then 1 else 0 end)`.as("mismatched"),
      ])
      .where("b.period_end", ">=", "2025-01-01")
      .where("b.period_end", "<=", "2025-12-31")
      .executeTakeFirstOrThrow();
    expect(measures.confirmations.all).toMatchObject({
      total: Number(confirmations.total),
      sent: Number(confirmations.sent),
      returned: Number(confirmations.returned),
      mismatched: Number(confirmations.mismatched),
    });
    expect(measures.confirmations.all).toMatchObject({ total: 4, sent: 3, returned: 2, matched: 1, mismatched: 1 });
    expect(measures.confirmations.byRegion.map((row) => [row.name, row.total])).toEqual([
      ["East", 1],
      ["North", 1],
      ["South", 1],
      ["West", 1],
    ]);
    expect(measures.confirmations.byOwner.reduce((sum, row) => sum + row.total, 0)).toBe(4);

    const adjustments = await db
      .selectFrom("adjustments")
      .select(["type", sql<number>`count(*)`.as("n"), sql<number>`sum(amount)`.as("total")])
      .where("date", ">=", "2025-01-01")
      .where("date", "<=", "2025-12-31")
      .groupBy("type")
      .execute();
    for (const row of adjustments) {
      expect(measures.adjustments.find((a) => a.type === row.type)).toEqual({ type: row.type, count: Number(row.n), amount: Number(row.total) });
    }

    const collected = await db
      .selectFrom("payments")
      .select(["customer_id", sql<number>`sum(amount)`.as("total")])
      .where("date", ">=", "2025-01-01")
      .where("date", "<=", "2025-12-31")
      .groupBy("customer_id")
      .execute();
    const first = defined(measures.topCollections[0]);
    const offsets = measures.topCollections.reduce((sum, row) => sum + row.offsets, 0);
    const offsetTotal = adjustments.find((row) => row.type === "offset");
    expect(offsets).toBe(Number(offsetTotal?.total ?? 0));
    expect(measures.topCollections.reduce((sum, row) => sum + row.payments, 0)).toBe(collected.reduce((sum, row) => sum + Number(row.total), 0));
    expect(first.total).toBe(Math.max(...measures.topCollections.map((row) => row.total)));
  });
});

describe("the Word export", () => {
  it("carries the accepted text, the tables and the figures, in Chinese", async () => {
    const db = getDb();
    await db.updateTable("users").set({ locale: "zh-CN" }).where("email", "=", "head@demo.quarterdeck").execute();
    try {
      const draft = (await view(cookies.head)).texts;
      const hostile = "<script>alert(1)</script>";
      expect(statusOf(await postReport(cookies.head, { intent: "submit", version: "0", ...texts(draft, { work: `**重点清欠**\n\n- 大连大客签订还款协议\n\n| 客户 | 回款 |\n| --- | --- |\n| 哈轻 | 8611万元 |\n\n${hostile}` }) }))).toBe(302);
      expect(statusOf(await postReport(cookies.leader, { intent: "accept", version: "1" }))).toBe(302);

      const result = await call(docxLoader, get(`/review/${YEAR}/report/docx`, cookies.head), { fiscalYear: YEAR });
      expect(result).toBeInstanceOf(Response);
      const response = result as Response;
      expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
      expect(response.headers.get("Content-Disposition")).toContain(encodeURIComponent("2025年度工作总结.docx"));
      const buffer = Buffer.from(await response.arrayBuffer());
      const { value: text } = await mammoth.extractRawText({ buffer });
      const { value: html } = await mammoth.convertToHtml({ buffer });
      expect(text).toContain("2025年度逾期账款管理工作总结");
      expect(text).toContain("状态：已审阅通过");
      for (const title of ["一、逾期账款变化情况", "二、应收账款工作情况", "三、工作中遇到的问题", "四、明年的措施", "附：全年清欠措施统计"]) expect(text).toContain(title);
      // the accepted text: its sentence, its list, its table, the hostile line as text
      expect(text).toMatch(/2025年末逾期账款[\d,.]+万元，比年初[\d,.]+万元/);
      expect(html).toContain("<strong>重点清欠</strong>");
      expect(text).toContain("• 大连大客签订还款协议");
      expect(html).toMatch(/<td><p>哈轻<\/p><\/td><td><p>8611万元<\/p><\/td>/);
      expect(text).toContain(hostile);
      expect(html).not.toContain("<script>");
      // the measures' tables with the database's counts
      expect(html).toMatch(/<td><p>上门走访<\/p><\/td><td><p>2<\/p><\/td><td><p>1<\/p><\/td>/);
      expect(text).toContain("共发出对账函3份，收回2份，收回率66.7%，余额不符1份。");
      // a hold's kind in the holds feature's own words (holds.kind.*), not a key of the report's
      expect(html).toMatch(/<td><p>款到发货<\/p><\/td><td><p>1<\/p><\/td><td><p>0<\/p><\/td><td><p>1<\/p><\/td>/);
      expect(html).toMatch(/<td><p>停止发货<\/p><\/td><td><p>1<\/p><\/td><td><p>1<\/p><\/td><td><p>0<\/p><\/td>/);
      // the chart as an image, and the month-end figures beneath it
      expect(text).toContain("各月末逾期账款（最后一根为年末）");
      expect(html).toMatch(/<img [^>]*src="data:image\/png;base64,[A-Za-z0-9+/=]{200,}"/);
      expect(html).toMatch(/<td><p>2025-12-31<\/p><\/td><td><p>[\d,.]+<\/p><\/td>/);
      expect(html).toMatch(/<td><p>合计<\/p><\/td><td><p>4<\/p><\/td><td><p>3<\/p><\/td><td><p>2<\/p><\/td><td><p>1<\/p><\/td><td><p>1<\/p><\/td>/);
    } finally {
      await db.updateTable("users").set({ locale: "en" }).where("email", "=", "head@demo.quarterdeck").execute();
    }
  });
});
