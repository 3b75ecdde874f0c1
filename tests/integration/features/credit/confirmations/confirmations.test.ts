import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { customerPosition } from "~/kernel/ledger/customer-position";
import { customerDocuments } from "~/features/ledger/queries/customers.server";
import { confirmationCounts } from "~/features/credit/confirmations/queries.server";
import { action as batchAction, loader as batchLoader } from "~/routes/_app.credit.confirmations.$batchId";
import { loader as exportLoader } from "~/routes/_app.credit.confirmations.$batchId.export";
import { action as listAction, loader as listLoader } from "~/routes/_app.credit.confirmations._index";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../../support/app";
import { importLedgerFixture } from "../../../../support/ledger";
import { defined } from "../../../../support/defined";

type BatchData = Awaited<ReturnType<typeof batchLoader>>;
type ListData = Awaited<ReturnType<typeof listLoader>>;
type Answer = { ok: boolean; fieldErrors?: Record<string, string[]>; message?: string; count?: number };

const TODAY = "2025-09-30";
const PERIOD_END = "2025-06-30";
const cookies = { head: "", staff: "", otherStaff: "", leader: "" };
let previousToday: string | undefined;
let batchId = 0;

beforeAll(async () => {
  previousToday = process.env.QUARTERDECK_TODAY;
  process.env.QUARTERDECK_TODAY = TODAY;
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const otherStaff = await makeUser("staff");
  const leader = await makeUser("leader");
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.otherStaff = await signIn(otherStaff.email);
  cookies.leader = await signIn(leader.email);
});

afterAll(() => {
  if (previousToday === undefined) delete process.env.QUARTERDECK_TODAY;
  else process.env.QUARTERDECK_TODAY = previousToday;
});

const batchPath = (id = batchId, query = "") => `/credit/confirmations/${id}${query}`;

async function page(cookie = cookies.head, query = "", id = batchId): Promise<BatchData> {
  const result = await call(batchLoader, get(batchPath(id, query), cookie), { batchId: String(id) });
  expect(statusOf(result)).toBe(200);
  return payloadOf<BatchData>(result);
}

async function rowOf(code: string) {
  const row = (await page(cookies.head, "?size=500")).rows.find((r) => r.customerCode === code);
  if (!row) throw new Error(`no row for ${code}`);
  return row;
}

/** Posts as the page's forms do: a row's record form carries the version the page showed (the stored one unless given). */
async function record(fields: Record<string, string>, cookie = cookies.head, id = batchId) {
  const posted = { ...fields };
  if (["send", "return", "resolve"].includes(fields.intent ?? "") && !("version" in fields) && /^\d{1,9}$/.test(fields.rowId ?? "")) {
    const row = await getDb().selectFrom("balance_confirmations").select("version").where("id", "=", Number(fields.rowId)).executeTakeFirst();
    if (row) posted.version = String(row.version);
  }
  return call(batchAction, post(batchPath(id), posted, cookie), { batchId: String(id) });
}

