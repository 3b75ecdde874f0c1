import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { kpiObject } from "~/features/kpi/kpi.server";
import { customerReviewDecisions, getApprovalAmount } from "~/features/credit/review/queries.server";
import { summariesAreCurrent } from "~/features/kpi/queries/summary.server";
import { action as indexAction, loader as indexLoader } from "~/routes/_app.credit.review._index";
import { action as reviewAction, loader as reviewLoader } from "~/routes/_app.credit.review.$reviewId";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../../support/app";
import { csvSource, importIntoTestDb } from "../../../../support/ledger";
import { openReviewAndWait } from "../../../../support/credit-review";
import { defined } from "../../../../support/defined";
import type { Done, Refusal } from "~/server/responses.server";

// Q4 2026 (calendar fiscal year): the quarter ends 2026-12-31.
const TODAY = "2026-11-23";
const previousToday = process.env.QUARTERDECK_TODAY;

const cookies = { head: "", staff: "", leader: "" };
const ids: Record<string, number> = {};
let headId = 0;
let reviewId = 0;

async function customer(code: string) {
  return getDb().selectFrom("customers").select(["id", "credit_grade", "credit_limit"]).where("code", "=", code).executeTakeFirstOrThrow();
}

async function item(code: string) {
  return getDb()
    .selectFrom("credit_review_items")
    .selectAll()
    .where("review_id", "=", reviewId)
    .where("customer_id", "=", defined(ids[code]))
    .executeTakeFirst();
}

async function auditCount() {
  const row = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A past review with every listed customer decided (accepted as they were). */
async function pastReview(fiscalYear: number, quarter: number, asOf: string, codes: string[]) {
  const db = getDb();
  const review = await db
    .insertInto("credit_reviews")
    .values({ fiscal_year: fiscalYear, quarter, as_of: asOf, status: "closed", created_by: headId, created_at: `${asOf}T08:00:00.000Z` })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (const code of codes) {
    const c = await customer(code);
    await db
      .insertInto("credit_review_items")
      .values({
        review_id: review.id,
        customer_id: c.id,
        current_grade: c.credit_grade,
        suggested_grade: c.credit_grade,
        decision: "accept",
        decided_grade: c.credit_grade,
        decided_limit: c.credit_limit,
        decided_by: headId,
        decided_at: `${asOf}T09:00:00.000Z`,
      })
      .execute();
  }
}

const monthly = (code: string, amount: string, paid: boolean) => {
  const invoices: string[] = [];
  const payments: string[] = [];
  for (let m = 1; m <= 10; m += 1) {
    const mm = String(m).padStart(2, "0");
    const due = `2026-${String(m + 1).padStart(2, "0")}-01`;
    invoices.push(`INV-${code}-${mm},${code},2026-${mm}-01,${due},${amount}`);
    if (paid) payments.push(`PAY-${code}-${mm},${code},${due},${amount},INV-${code}-${mm}`);
  }
  return { invoices, payments };
};

/** The customers as imported: a re-import puts back the grades and limits a decision changed. */
const customersFile = () => ({
  kind: "customers" as const,
  source: csvSource("customers.csv", [
    "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
    "R001,Always on time,East,review-staff@example.test,A,100000.00,30",
    "R002,Very late payer,North,,B,50000.00,30",
    "R003,Due by frequency,North,,C,20000.00,30",
    "R004,Growing and punctual,East,review-staff@example.test,B,10000.00,30",
  ]),
});

beforeAll(async () => {
  process.env.QUARTERDECK_TODAY = TODAY;
  const head = await makeUser("head");
  const staff = await makeUser("staff", { email: "review-staff@example.test" });
  const leader = await makeUser("leader");
  headId = head.id;
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);

  const good = monthly("R001", "1000.00", true);
  const growing = monthly("R004", "100000.00", true);
  await importIntoTestDb([
    customersFile(),
    {
      kind: "invoices",
      source: csvSource("invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        ...good.invoices,
        "INV-R002-1,R002,2026-01-10,2026-02-09,30000.00",
        "INV-R003-1,R003,2026-10-01,2026-10-31,5000.00",
        ...growing.invoices,
      ]),
    },
    {
      kind: "payments",
      source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", ...good.payments, "PAY-R003-1,R003,2026-10-30,5000.00,INV-R003-1", ...growing.payments]),
    },
  ]);
  for (const code of ["R001", "R002", "R003", "R004"]) ids[code] = (await customer(code)).id;
  // R001 (A, yearly) and R002 (B, half-yearly) were reviewed last quarter; R003 (C, quarterly) in Q2.
  await pastReview(2026, 3, "2026-09-30", ["R001", "R002"]);
  await pastReview(2026, 2, "2026-06-30", ["R003"]);
});

afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

// Every test starts before this quarter's review is opened: the customers as imported, the
// approval amount at its default; the past reviews of beforeAll stay.
beforeEach(async () => {
  const db = getDb();
  await db.deleteFrom("credit_review_openings").execute();
  await db.deleteFrom("credit_reviews").where("fiscal_year", "=", 2026).where("quarter", "=", 4).execute();
  await db.deleteFrom("settings").where("key", "=", "credit_review_approval_amount").execute();
  const restored = await importIntoTestDb([customersFile()]);
  expect(restored.ok).toBe(true);
  reviewId = 0;
});

describe("opening the quarter's credit review", () => {
  it("refuses staff and leaders: only the head opens it", async () => {
    expect(statusOf(await call(indexAction, post("/credit/review", { intent: "open" }, cookies.staff)))).toBe(403);
    expect(statusOf(await call(indexAction, post("/credit/review", { intent: "open" }, cookies.leader)))).toBe(403);
  });

  it("head: snapshots the customers due by frequency and those the rules flag", async () => {
    reviewId = await openReviewAndWait(cookies.head);

    expect(await item("R001")).toBeUndefined();
    const flagged = await item("R002");
    expect(flagged).toMatchObject({ selection: "flagged", current_grade: "B", suggested_grade: "C", last_reviewed_on: "2026-09-30" });
    expect(flagged!.avg_days_late_hundredths).toBeGreaterThan(3000);
    expect(JSON.parse(flagged!.reasons).map((r: { key: string }) => r.key)).toContain("credit.reason.demote");
    expect(await item("R003")).toMatchObject({ selection: "due", current_grade: "C", last_reviewed_on: "2026-06-30" });
    // 10 x 100,000.00 invoiced in the trailing year, all paid (nothing open: no promotion evidence);
    // 30 days' terms + grade B's 1.2 months = 2.2 months of 83,333.33 = 183,333.33, to ¥1,000
    expect(await item("R004")).toMatchObject({
      selection: "never_reviewed",
      suggested_grade: "B",
      trailing_sales: 100_000_000,
      suggested_limit: 18_300_000,
    });

    const page = payloadOf<{ review: { total: number; decided: number }; items: { customerCode: string }[] }>(
      await call(reviewLoader, get(`/credit/review/${reviewId}`, cookies.head), { reviewId: String(reviewId) }),
    );
    expect(page.review).toMatchObject({ total: 3, decided: 0 });
    // a suggested change first, then by code
    expect(page.items.map((row) => row.customerCode)).toEqual(["R002", "R003", "R004"]);
  });

  it("refuses to open the same quarter twice, changing nothing", async () => {
    reviewId = await openReviewAndWait(cookies.head);
    const before = await getDb().selectFrom("credit_reviews").select("id").execute();
    const openings = await getDb().selectFrom("credit_review_openings").select("id").execute();
    const result = await call(indexAction, post("/credit/review", { intent: "open" }, cookies.head));
    expect(statusOf(result)).toBe(409);
    expect(payloadOf(result)).toMatchObject({ ok: false, code: "conflict", intent: "open", message: "creditReview.validation.alreadyOpen", current: { reviewId } });
    expect(await getDb().selectFrom("credit_reviews").select("id").execute()).toEqual(before);
    expect(await getDb().selectFrom("credit_review_openings").select("id").execute()).toEqual(openings);
  });

  it("staff see only their own customers' rows", async () => {
    reviewId = await openReviewAndWait(cookies.head);
    const page = payloadOf<{ items: { customerCode: string }[]; may: { decide: boolean } }>(
      await call(reviewLoader, get(`/credit/review/${reviewId}`, cookies.staff), { reviewId: String(reviewId) }),
    );
    expect(page.items.map((row) => row.customerCode)).toEqual(["R004"]);
    expect(page.may.decide).toBe(false);
  });
});

