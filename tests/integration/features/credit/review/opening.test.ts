import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { getDb, isPostgres } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays, quarterOf } from "~/kernel/dates";
import { reviewOpeningsSettled } from "~/features/credit/review/index.server";
import { buildWorklist } from "~/features/credit/review/review.server";
import { reviewSources } from "~/features/credit/review/queries.server";
import { getSettings } from "~/features/settings/index.server";
import { action as indexAction, loader as indexLoader } from "~/routes/_app.credit.review._index";
import { loader as openingLoader } from "~/routes/_app.credit.review.openings.$openingId";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../../support/app";
import { csvSource, importIntoTestDb } from "../../../../support/ledger";

/**
 * Opening the quarter's credit review as a background job: the head's post queues it and is
 * answered at once, the progress page moves from queued through running to the worklist, one
 * opening at a time, a failure is shown and leaves no review; and the worklist read from what the
 * import keeps is the one measuring every customer from its documents gives (a generated ledger
 * with partial, unnamed, later-dated and named-but-early settlements, credit notes, write-offs and
 * invoices dated after the business date). At the run's business date.
 */

const CUSTOMERS = 1_150; // three slices of 500: the job is seen between them
const cookies = { head: "", staff: "", leader: "" };
let day = "";

/** A deterministic ledger around `day` (a linear congruential generator, seeded). */
function generatedLedger(on: string) {
  let seed = 20261207;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const int = (n: number) => Math.floor(random() * n);
  const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
  const customers = ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days"];
  const invoices = ["invoice_no,customer_code,issue_date,due_date,amount"];
  const payments = ["payment_no,customer_code,date,amount,invoice_no"];
  const adjustments = ["adjustment_no,customer_code,date,amount,type,invoice_no"];
  for (let c = 0; c < CUSTOMERS; c += 1) {
    const code = `G${String(c).padStart(4, "0")}`;
    const grade = ["A", "B", "C", "D", ""][int(5)];
    const limit = int(4) === 0 ? "" : money((int(60) + 1) * 1_000_000);
    customers.push(`${code},Generated ${c},${["East", "North", "South"][int(3)]},,${grade},${limit},${30 * (1 + int(3))}`);
    const count = int(8);
    for (let k = 0; k < count; k += 1) {
      const no = `${code}-${k}`;
      const issue = addDays(on, -int(720));
      const due = addDays(issue, 30 * int(4));
      const amount = (int(500) + 1) * 1_000 + int(100);
      invoices.push(`${no},${code},${issue},${due},${money(amount)}`);
      const kind = int(10);
      if (kind < 3) payments.push(`P${no},${code},${addDays(due, int(100) - 20)},${money(amount)},${no}`);
      else if (kind < 5) payments.push(`P${no},${code},${addDays(due, int(60))},${money(Math.floor(amount / 2))},${no}`);
      else if (kind < 6) payments.push(`P${no},${code},${addDays(issue, int(150))},${money(amount)},`);
      else if (kind < 7) adjustments.push(`C${no},${code},${addDays(issue, int(40))},${money(Math.floor(amount / 4))},credit_note,${no}`);
      else if (kind < 8) adjustments.push(`W${no},${code},${addDays(due, int(300))},${money(amount)},write_off,${no}`);
      else if (kind < 9) adjustments.push(`O${no},${code},${addDays(due, int(30))},${money(amount)},offset,`);
    }
    // An invoice issued after the business date, due before an older one: it takes pool money first.
    if (c % 41 === 7) {
      invoices.push(`${code}-late,${code},${addDays(on, 5 + int(20))},${addDays(on, 30)},${money(200_000)}`);
      invoices.push(`${code}-long,${code},${addDays(on, -10)},${addDays(on, 120)},${money(300_000)}`);
      payments.push(`P${code}-pool,${code},${addDays(on, -5)},${money(250_000)},`);
    }
    // Money arriving after the business date, named or not.
    if (c % 13 === 3) payments.push(`P${code}-later,${code},${addDays(on, 1 + int(40))},${money(150_000)},`);
  }
  return { customers, invoices, payments, adjustments };
}