async function snapshot() {
  const db = getDb();
  return {
    rows: await db.selectFrom("balance_confirmations").selectAll().orderBy("id").execute(),
    batches: await db.selectFrom("confirmation_batches").selectAll().orderBy("id").execute(),
    audits: (await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n,
  };
}

async function refused(fields: Record<string, string>, field: string, message: string, cookie = cookies.head) {
  const before = await snapshot();
  const result = await record(fields, cookie);
  expect(statusOf(result)).toBe(400);
  expect(payloadOf<Answer>(result).fieldErrors?.[field]).toContain(message);
  expect(await snapshot()).toEqual(before);
}

/** Creates a batch through the list page's form, as the head does, and returns its id. */
async function createBatch(fields: Record<string, string>): Promise<number> {
  const created = await call(listAction, post("/credit/confirmations", { intent: "create-batch", ...fields }, cookies.head));
  expect(statusOf(created)).toBe(302);
  return Number(/confirmations\/(\d+)/.exec((created as Response).headers.get("Location") ?? "")![1]);
}

/** Sends the statements of these customers' rows (of the half-year batch) on these days. */
async function send(sends: Record<string, [sentOn: string, channel: string]>): Promise<void> {
  for (const [code, [sentOn, channel]] of Object.entries(sends)) {
    expect(payloadOf<Answer>(await record({ intent: "send", rowId: String((await rowOf(code)).id), sentOn, channel })).ok).toBe(true);
  }
}

/**
 * The half-year batch worked through July: every statement sent; FX001 back and matched, FX002
 * back with a mismatch since resolved, FX004 back with a mismatch still open, FX006 awaiting; and
 * a second batch for the North region as of July, all of it sent in August and none back yet.
 * Returns the North batch's id.
 */
async function workedBatches(): Promise<number> {
  await send({ FX001: ["2025-07-03", "post"], FX002: ["2025-07-03", "electronic"], FX004: ["2025-07-05", "in_person"], FX006: ["2025-07-08", "post"] });
  const ok = async (fields: Record<string, string>) => expect(payloadOf<Answer>(await record(fields)).ok).toBe(true);
  await ok({ intent: "return", rowId: String((await rowOf("FX001")).id), returnedOn: "2025-07-16", result: "matched" });
  const fx002 = await rowOf("FX002");
  await ok({ intent: "return", rowId: String(fx002.id), returnedOn: "2025-07-20", result: "mismatched", confirmedBalance: ((fx002.ourBalance - 120_000) / 100).toFixed(2), note: "Credit note for returned goods not booked by the customer" });
  await ok({ intent: "resolve", rowId: String(fx002.id), resolvedOn: "2025-08-02", resolutionNote: "Visited: customer booked the credit note" });
  await ok({ intent: "return", rowId: String((await rowOf("FX004")).id), returnedOn: "2025-07-10", result: "mismatched", difference: "-250.00", note: "Invoice disputed" });
  const northId = await createBatch({ name: "North, July", periodEnd: "2025-07-31", region: "North" });
  expect(payloadOf<Answer>(await record({ intent: "bulk-send", sentOn: "2025-08-05", channel: "electronic", apply: "filtered", state: "not_sent" }, cookies.head, northId)).ok).toBe(true);
  return northId;
}

// Every test starts from one fresh half-year batch, nothing sent, and no other batch.
beforeEach(async () => {
  await getDb().deleteFrom("confirmation_batches").execute();
  batchId = await createBatch({ name: "Half year 2025", periodEnd: PERIOD_END });
});

describe("balance confirmation batches", () => {
  it("the head creates a batch: one row per customer with a balance at the period end, that balance and the owner and region then", async () => {
    const result = await call(listAction, post("/credit/confirmations", { intent: "create-batch", name: "Half year 2025", periodEnd: PERIOD_END }, cookies.head));
    expect(statusOf(result)).toBe(302);
    const location = (result as Response).headers.get("Location") ?? "";
    expect(location).toMatch(/^\/credit\/confirmations\/\d+\?created=\d+$/);
    const created = Number(/confirmations\/(\d+)/.exec(location)![1]);

    const db = getDb();
    const customers = await db.selectFrom("customers").select(["id", "code", "owner_id", "region", "credit_limit"]).orderBy("code").execute();
    const expected: { code: string; balance: number; owner: number | null; region: string | null }[] = [];
    for (const customer of customers) {
      const documents = await customerDocuments(db, { kind: "all" }, customer.id);
      const position = customerPosition(customer.code, documents, customer.credit_limit, PERIOD_END);
      if (position.arTotal !== 0) expected.push({ code: customer.code, balance: position.arTotal, owner: customer.owner_id, region: customer.region });
    }
    const data = await page(cookies.head, "?size=500", created);
    expect(data.rows.map((r) => ({ code: r.customerCode, balance: r.ourBalance, owner: r.ownerId, region: r.region }))).toEqual(expected);
    // FX001 worked by hand in the fixture's README; FX003 only holds a credit and is not asked
    expect(data.rows.find((r) => r.customerCode === "FX001")?.ourBalance).toBe(743_481);
    expect(data.rows.some((r) => r.customerCode === "FX003")).toBe(false);
    expect(location).toBe(`/credit/confirmations/${created}?created=${expected.length}`);
    expect(data.rows.every((r) => r.state === "not_sent")).toBe(true);
  });

  it("numbers a batch's rows in customer order, also after customers changed (PostgreSQL keeps a changed row elsewhere in its table)", async () => {
    const db = getDb();
    const first = await db.selectFrom("customers").select(["id", "name"]).orderBy("id").limit(3).execute();
    for (const customer of first) await db.updateTable("customers").set({ name: `${customer.name} ` }).where("id", "=", customer.id).execute();
    try {
      const created = await createBatch({ name: "After changes", periodEnd: PERIOD_END });
      const rows = await db.selectFrom("balance_confirmations").select("customer_id").where("batch_id", "=", created).orderBy("id").execute();
      const ids = rows.map((row) => row.customer_id);
      expect(ids.length).toBeGreaterThan(3);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      for (const customer of first) await db.updateTable("customers").set({ name: customer.name }).where("id", "=", customer.id).execute();
    }
  });

  it("refuses a future period end, an empty name and a selection without balances, changing nothing", async () => {
    for (const [fields, field, message] of [
      [{ name: "Future", periodEnd: "2025-10-01" }, "periodEnd", "confirmations.validation.periodEndFuture"],
      [{ name: "  ", periodEnd: PERIOD_END }, "name", "confirmations.validation.nameRequired"],
      [{ name: "Bad date", periodEnd: "2025-02-30" }, "periodEnd", "confirmations.validation.date"],
      [{ name: "Nobody", periodEnd: "2024-01-31" }, "form", "confirmations.validation.noCustomers"],
      // years ahead: said to be in the future, not to be no real date
      [{ name: "Far future", periodEnd: "2030-12-31" }, "periodEnd", "confirmations.validation.periodEndFuture"],
    ] as const) {
      const before = await snapshot();
      const result = await call(listAction, post("/credit/confirmations", { intent: "create-batch", ...fields }, cookies.head));
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<Answer>(result).fieldErrors?.[field]).toContain(message);
      expect(await snapshot()).toEqual(before);
    }
  });

  it("says what is wrong with every field at once: an empty name with an empty or a future period end", async () => {
    for (const [periodEnd, dateMessage] of [
      ["", "confirmations.validation.date"],
      ["2030-12-31", "confirmations.validation.periodEndFuture"],
    ] as const) {
      const before = await snapshot();
      const result = await call(listAction, post("/credit/confirmations", { intent: "create-batch", name: "", periodEnd }, cookies.head));
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<Answer>(result).fieldErrors).toEqual({ name: ["confirmations.validation.nameRequired"], periodEnd: [dateMessage] });
      expect(await snapshot()).toEqual(before);
    }
  });

  it("only the head creates and closes batches", async () => {
    for (const cookie of [cookies.staff, cookies.leader]) {
      const before = await snapshot();
      expect(statusOf(await call(listAction, post("/credit/confirmations", { intent: "create-batch", name: "x", periodEnd: PERIOD_END }, cookie)))).toBe(403);
      expect(statusOf(await record({ intent: "close-batch" }, cookie))).toBe(403);
      expect(await snapshot()).toEqual(before);
    }
  });

  it("records sent, a matched return, a mismatch with the customer's balance and its resolution, each audited", async () => {
    const fx001 = await rowOf("FX001");
    expect(payloadOf<Answer>(await record({ intent: "send", rowId: String(fx001.id), sentOn: "2025-07-03", channel: "post" })).ok).toBe(true);
    expect(payloadOf<Answer>(await record({ intent: "return", rowId: String(fx001.id), returnedOn: "2025-07-15", result: "matched" })).ok).toBe(true);
    expect(await rowOf("FX001")).toMatchObject({ sentOn: "2025-07-03", channel: "post", returnedOn: "2025-07-15", result: "matched", state: "matched" });

    const fx002 = await rowOf("FX002");
    await record({ intent: "send", rowId: String(fx002.id), sentOn: "2025-07-03", channel: "electronic" });
    const theirs = fx002.ourBalance - 120_000;
    const answer = await record({
      intent: "return",
      rowId: String(fx002.id),
      returnedOn: "2025-07-20",
      result: "mismatched",
      confirmedBalance: (theirs / 100).toFixed(2),
      note: "Credit note for returned goods not booked by the customer",
    });
    expect(statusOf(answer)).toBe(200);
    expect(await rowOf("FX002")).toMatchObject({ state: "mismatch_open", difference: -120_000 });
    await record({ intent: "resolve", rowId: String(fx002.id), resolvedOn: "2025-08-02", resolutionNote: "Visited: customer booked the credit note" });
    expect(await rowOf("FX002")).toMatchObject({ state: "mismatch_resolved", resolvedOn: "2025-08-02" });

    const audits = await getDb()
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("entity", "=", "confirmation")
      .where("entity_id", "=", String(fx002.id))
      .orderBy("id")
      .execute();
    expect(audits.map((a) => a.action)).toEqual(["send", "return", "resolve"]);
    expect(JSON.parse(defined(audits[1]).after ?? "{}")).toMatchObject({ result: "mismatched", difference: -120_000 });
  });

  it("refuses each bad input with a field error and changes nothing", async () => {
    const fx004 = await rowOf("FX004");
    const id = String(fx004.id);
    await refused({ intent: "send", rowId: id, sentOn: "2025-10-05", channel: "post" }, "sentOn", "confirmations.validation.future");
    await refused({ intent: "send", rowId: id, sentOn: "2025-06-20", channel: "post" }, "sentOn", "confirmations.validation.sentBeforePeriodEnd");
    await refused({ intent: "send", rowId: id, sentOn: "2025-07-05", channel: "pigeon" }, "channel", "confirmations.validation.channel");
    await refused({ intent: "return", rowId: id, returnedOn: "2025-07-10", result: "matched" }, "form", "confirmations.validation.sentRequired");
    await record({ intent: "send", rowId: id, sentOn: "2025-07-05", channel: "in_person" });
    // the example: returned before it was sent
    await refused({ intent: "return", rowId: id, returnedOn: "2025-07-04", result: "matched" }, "returnedOn", "confirmations.validation.returnedBeforeSent");
    await refused({ intent: "return", rowId: id, returnedOn: "2025-07-10", result: "mismatched", difference: "100.00" }, "note", "confirmations.validation.noteRequired");
    await refused({ intent: "return", rowId: id, returnedOn: "2025-07-10", result: "mismatched", note: "short" }, "confirmedBalance", "confirmations.validation.balanceOrDifference");
    await refused(
      { intent: "return", rowId: id, returnedOn: "2025-07-10", result: "mismatched", confirmedBalance: (fx004.ourBalance / 100).toFixed(2), note: "same" },
      "confirmedBalance",
      "confirmations.validation.noDifference",
    );
    await refused({ intent: "return", rowId: id, returnedOn: "2025-07-10", result: "matched", difference: "5" }, "difference", "confirmations.validation.differenceOnlyMismatch");
    await refused({ intent: "resolve", rowId: id, resolvedOn: "2025-07-20", resolutionNote: "x" }, "resolvedOn", "confirmations.validation.resolveOnlyMismatch");
    await record({ intent: "return", rowId: id, returnedOn: "2025-07-10", result: "mismatched", difference: "-250.00", note: "Invoice disputed" });
    await refused({ intent: "resolve", rowId: id, resolvedOn: "2025-07-09", resolutionNote: "too early" }, "resolvedOn", "confirmations.validation.resolvedBeforeReturned");
    await refused({ intent: "resolve", rowId: id, resolvedOn: "2025-07-20", resolutionNote: " " }, "resolutionNote", "confirmations.validation.resolutionNoteRequired");
    expect(await rowOf("FX004")).toMatchObject({ state: "mismatch_open", difference: -25_000 });
  });

  it("staff record on their own customers' rows only; leadership only reads; forged ids are 404", async () => {
    await send({ FX001: ["2025-07-03", "post"] });
    const fx001 = await rowOf("FX001"); // staff's customer
    const fx005 = await rowOf("FX002"); // the head's customer
    const before = await snapshot();
    expect(statusOf(await record({ intent: "send", rowId: String(fx005.id), sentOn: "2025-07-05", channel: "post" }, cookies.staff))).toBe(403);
    expect(statusOf(await record({ intent: "send", rowId: String(fx005.id), sentOn: "2025-07-05", channel: "post" }, cookies.leader))).toBe(403);
    expect(statusOf(await record({ intent: "bulk-send", sentOn: "2025-07-05", channel: "post", apply: "selected", selected: String(fx005.id) }, cookies.staff))).toBe(403);
    expect(statusOf(await record({ intent: "send", rowId: "999999", sentOn: "2025-07-05", channel: "post" }))).toBe(404);
    expect(statusOf(await record({ intent: "send", rowId: "abc", sentOn: "2025-07-05", channel: "post" }))).toBe(404);
    expect(statusOf(await call(batchLoader, get("/credit/confirmations/999999", cookies.head), { batchId: "999999" }))).toBe(404);
    expect(await snapshot()).toEqual(before);

    // staff see their own customers' rows and may record on them
    const staffView = await page(cookies.staff);
    expect(new Set(staffView.rows.map((r) => r.customerCode))).toEqual(new Set(["FX001"]));
    expect(staffView.rows.every((r) => r.canRecord)).toBe(true);
    const answer = await record({ intent: "return", rowId: String(fx001.id), returnedOn: "2025-07-16", result: "matched" }, cookies.staff);
    expect(payloadOf<Answer>(answer).ok).toBe(true);
    const leaderView = await page(cookies.leader);
    expect(leaderView.canRecord).toBe(false);
    expect(leaderView.rows.some((r) => r.canRecord)).toBe(false);
  });

  it("marks rows sent in bulk: ticked rows, or every row matching the filters, skipping rows already sent", async () => {
    // every other statement of the batch has gone out already
    await send({ FX001: ["2025-07-03", "post"], FX002: ["2025-07-03", "electronic"], FX004: ["2025-07-05", "in_person"] });
    const fx006 = await rowOf("FX006");
    await refused({ intent: "bulk-send", sentOn: "2025-07-08", channel: "post", apply: "selected" }, "apply", "confirmations.validation.noneSelected");
    const ticked = await record({ intent: "bulk-send", sentOn: "2025-07-08", channel: "post", apply: "selected", selected: String(fx006.id) });
    expect(payloadOf<Answer>(ticked)).toMatchObject({ ok: true, count: 1 });
    await refused({ intent: "bulk-send", sentOn: "2025-07-09", channel: "post", apply: "filtered" }, "apply", "confirmations.validation.nothingToSend");
    expect((await rowOf("FX006")).channel).toBe("post");

    // a second batch of one region: every row matching the filters at once
    const created = await call(listAction, post("/credit/confirmations", { intent: "create-batch", name: "North, July", periodEnd: "2025-07-31", region: "North" }, cookies.head));
    const northId = Number(/confirmations\/(\d+)/.exec((created as Response).headers.get("Location") ?? "")![1]);
    const north = await page(cookies.head, "", northId);
    expect(north.rows.map((r) => r.region)).toEqual(north.rows.map(() => "North"));
    expect(north.rows.length).toBeGreaterThan(1);
    const rest = await record({ intent: "bulk-send", sentOn: "2025-08-05", channel: "electronic", apply: "filtered", state: "not_sent" }, cookies.head, northId);
    expect(payloadOf<Answer>(rest)).toMatchObject({ ok: true, count: north.rows.length });
    expect((await page(cookies.head, "", northId)).rows.every((r) => r.sentOn === "2025-08-05" && r.channel === "electronic")).toBe(true);
    // staff cannot tick rows that are not theirs, even in bulk
    expect(statusOf(await record({ intent: "bulk-send", sentOn: "2025-08-05", channel: "post", apply: "selected", selected: String(defined(north.rows[0]).id) }, cookies.otherStaff, northId))).toBe(403);
  });

  it("ranks return and mismatch rates by owner and region, with totals, and filters rows by state", async () => {
    await workedBatches();
    const fx006 = await rowOf("FX006");
    await record({ intent: "return", rowId: String(fx006.id), returnedOn: "", result: "not_returned" });
    const data = await page();
    const sent = data.rows.filter((r) => r.sentOn !== null);
    const returned = sent.filter((r) => r.returnedOn !== null);
    const mismatched = returned.filter((r) => r.result === "mismatched");
    expect(data.rates.total).toMatchObject({ sent: sent.length, returned: returned.length, mismatched: mismatched.length });
    expect(data.rates.total.returnRate).toBeCloseTo(returned.length / sent.length);
    for (const by of ["byOwner", "byRegion"] as const) {
      const groups = data.rates[by];
      expect(groups.reduce((sum, g) => sum + g.sent, 0)).toBe(sent.length);
      for (let i = 1; i < groups.length; i += 1) expect(defined(groups[i - 1]).returnRate ?? -1).toBeGreaterThanOrEqual(defined(groups[i]).returnRate ?? -1);
    }
    const east = data.rates.byRegion.find((g) => g.key === "East");
    const eastRows = sent.filter((r) => r.region === "East");
    expect(east).toMatchObject({ sent: eastRows.length, returned: eastRows.filter((r) => r.returnedOn).length });
    const mismatchOpen = await page(cookies.head, "?state=mismatch_open");
    expect(mismatchOpen.rows.map((r) => r.customerCode)).toEqual(["FX004"]);
    const list = payloadOf<ListData>(await call(listLoader, get("/credit/confirmations", cookies.head)));
    const first = list.batches.find((b) => b.id === batchId)!;
    expect(first).toMatchObject({ id: batchId, sent: sent.length, returned: returned.length, mismatched: mismatched.length });
    expect(first.openFollowUps).toBe(data.rows.filter((r) => ["awaiting", "mismatch_open", "not_returned"].includes(r.state)).length);
  });

  it("exports the rows as CSV with text neutralised", async () => {
    await getDb().updateTable("customers").set({ name: "=HYPERLINK(\"x\")" }).where("code", "=", "FX006").execute();
    const result = await call(exportLoader, get(`${batchPath()}/export?format=csv`, cookies.head), { batchId: String(batchId) });
    expect(statusOf(result)).toBe(200);
    const text = await (result as Response).text();
    expect(text.split("\r\n").filter(Boolean).length).toBe((await page()).page.total + 1);
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it("confirmationCounts: sent in the window, returned by the date, mismatched among the returned", async () => {
    await workedBatches();
    const db = getDb();
    const rows = (await page(cookies.head, "?size=500")).rows;
    const expected = (start: string, asOf: string) => {
      const sent = rows.filter((r) => r.sentOn !== null && r.sentOn >= start && r.sentOn <= asOf);
      const returned = sent.filter((r) => r.returnedOn !== null && r.returnedOn <= asOf);
      return { sent: sent.length, returned: returned.length, mismatched: returned.filter((r) => r.result === "mismatched").length };
    };
    // July: the first batch only (the North batch went out in August)
    const july = await confirmationCounts(db, null, "2025-07-01", "2025-07-31");
    expect(july).toEqual(expected("2025-07-01", "2025-07-31"));
    expect(july).toMatchObject({ sent: rows.length, returned: 3, mismatched: 2 });
    // by 2025-07-15 only FX004 (07-10, mismatched) had come back: FX001 on 07-16, FX002 on 07-20
    expect(await confirmationCounts(db, null, "2025-07-01", "2025-07-15")).toEqual({ ...expected("2025-07-01", "2025-07-15"), returned: 1, mismatched: 1 });
    // the whole quarter adds the North batch's statements, none back yet
    expect((await confirmationCounts(db, null, "2025-07-01", "2025-09-30")).sent).toBeGreaterThan(rows.length);
    const fx002 = rows.find((r) => r.customerCode === "FX002")!;
    expect(await confirmationCounts(db, [fx002.customerId], "2025-07-01", "2025-07-31")).toEqual({ sent: 1, returned: 1, mismatched: 1 });
    expect(await confirmationCounts(db, [fx002.customerId], "2025-07-01", "2025-09-30")).toEqual({ sent: 2, returned: 1, mismatched: 1 });
    expect(await confirmationCounts(db, [], "2025-07-01", "2025-09-30")).toEqual({ sent: 0, returned: 0, mismatched: 0 });
    expect(await confirmationCounts(db, null, "2025-07-04", "2025-07-04")).toEqual({ sent: 0, returned: 0, mismatched: 0 });
  });

  it("two returns posted from the same page state: the first is recorded, the second gets 409 with the first's values and changes nothing", async () => {
    await workedBatches();
    // A row of the North batch, sent and awaiting its return.
    const awaiting = await getDb().selectFrom("balance_confirmations").select(["id", "batch_id"]).where("sent_on", "is not", null).where("result", "is", null).where("batch_id", "!=", batchId).executeTakeFirstOrThrow();
    const north = awaiting.batch_id;
    const shown = (await page(cookies.head, "?size=500", north)).rows.find((row) => row.id === awaiting.id)!;
    const version = String(shown.version);
    const auditsOf = async () =>
      (await getDb().selectFrom("audit_log").select("action").where("entity", "=", "confirmation").where("entity_id", "=", String(shown.id)).orderBy("id").execute()).map((a) => a.action);
    const auditsBefore = await auditsOf();

    const first = await record({ intent: "return", rowId: String(shown.id), version, returnedOn: "2025-08-20", result: "matched" }, cookies.head, north);
    expect(payloadOf<Answer>(first).ok).toBe(true);
    const after = await snapshot();
    const second = await record(
      { intent: "return", rowId: String(shown.id), version, returnedOn: "2025-08-21", result: "mismatched", difference: "-100.00", note: "Customer disputes" },
      cookies.head,
      north,
    );
    expect(statusOf(second)).toBe(409);
    const refusal = payloadOf<Answer & { submitted: Record<string, string>; current: Record<string, unknown> }>(second);
    expect(refusal.fieldErrors?.form).toEqual(["confirmations.conflict.message"]);
    expect(refusal.current).toMatchObject({ returnedOn: "2025-08-20", result: "matched", difference: 0, note: "" });
    expect(refusal.submitted).toMatchObject({ returnedOn: "2025-08-21", result: "mismatched", note: "Customer disputes" });
    expect(await snapshot()).toEqual(after);
    expect(await auditsOf()).toEqual([...auditsBefore, "return"]);
    const now = (await page(cookies.head, "?size=500", north)).rows.find((row) => row.id === shown.id);
    expect(now).toMatchObject({ result: "matched", returnedOn: "2025-08-20", version: shown.version + 1 });
  });

  it("refuses a row change whose form names no version, or a malformed one, changing nothing", async () => {
    const row = (await page(cookies.head, "?size=500")).rows.find((r) => r.sentOn !== null && r.result === null) ?? (await page(cookies.head, "?size=500")).rows[0]!;
    for (const version of ["", "abc", "0"]) {
      await refused({ intent: "return", rowId: String(row.id), version, returnedOn: "2025-07-20", result: "matched" }, "form", "confirmations.conflict.stale");
    }
  });

  it("a closed batch refuses every change", async () => {
    expect(payloadOf<Answer>(await record({ intent: "close-batch" })).ok).toBe(true);
    const fx005 = await rowOf("FX006");
    const before = await snapshot();
    expect(statusOf(await record({ intent: "return", rowId: String(fx005.id), returnedOn: "2025-07-20", result: "matched" }))).toBe(409);
    expect(statusOf(await record({ intent: "bulk-send", sentOn: "2025-07-09", channel: "post", apply: "filtered" }))).toBe(409);
    expect(statusOf(await record({ intent: "close-batch" }))).toBe(409);
    expect(await snapshot()).toEqual(before);
    const data = await page();
    expect(data.canRecord).toBe(false);
    expect(data.canClose).toBe(false);
  });
});