describe("decisions", () => {
  const decide = (fields: Record<string, string>, cookie = cookies.head, id = reviewId) =>
    call(reviewAction, post(`/credit/review/${id}`, { intent: "decide", ...fields }, cookie), { reviewId: String(id) });

  beforeEach(async () => {
    reviewId = await openReviewAndWait(cookies.head);
  });

  /** Decides every row as the tests below do one by one; the limit increase approved by the leader. */
  async function decideEveryRow(): Promise<void> {
    const ok = async (result: unknown) => expect(payloadOf(result)).toMatchObject({ ok: true });
    await ok(await decide({ itemId: String((await item("R002"))!.id), decision: "accept" }));
    await ok(await decide({ itemId: String((await item("R003"))!.id), decision: "reject", comment: "Guarantee renewed; keep C." }));
    const r004 = (await item("R004"))!;
    await ok(await decide({ itemId: String(r004.id), decision: "modify", limit: "250,000.00", comment: "New plant: volume doubles." }));
    await ok(await call(reviewAction, post(`/credit/review/${reviewId}`, { intent: "approve", itemId: String(r004.id), comment: "Agreed." }, cookies.leader), { reviewId: String(reviewId) }));
  }

  it("refuses bad input with a field error and changes nothing", async () => {
    const row = (await item("R003"))!;
    const before = { customer: await customer("R003"), audits: await auditCount() };
    const cases: [Record<string, string>, string, string][] = [
      [{ decision: "modify", limit: "-5", comment: "cut" }, "limit", "creditReview.validation.limitNegative"],
      [{ decision: "modify", limit: "1000.125", comment: "cut" }, "limit", "creditReview.validation.limitDecimals"],
      [{ decision: "modify", limit: "5000" }, "comment", "creditReview.validation.commentRequired"],
      [{ decision: "reject", comment: "  " }, "comment", "creditReview.validation.commentRequired"],
      [{ decision: "modify", grade: "Z", comment: "typo" }, "grade", "creditReview.validation.unknownGrade"],
      [{ decision: "maybe" }, "decision", "creditReview.validation.decision"],
    ];
    for (const [fields, field, message] of cases) {
      const result = await decide({ itemId: String(row.id), ...fields });
      expect(statusOf(result), JSON.stringify(fields)).toBe(400);
      // the one Refusal shape, about this row, with what was typed
      expect(payloadOf(result), JSON.stringify(fields)).toMatchObject({ ok: false, code: "invalid", intent: "decide", subjectId: row.id, current: null, submitted: { itemId: String(row.id) } });
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors[field]).toContain(message);
    }
    expect(await customer("R003")).toEqual(before.customer);
    expect(await auditCount()).toBe(before.audits);
    expect((await item("R003"))!.decision).toBeNull();
  });

  it("refuses staff and leaders deciding (403) and forged review or item ids (404)", async () => {
    const row = (await item("R003"))!;
    expect(statusOf(await decide({ itemId: String(row.id), decision: "accept" }, cookies.staff))).toBe(403);
    expect(statusOf(await decide({ itemId: String(row.id), decision: "accept" }, cookies.leader))).toBe(403);
    expect(statusOf(await decide({ itemId: "999999", decision: "accept" }))).toBe(404);
    expect(statusOf(await decide({ itemId: String(row.id), decision: "accept" }, cookies.head, 999_999))).toBe(404);
    expect(statusOf(await call(reviewLoader, get("/credit/review/abc", cookies.head), { reviewId: "abc" }))).toBe(404);
    expect(statusOf(await call(reviewLoader, get("/credit/review/999999", cookies.head), { reviewId: "999999" }))).toBe(404);
    expect((await item("R003"))!.decision).toBeNull();
  });

  it("accepting a suggested downgrade applies it at once, with audit entries", async () => {
    const row = (await item("R002"))!;
    expect(await summariesAreCurrent(getDb())).toBe(true);
    const result = await decide({ itemId: String(row.id), decision: "accept" });
    expect(payloadOf<Done>(result)).toEqual({ ok: true, intent: "decide", message: "creditReview.done.applied", subjectId: row.id } satisfies Done);
    expect(await customer("R002")).toMatchObject({ credit_grade: "C", credit_limit: row.suggested_limit });
    // the grade and limit moved in the KPI summaries too, so KPI requests keep reading them
    expect(await summariesAreCurrent(getDb())).toBe(true);
    expect((await kpiObject(getDb(), { asOf: "2026-11-23", scope: "grade:C" })).ar_total).toBeGreaterThan(0);
    const audits = await getDb().selectFrom("audit_log").select(["entity", "action", "before", "after"]).where("user_id", "=", headId).orderBy("id", "desc").limit(2).execute();
    expect(audits.map((a) => `${a.entity}:${a.action}`).sort()).toEqual(["credit_review_item:decide", "customer:credit_review"]);
    expect(JSON.parse(audits.find((a) => a.entity === "customer")!.before!)).toMatchObject({ grade: "B", limit: 5_000_000 });
    // a second decision on the same row is refused (409) with the decision as stored now, and changes nothing
    const customerNow = await customer("R002");
    const again = await decide({ itemId: String(row.id), decision: "reject", comment: "again" });
    expect(statusOf(again)).toBe(409);
    // the one Refusal shape, no key of the review's own
    expect(Object.keys(payloadOf(again)).sort()).toEqual(["code", "current", "fieldErrors", "intent", "message", "ok", "params", "subjectId", "submitted"]);
    expect(payloadOf<Refusal>(again)).toMatchObject({
      ok: false,
      code: "conflict",
      intent: "decide",
      message: "creditReview.validation.alreadyDecided",
      subjectId: row.id,
      submitted: { decision: "reject", comment: "again" },
      current: { decision: "accept", decidedGrade: "C", decidedLimit: row.suggested_limit, decidedByName: expect.any(String), approvalDecision: null },
    });
    expect(await customer("R002")).toEqual(customerNow);
    expect(await item("R002")).toMatchObject({ decision: "accept", comment: "" });
  });

  it("rejecting keeps the customer as it is", async () => {
    const row = (await item("R003"))!;
    const before = await customer("R003");
    expect(payloadOf(await decide({ itemId: String(row.id), decision: "reject", comment: "Guarantee renewed; keep C." }))).toMatchObject({ ok: true });
    expect(await customer("R003")).toEqual(before);
    expect(await item("R003")).toMatchObject({ decision: "reject", decided_grade: "C", decided_limit: 2_000_000, comment: "Guarantee renewed; keep C." });
  });

  it("a limit increase above the approval amount waits for a leader; staff and head cannot approve it", async () => {
    expect(await getApprovalAmount(getDb())).toBe(10_000_000);
    const row = (await item("R004"))!;
    const result = await decide({ itemId: String(row.id), decision: "modify", limit: "250,000.00", comment: "New plant: volume doubles." });
    expect(payloadOf(result)).toEqual({ ok: true, intent: "decide", message: "creditReview.done.awaiting", subjectId: row.id } satisfies Done);
    expect(await customer("R004")).toMatchObject({ credit_grade: "B", credit_limit: 1_000_000 });
    expect(await item("R004")).toMatchObject({ needs_approval: 1, decided_limit: 25_000_000, approval_decision: null, applied_at: null });
    // leadership is told it waits for them, with a link to the review
    const told = await getDb()
      .selectFrom("notification_events")
      .select(["link", "params"])
      .where("kind", "=", "limit_awaiting_approval")
      .where("params", "like", "%R004%")
      .execute();
    expect(told).toEqual([{ link: `/credit/review/${reviewId}`, params: expect.stringContaining('"amount":25000000') }]);

    const approve = (cookie: string, fields: Record<string, string> = {}) =>
      call(reviewAction, post(`/credit/review/${reviewId}`, { intent: "approve", itemId: String(row.id), ...fields }, cookie), { reviewId: String(reviewId) });
    expect(statusOf(await approve(cookies.staff))).toBe(403);
    expect(statusOf(await approve(cookies.head))).toBe(403);
    expect(await customer("R004")).toMatchObject({ credit_limit: 1_000_000 });
    // declining needs a reason
    const decline = await call(reviewAction, post(`/credit/review/${reviewId}`, { intent: "decline", itemId: String(row.id) }, cookies.leader), { reviewId: String(reviewId) });
    expect(statusOf(decline)).toBe(400);
    expect(payloadOf(decline)).toMatchObject({ ok: false, code: "invalid", intent: "decline", subjectId: row.id, fieldErrors: { comment: ["creditReview.validation.declineComment"] } });

    // the review cannot close while a decision waits: 409 with the counts as they are
    const closing = await call(reviewAction, post(`/credit/review/${reviewId}`, { intent: "close" }, cookies.head), { reviewId: String(reviewId) });
    expect(statusOf(closing)).toBe(409);
    expect(payloadOf(closing)).toMatchObject({ ok: false, code: "conflict", intent: "close", message: "creditReview.validation.awaitingOnClose", subjectId: null, current: { awaiting: 1 } });
    expect((await getDb().selectFrom("credit_reviews").select("status").where("id", "=", reviewId).executeTakeFirstOrThrow()).status).toBe("open");

    const page = payloadOf<{ awaiting: { customerCode: string }[] }>(await call(reviewLoader, get(`/credit/review/${reviewId}`, cookies.leader), { reviewId: String(reviewId) }));
    expect(page.awaiting.map((a) => a.customerCode)).toEqual(["R004"]);

    expect(payloadOf(await approve(cookies.leader, { comment: "Agreed." }))).toEqual({ ok: true, intent: "approve", message: "creditReview.done.approved", subjectId: row.id } satisfies Done);
    expect(await customer("R004")).toMatchObject({ credit_grade: "B", credit_limit: 25_000_000 });
    // answered already: 409 with the answer as stored
    const twice = await approve(cookies.leader);
    expect(statusOf(twice)).toBe(409);
    expect(payloadOf(twice)).toMatchObject({ code: "conflict", intent: "approve", message: "creditReview.validation.notAwaiting", subjectId: row.id, current: { approvalDecision: "approved", decidedLimit: 25_000_000 } });

    const decisions = await customerReviewDecisions(getDb(), defined(ids.R004));
    expect(decisions[0]).toMatchObject({ decision: "modify", limitBefore: 1_000_000, limitAfter: 25_000_000, approvalDecision: "approved", approvalComment: "Agreed." });
  });

  it("the head changes the approval amount (audited); a negative amount is refused", async () => {
    const set = (amount: string, cookie = cookies.head) =>
      call(reviewAction, post(`/credit/review/${reviewId}`, { intent: "set-approval-amount", amount }, cookie), { reviewId: String(reviewId) });
    const negative = await set("-1");
    expect(statusOf(negative)).toBe(400);
    expect(payloadOf(negative)).toMatchObject({ ok: false, code: "invalid", intent: "set-approval-amount", subjectId: null, fieldErrors: { amount: ["creditReview.validation.limitNegative"] } });
    expect(statusOf(await set("50000", cookies.leader))).toBe(403);
    expect(await getApprovalAmount(getDb())).toBe(10_000_000);
    expect(payloadOf(await set("50000.00"))).toEqual({ ok: true, intent: "set-approval-amount", message: "creditReview.done.amount", subjectId: null } satisfies Done);
    expect(await getApprovalAmount(getDb())).toBe(5_000_000);
  });

  it("a forged intent is refused in the Refusal shape; closing twice is a 409 with the review's state", async () => {
    await decideEveryRow();
    const post_ = (fields: Record<string, string>, cookie = cookies.head) =>
      call(reviewAction, post(`/credit/review/${reviewId}`, fields, cookie), { reviewId: String(reviewId) });
    const forged = await post_({ intent: "delete-everything", itemId: "1" });
    expect(statusOf(forged)).toBe(400);
    expect(payloadOf(forged)).toMatchObject({ ok: false, code: "invalid", intent: "delete-everything", message: "creditReview.validation.invalid", fieldErrors: { form: ["creditReview.validation.invalid"] } });
    expect(statusOf(await post_({ intent: "close" }, cookies.leader))).toBe(403);
    expect(payloadOf(await post_({ intent: "close" }))).toEqual({ ok: true, intent: "close", message: "creditReview.done.closed", subjectId: null } satisfies Done);
    const again = await post_({ intent: "close" });
    expect(statusOf(again)).toBe(409);
    // the one Refusal shape, no key of the review's own
    expect(Object.keys(payloadOf(again)).sort()).toEqual(["code", "current", "fieldErrors", "intent", "message", "ok", "params", "subjectId", "submitted"]);
    expect(payloadOf<Refusal>(again)).toMatchObject({ code: "conflict", message: "creditReview.validation.reviewClosed", current: { status: "closed" } });
  });

  it("the index shows the quarter's review with its progress", async () => {
    await decideEveryRow();
    expect(payloadOf(await call(reviewAction, post(`/credit/review/${reviewId}`, { intent: "close" }, cookies.head), { reviewId: String(reviewId) }))).toMatchObject({ ok: true });
    const page = payloadOf<{ current: { id: number; decided: number; total: number }; canOpen: boolean }>(await call(indexLoader, get("/credit/review", cookies.head)));
    expect(page.current).toMatchObject({ id: reviewId, decided: 3, total: 3 });
    expect(page.canOpen).toBe(false);
  });
});