const opening = (id: string, cookie = cookies.head) => call(openingLoader, get(`/credit/review/openings/${id}`, cookie), { openingId: id });
const count = async (table: "credit_reviews" | "credit_review_items" | "credit_review_openings") =>
  Number((await getDb().selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

/** Makes every insert of a review row fail (as a full disk would), in each dialect's trigger language. */
async function refuseReviewRows(): Promise<void> {
  if (isPostgres(getDb())) {
    await sql`CREATE FUNCTION review_rows_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$`.execute(getDb());
    await sql`CREATE TRIGGER review_rows_refused BEFORE INSERT ON credit_review_items FOR EACH ROW EXECUTE FUNCTION review_rows_refused()`.execute(getDb());
  } else {
    await sql`CREATE TRIGGER review_rows_refused BEFORE INSERT ON credit_review_items BEGIN SELECT RAISE(ABORT, 'disk full'); END`.execute(getDb());
  }
}

async function acceptReviewRows(): Promise<void> {
  if (isPostgres(getDb())) {
    await sql`DROP TRIGGER review_rows_refused ON credit_review_items`.execute(getDb());
    await sql`DROP FUNCTION review_rows_refused()`.execute(getDb());
  } else {
    await sql`DROP TRIGGER review_rows_refused`.execute(getDb());
  }
}

beforeAll(async () => {
  day = today();
  const head = await makeUser("head");
  const staff = await makeUser("staff");
  const leader = await makeUser("leader");
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  const ledger = generatedLedger(day);
  await importIntoTestDb([
    { kind: "customers", source: csvSource("customers.csv", ledger.customers) },
    { kind: "invoices", source: csvSource("invoices.csv", ledger.invoices) },
    { kind: "payments", source: csvSource("payments.csv", ledger.payments) },
    { kind: "adjustments", source: csvSource("adjustments.csv", ledger.adjustments) },
  ]);
});

afterAll(async () => {
  await reviewOpeningsSettled();
});

describe("opening the credit review in the background", () => {
  it("refuses other roles and forged posts, changing nothing", async () => {
    expect(statusOf(await call(indexAction, post("/credit/review", { intent: "open" }, cookies.staff)))).toBe(403);
    expect(statusOf(await call(indexAction, post("/credit/review", { intent: "open" }, cookies.leader)))).toBe(403);
    const forged: Record<string, string>[] = [{ intent: "close" }, {}, { intent: "open ", extra: "x" }];
    for (const fields of forged) {
      const refused = await call(indexAction, post("/credit/review", fields, cookies.head));
      expect(statusOf(refused), JSON.stringify(fields)).toBe(400);
      expect(payloadOf(refused)).toMatchObject({ ok: false, code: "invalid", intent: "open", subjectId: null });
    }
    expect(statusOf(await opening("1", cookies.staff))).toBe(403);
    expect(statusOf(await opening("abc"))).toBe(404);
    expect(statusOf(await opening("999999"))).toBe(404);
    expect(await count("credit_review_openings")).toBe(0);
    expect(await count("credit_reviews")).toBe(0);
  });

  it("a failure is shown on the progress page and the list, and leaves no half-open review", async () => {
    // The review's rows cannot be written (as a full disk would refuse them).
    await refuseReviewRows();
    const logged: string[] = [];
    vi.mocked(console.error).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    try {
      const queued = await call(indexAction, post("/credit/review", { intent: "open" }, cookies.head));
      expect(statusOf(queued)).toBe(302);
      const id = ((queued as Response).headers.get("Location") ?? "").split("/").pop() ?? "";
      await reviewOpeningsSettled();
      const page = payloadOf<{ opening: { status: string; error: string; reviewId: number | null } }>(await opening(id));
      expect(page.opening).toMatchObject({ status: "failed", error: "creditReview.opening.failed", reviewId: null });
      expect(logged.join("\n")).toMatch(/Opening the credit review .* failed/);
    } finally {
      await acceptReviewRows();
    }
    expect(await count("credit_reviews")).toBe(0);
    expect(await count("credit_review_items")).toBe(0);
    const list = payloadOf<{ current: unknown; canOpen: boolean; opening: { status: string; error: string } }>(await call(indexLoader, get("/credit/review", cookies.head)));
    expect(list).toMatchObject({ current: null, canOpen: true, opening: { status: "failed", error: "creditReview.opening.failed" } });
  });

  it("queued, then running with its progress, then done: the page becomes the worklist; a second opening meanwhile is refused", async () => {
    // An opening left running by a server that stopped (its row has not moved for long) no longer blocks.
    const { fiscalStartMonth } = await getSettings(getDb());
    const quarter = quarterOf(day, fiscalStartMonth);
    const orphan = await getDb()
      .insertInto("credit_review_openings")
      .values({ fiscal_year: quarter.fiscalYear, quarter: quarter.quarter, status: "running", active: 1, requested_at: "2000-01-01T00:00:00.000Z", updated_at: "2000-01-01T00:00:00.000Z" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const openingsBefore = await count("credit_review_openings");
    // On PostgreSQL each of the page's reads waits on the network, so the job (which starts on the
    // event loop's next turn) could run ahead of them: another connection holds the new opening's
    // row until the first looks are done, so the job's first write waits and "queued" is what they see.
    const holder = isPostgres(getDb()) ? new pg.Client({ connectionString: process.env.DATABASE_URL }) : null;
    await holder?.connect();
    await holder?.query("BEGIN");
    const queued = await call(indexAction, post("/credit/review", { intent: "open" }, cookies.head));
    expect(statusOf(queued)).toBe(302);
    const location = (queued as Response).headers.get("Location") ?? "";
    expect(location).toMatch(/^\/credit\/review\/openings\/\d+$/);
    const id = location.split("/").pop() ?? "";
    await holder?.query("SELECT id FROM credit_review_openings WHERE id = $1 FOR UPDATE", [Number(id)]);

    expect(await getDb().selectFrom("credit_review_openings").select(["status", "active", "error"]).where("id", "=", orphan.id).executeTakeFirstOrThrow()).toEqual({
      status: "failed",
      active: null,
      error: "creditReview.opening.interrupted",
    });

    // Answered before the job ran: queued, and the list says so instead of offering to open.
    const firstLook = payloadOf<{ opening: { status: string; progressDone: number } }>(await opening(id)).opening;
    const list = payloadOf<{ canOpen: boolean; opening: { id: number; status: string } }>(await call(indexLoader, get("/credit/review", cookies.head)));
    expect(firstLook.status).toBe("queued");
    expect(list).toMatchObject({ canOpen: false, opening: { id: Number(id), status: "queued" } });
    const second = await call(indexAction, post("/credit/review", { intent: "open" }, cookies.head));
    expect(statusOf(second)).toBe(409);
    expect(payloadOf(second)).toMatchObject({ ok: false, code: "conflict", intent: "open", message: "creditReview.opening.busy", subjectId: Number(id), current: { openingId: Number(id) } });
    expect(await count("credit_review_openings")).toBe(openingsBefore + 1);
    await holder?.query("COMMIT");
    await holder?.end();

    // The job lets requests through between slices of customers: each look sees where it is.
    const seen: { status: string; progressDone: number; progressTotal: number }[] = [];
    let answer: unknown = null;
    for (let look = 0; look < 2_000; look += 1) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      answer = await opening(id);
      if (answer instanceof Response) break;
      seen.push(payloadOf<{ opening: { status: string; progressDone: number; progressTotal: number } }>(answer).opening);
    }
    const running = seen.filter((look) => look.status === "running");
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((look) => look.progressDone > 0 && look.progressDone < look.progressTotal)).toBe(true);
    expect(running.every((look) => look.progressTotal === CUSTOMERS)).toBe(true);
    expect(statusOf(answer)).toBe(302);
    const reviewLocation = (answer as Response).headers.get("Location") ?? "";
    expect(reviewLocation).toMatch(/^\/credit\/review\/\d+$/);
    const reviewId = Number(reviewLocation.split("/").pop());

    const stored = await getDb().selectFrom("credit_review_openings").selectAll().where("id", "=", Number(id)).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: "done", active: null, review_id: reviewId, progress_done: CUSTOMERS, error: null });
    const after = payloadOf<{ current: { id: number; total: number }; canOpen: boolean; opening: unknown }>(await call(indexLoader, get("/credit/review", cookies.head)));
    expect(after).toMatchObject({ current: { id: reviewId }, canOpen: false, opening: null });
    expect(after.current.total).toBeGreaterThan(0);
  });

  it("the worklist read from what the import keeps is the one measuring every customer from its documents gives", async () => {
    const { fiscalStartMonth } = await getSettings(getDb());
    const quarter = quarterOf(day, fiscalStartMonth);
    const asOf = quarter.end < day ? quarter.end : day;
    const fromDocuments = await buildWorklist(getDb(), asOf, quarter.end, { fromDocumentsOnly: true });
    const review = await getDb().selectFrom("credit_reviews").select("id").executeTakeFirstOrThrow();
    const items = await getDb()
      .selectFrom("credit_review_items")
      .select([
        "customer_id",
        "selection",
        "last_reviewed_on",
        "current_grade",
        "suggested_grade",
        "current_limit",
        "suggested_limit",
        "reasons",
        "ar_total",
        "trailing_sales",
        "utilisation_hundredths",
        "avg_days_late_hundredths",
        "overdue_ratio_hundredths",
        "broken_promises",
      ])
      .where("review_id", "=", review.id)
      .orderBy("customer_id")
      .execute();
    const expected = fromDocuments.map((row) => ({
      customer_id: row.customerId,
      selection: row.selection,
      last_reviewed_on: row.lastReviewedOn,
      current_grade: row.currentGrade,
      suggested_grade: row.suggestedGrade,
      current_limit: row.currentLimit,
      suggested_limit: row.suggestedLimit,
      reasons: JSON.stringify(row.reasons),
      ar_total: row.arTotal,
      trailing_sales: row.trailingSales,
      utilisation_hundredths: row.utilisationHundredths,
      avg_days_late_hundredths: row.avgDaysLateHundredths,
      overdue_ratio_hundredths: row.overdueRatioHundredths,
      broken_promises: row.brokenPromises,
    }));
    expect(items.length).toBe(CUSTOMERS);
    expect(items).toEqual(expected);
    // every way of reading a customer was taken: stored figures, open runs (money after the date), documents (an invoice after it)
    const sources = await reviewSources(getDb(), asOf);
    expect(sources.fromRuns.size).toBeGreaterThan(50);
    expect(sources.fromDocuments.size).toBeGreaterThan(20);
    // The generated ledger has what makes measuring hard: late payers, open money, later-dated documents.
    expect(items.filter((row) => (row.avg_days_late_hundredths ?? 0) > 0).length).toBeGreaterThan(100);
    expect(items.filter((row) => row.ar_total > 0).length).toBeGreaterThan(100);

    // Customers the stored figures cannot answer for are measured from their documents: swept
    // before the paid dates were kept, or waiting for the status keeper.
    await sql`DELETE FROM invoice_paid_dates WHERE customer_id % 7 = 0`.execute(getDb());
    await sql`INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers WHERE id % 11 = 0 ON CONFLICT DO NOTHING`.execute(getDb());
    expect(await buildWorklist(getDb(), asOf, quarter.end)).toEqual(fromDocuments);
  });
});
