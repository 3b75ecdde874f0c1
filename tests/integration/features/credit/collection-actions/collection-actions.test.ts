import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Refusal } from "~/server/responses.server";
import { loadPromiseStatuses } from "~/features/credit/collection-actions/queries.server";
import { loader as customerLoader } from "~/routes/_app.customers.$code";
import { action, loader } from "~/routes/_app.customers.$code_.actions.new";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../../support/ledger";
import { defined } from "../../../../support/defined";
import { instantOnBusinessDate } from "../../../../support/business-date";

// The fixture ledger is dated 2025: FX001 and FX003 belong to staff@, FX002 to head@.
const TODAY = "2025-06-20";
const ids: Record<string, number> = {};
type Who = "head" | "staff" | "otherStaff" | "leader" | "admin";
const cookies = {} as Record<Who, string>;
const userIds = {} as Record<Who, number>;

async function customerId(code: string): Promise<number> {
  const row = await getDb().selectFrom("customers").select("id").where("code", "=", code).executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts an action with its promises directly (the service is tested below). */
async function insertPromises(
  customer: number,
  kind: "promise_to_pay" | "repayment_agreement",
  madeOn: string,
  promises: { dueOn: string; amount: number }[],
): Promise<number[]> {
  const now = instantOnBusinessDate().toISOString();
  const action = await getDb()
    .insertInto("collection_actions")
    .values({
      customer_id: customer,
      user_id: null,
      kind,
      action_date: madeOn,
      amount: promises.reduce((sum, c) => sum + c.amount, 0),
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rows = await getDb()
    .insertInto("payment_promises")
    .values(
      promises.map((c, i) => ({
        customer_id: customer,
        action_id: action.id,
        kind: kind === "promise_to_pay" ? ("promise" as const) : ("instalment" as const),
        sequence: i + 1,
        made_on: madeOn,
        due_on: c.dueOn,
        amount: c.amount,
        created_at: now,
      })),
    )
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  const emails: Record<Who, string | undefined> = {
    head: "head@demo.quarterdeck",
    staff: "staff@demo.quarterdeck",
    otherStaff: undefined,
    leader: undefined,
    admin: undefined,
  };
  for (const [who, role] of [["head", "head"], ["staff", "staff"], ["otherStaff", "staff"], ["leader", "leader"], ["admin", "admin"]] as const) {
    const user = await makeUser(role, { email: emails[who] });
    userIds[who] = user.id;
    cookies[who] = await signIn(user.email);
  }
  await importLedgerFixture();
  for (const code of ["FX001", "FX002", "FX003", "FX004", "FX005"]) ids[code] = await customerId(code);
});

// Each test starts with no collection action recorded (their promises go with them).
beforeEach(async () => {
  await getDb().deleteFrom("collection_actions").execute();
});

describe("loadPromiseStatuses", () => {
  it("derives kept, broken and pending from payments and offsets as of a date, per customer", async () => {
    // FX001 pays 7,000.00 on 2025-05-20 and 1,000.00 on 2025-07-05.
    const kept = defined((await insertPromises(defined(ids.FX001), "promise_to_pay", "2025-05-01", [{ dueOn: "2025-05-31", amount: 500_000 }]))[0]);
    const late = defined((await insertPromises(defined(ids.FX001), "promise_to_pay", "2025-06-01", [{ dueOn: "2025-06-30", amount: 100_000 }]))[0]);
    // FX002: an offset of 1,500.00 on 2025-06-10 counts as collected; one instalment kept, one not.
    const agreement = await insertPromises(defined(ids.FX002), "repayment_agreement", "2025-06-01", [
      { dueOn: "2025-06-15", amount: 100_000 },
      { dueOn: "2025-07-15", amount: 100_000 },
    ]);
    const first = defined(agreement[0]);
    const second = defined(agreement[1]);
    // FX004: made after the as-of date below, so not listed.
    await insertPromises(defined(ids.FX004), "promise_to_pay", "2025-08-01", [{ dueOn: "2025-08-31", amount: 10_000 }]);

    const rows = await loadPromiseStatuses(getDb(), null, "2025-07-10");
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual([kept, late, first, second].sort((a, b) => a - b));
    expect(byId.get(kept)).toMatchObject({ customerId: defined(ids.FX001), kind: "promise", status: "kept", paid: 500_000, keptOn: "2025-05-20" });
    // the 1,000.00 of 2025-07-05 came after its due date: broken, and nothing paid towards it
    expect(byId.get(late)).toMatchObject({ status: "broken", paid: 0, keptOn: null });
    expect(byId.get(first)).toMatchObject({ kind: "instalment", sequence: 1, status: "kept", paid: 100_000, keptOn: "2025-06-10" });
    // the offset's remaining 500.00 flows to the next instalment; still pending on 2025-07-10
    expect(byId.get(second)).toMatchObject({ sequence: 2, status: "pending", paid: 50_000, keptOn: null });

    // as of an earlier date, the first promise is still pending and the agreement not yet made
    const earlier = await loadPromiseStatuses(getDb(), [defined(ids.FX001), defined(ids.FX002)], "2025-05-10");
    expect(earlier.map((r) => [r.id, r.status, r.paid])).toEqual([[kept, "pending", 0]]);

    // after the second due date has passed
    const later = await loadPromiseStatuses(getDb(), [defined(ids.FX002)], "2025-07-16");
    expect(later.map((r) => [r.sequence, r.status])).toEqual([
      [1, "kept"],
      [2, "broken"],
    ]);

    expect(await loadPromiseStatuses(getDb(), [], "2025-07-16")).toEqual([]);
    expect(await loadPromiseStatuses(getDb(), [defined(ids.FX005)], "2025-07-16")).toEqual([]);
  });
});

const path = (code: string, kind?: string) => `/customers/${code}/actions/new${kind ? `?kind=${kind}` : ""}`;

function record(who: Who, code: string, fields: Record<string, string>) {
  return call(action, post(path(code, fields.kind), fields, cookies[who]), { code });
}

async function counts() {
  const db = getDb();
  const n = async (table: "collection_actions" | "payment_promises" | "audit_log") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  return { actions: await n("collection_actions"), promises: await n("payment_promises"), audit: await n("audit_log") };
}

function redirectTarget(result: unknown): string | null {
  return result instanceof Response && result.status === 302 ? result.headers.get("Location") : null;
}

type CustomerData = Awaited<ReturnType<typeof customerLoader>>;
async function customerPage(who: Who, code: string): Promise<CustomerData> {
  const result = await call(customerLoader, get(`/customers/${code}`, cookies[who]), { code });
  expect(statusOf(result)).toBe(200);
  return payloadOf<CustomerData>(result);
}

describe("recording collection actions", () => {
  beforeEach(() => {
    vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("records each kind with its promises and an audit entry, and shows them on the customer page", async () => {
    const before = await counts();
    const simple = [
      { kind: "call", note: "Spoke to the finance manager; payment run next week." },
      { kind: "visit", note: "Visited with the regional manager." },
      { kind: "email", note: "Sent the statement of account." },
      { kind: "lawyer_letter", note: "律师函 sent by registered post." },
    ];
    for (const fields of simple) {
      const result = await record("staff", "FX003", { ...fields, actionDate: "2025-06-18" });
      expect(redirectTarget(result)).toBe("/customers/FX003?recorded=1#collection-actions");
    }
    const promise = await record("staff", "FX003", {
      kind: "promise_to_pay",
      actionDate: TODAY,
      amount: "500.00",
      dueOn: "2025-06-30",
      note: "Promised on the phone",
    });
    expect(redirectTarget(promise)).not.toBeNull();
    const agreement = await record("head", "FX002", {
      kind: "repayment_agreement",
      actionDate: TODAY,
      amount: "3,000.00",
      "instalments.0.dueOn": "2025-07-15",
      "instalments.0.amount": "1000",
      "instalments.1.dueOn": "2025-08-15",
      "instalments.1.amount": "1,000.00",
      "instalments.2.dueOn": "2025-09-15",
      "instalments.2.amount": "1000.00",
      note: "还款协议 signed",
    });
    expect(redirectTarget(agreement)).toBe("/customers/FX002?recorded=1#collection-actions");

    const after = await counts();
    expect(after.actions - before.actions).toBe(6);
    expect(after.promises - before.promises).toBe(4);
    expect(after.audit - before.audit).toBe(6);

    const stored = await getDb()
      .selectFrom("payment_promises as p")
      .innerJoin("collection_actions as a", "a.id", "p.action_id")
      .select(["a.kind as actionKind", "a.amount as total", "a.user_id", "p.kind", "p.sequence", "p.made_on", "p.due_on", "p.amount"])
      .where("p.customer_id", "in", [defined(ids.FX002), defined(ids.FX003)])
      .where("a.action_date", "=", TODAY)
      .orderBy("p.id")
      .execute();
    expect(stored).toEqual([
      { actionKind: "promise_to_pay", total: 50_000, user_id: userIds.staff, kind: "promise", sequence: 1, made_on: TODAY, due_on: "2025-06-30", amount: 50_000 },
      ...[1, 2, 3].map((sequence) => ({
        actionKind: "repayment_agreement",
        total: 300_000,
        user_id: userIds.head,
        kind: "instalment",
        sequence,
        made_on: TODAY,
        due_on: `2025-0${6 + sequence}-15`,
        amount: 100_000,
      })),
    ]);
    const audit = await getDb().selectFrom("audit_log").select(["entity", "action", "user_id"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit).toEqual({ entity: "collection_action", action: "record", user_id: userIds.head });

    const page = await customerPage("staff", "FX003");
    expect(page.collectionActions.canRecord).toBe(true);
    expect(page.collectionActions.actions.map((a) => a.kind)).toEqual(["promise_to_pay", "lawyer_letter", "email", "visit", "call"]);
    expect(defined(page.collectionActions.actions[0]).promises).toEqual([
      expect.objectContaining({ kind: "promise", amount: 50_000, status: "pending", paid: 0, dueOn: "2025-06-30" }),
    ]);
    expect(defined(page.collectionActions.actions[0]).userName).toBe("staff 2");
  });

  it("refuses staff on another owner's customer, and leaders and administrators everywhere (403, nothing written)", async () => {
    const before = await counts();
    const fields = { kind: "call", actionDate: TODAY, note: "Trying my luck" };
    expect(statusOf(await record("staff", "FX002", fields))).toBe(403);
    expect(statusOf(await record("otherStaff", "FX003", fields))).toBe(403);
    expect(statusOf(await record("leader", "FX003", fields))).toBe(403);
    expect(statusOf(await record("admin", "FX003", fields))).toBe(403);
    expect(statusOf(await call(loader, get(path("FX002"), cookies.staff), { code: "FX002" }))).toBe(403);
    expect(statusOf(await call(loader, get(path("FX003"), cookies.leader), { code: "FX003" }))).toBe(403);
    // unknown customers: 404 for those who may record, 403 for those who may not
    expect(statusOf(await record("head", "NOPE", fields))).toBe(404);
    expect(statusOf(await record("leader", "NOPE", fields))).toBe(403);
    expect(await counts()).toEqual(before);

    // the head records on anyone's customer; the staff owner's page offers the form, the leader's does not
    expect(redirectTarget(await record("head", "FX003", fields))).not.toBeNull();
    expect((await customerPage("leader", "FX003")).collectionActions.canRecord).toBe(false);
    expect((await customerPage("head", "FX001")).collectionActions.canRecord).toBe(true);
  });

  const badPosts: [string, Record<string, string>, string, string][] = [
    ["a promise dated in the past", { kind: "promise_to_pay", amount: "100", dueOn: "2025-06-19" }, "dueOn", "collectionActions.validation.dateInPast"],
    ["a zero amount", { kind: "promise_to_pay", amount: "0", dueOn: "2025-06-30" }, "amount", "collectionActions.validation.amountPositive"],
    ["a negative amount", { kind: "promise_to_pay", amount: "-50.00", dueOn: "2025-06-30" }, "amount", "collectionActions.validation.amountPositive"],
    ["three decimals", { kind: "promise_to_pay", amount: "10.005", dueOn: "2025-06-30" }, "amount", "collectionActions.validation.amountDecimals"],
    ["text in the amount", { kind: "promise_to_pay", amount: "ten thousand", dueOn: "2025-06-30" }, "amount", "collectionActions.validation.amount"],
    ["no amount", { kind: "promise_to_pay", amount: "", dueOn: "2025-06-30" }, "amount", "collectionActions.validation.amountRequired"],
    ["a date that is not one", { kind: "promise_to_pay", amount: "10", dueOn: "2025-02-30" }, "dueOn", "collectionActions.validation.date"],
    ["a forged kind", { kind: "bribe", note: "x" }, "kind", "collectionActions.validation.kind"],
    ["an action date in the future", { kind: "call", actionDate: "2025-06-21", note: "x" }, "actionDate", "collectionActions.validation.actionDateFuture"],
    ["a call without a note", { kind: "call", note: "  " }, "note", "collectionActions.validation.noteRequired"],
    [
      "instalments not adding up to the total",
      { kind: "repayment_agreement", amount: "3000", "instalments.0.dueOn": "2025-07-01", "instalments.0.amount": "1000", "instalments.1.dueOn": "2025-08-01", "instalments.1.amount": "1500" },
      "instalments",
      "collectionActions.validation.scheduleTotal",
    ],
    [
      "instalments out of order",
      { kind: "repayment_agreement", amount: "2000", "instalments.0.dueOn": "2025-08-01", "instalments.0.amount": "1000", "instalments.1.dueOn": "2025-07-01", "instalments.1.amount": "1000" },
      "instalments.1.dueOn",
      "collectionActions.validation.instalmentOrder",
    ],
    [
      "an instalment in the past",
      { kind: "repayment_agreement", amount: "1000", "instalments.0.dueOn": "2025-06-01", "instalments.0.amount": "1000" },
      "instalments.0.dueOn",
      "collectionActions.validation.dateInPast",
    ],
    [
      "an instalment with three decimals",
      { kind: "repayment_agreement", amount: "1000", "instalments.0.dueOn": "2025-07-01", "instalments.0.amount": "999.999" },
      "instalments.0.amount",
      "collectionActions.validation.amountDecimals",
    ],
    ["an agreement without instalments", { kind: "repayment_agreement", amount: "1000" }, "instalments", "collectionActions.validation.scheduleEmpty"],
    // a typo in the year would pause the customer's reminders until then
    ["a promise dated 2999", { kind: "promise_to_pay", amount: "100", dueOn: "2999-12-31" }, "dueOn", "collectionActions.validation.promiseTooFar"],
    ["a promise a year and a day ahead", { kind: "promise_to_pay", amount: "100", dueOn: "2026-06-21" }, "dueOn", "collectionActions.validation.promiseTooFar"],
    [
      "an instalment more than 5 years ahead",
      { kind: "repayment_agreement", amount: "1000", "instalments.0.dueOn": "2030-06-21", "instalments.0.amount": "1000" },
      "instalments.0.dueOn",
      "collectionActions.validation.instalmentTooFar",
    ],
  ];

  it.each(badPosts)("refuses %s with a field error and writes nothing", async (_name, fields, field, message) => {
    const before = await counts();
    const result = await record("staff", "FX001", { actionDate: TODAY, note: "n", ...fields });
    expect(statusOf(result)).toBe(400);
    const answer = payloadOf<Refusal>(result);
    expect(answer.fieldErrors[field]).toContain(message);
    // what was typed comes back for the page without JavaScript
    expect(answer.submitted.amount).toBe(fields.amount);
    expect(await counts()).toEqual(before);
  });

  it("answers the schedule buttons without JavaScript: add, remove, split into monthly instalments", async () => {
    const before = await counts();
    const base = { kind: "repayment_agreement", actionDate: TODAY, amount: "1,000.00", "instalments.0.dueOn": "2025-07-01", "instalments.0.amount": "1" };
    type Values = { ok: true; values: { instalments: { dueOn: string; amount: string }[] } };
    const added = payloadOf<Values>(await record("staff", "FX001", { ...base, intent: "add-instalment" }));
    expect(added.values.instalments).toEqual([
      { dueOn: "2025-07-01", amount: "1" },
      { dueOn: "", amount: "" },
    ]);
    const removed = payloadOf<Values>(await record("staff", "FX001", { ...base, intent: "remove-instalment:0" }));
    expect(removed.values.instalments).toEqual([]);
    const split = payloadOf<Values>(await record("staff", "FX001", { ...base, intent: "split", splitCount: "3", splitFirst: "2025-07-31" }));
    expect(split.values.instalments).toEqual([
      { dueOn: "2025-07-31", amount: "333.33" },
      { dueOn: "2025-08-31", amount: "333.33" },
      { dueOn: "2025-09-30", amount: "333.34" },
    ]);
    const badSplit = await record("staff", "FX001", { ...base, intent: "split", splitCount: "0", splitFirst: "2025-07-31" });
    expect(statusOf(badSplit)).toBe(400);
    expect(payloadOf<Refusal>(badSplit).fieldErrors.splitCount).toEqual(["collectionActions.validation.splitCount"]);
    expect(await counts()).toEqual(before);
  });
});

describe("hostile nested field names", () => {
  it("answers a post naming instalments.length=4294967295 at once, with the one instalment sent, and writes nothing", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", TODAY);
    const before = await counts();
    const result = await record("staff", "FX001", {
      intent: "add-instalment",
      kind: "repayment_agreement",
      actionDate: TODAY,
      amount: "1",
      "instalments.0.dueOn": "2027-01-01",
      "instalments.0.amount": "1",
      "instalments.length": "4294967295",
      "instalments.99999.amount": "1",
    });
    const answer = payloadOf<{ values: { instalments: { dueOn: string; amount: string }[] } }>(result);
    // The one instalment sent, plus the empty row the button adds: no slot from the forged length.
    expect(answer.values.instalments).toEqual([
      { dueOn: "2027-01-01", amount: "1" },
      { dueOn: "", amount: "" },
    ]);
    expect(await counts()).toEqual(before);
    vi.unstubAllEnvs();
  });
});

describe("kept and broken from the ledger", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("marks a promise kept after a ledger import with the payment, and a missed one broken and on My tasks", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", TODAY);
    // FX001 promised 1,000.00 by 2025-06-30 on 2025-06-01; the staff member called FX003 and
    // noted its promise of 500.00 by 2025-06-30.
    await insertPromises(defined(ids.FX001), "promise_to_pay", "2025-06-01", [{ dueOn: "2025-06-30", amount: 100_000 }]);
    expect(redirectTarget(await record("staff", "FX003", { kind: "call", actionDate: "2025-06-18", note: "Spoke to the finance manager; payment run next week." }))).not.toBeNull();
    expect(redirectTarget(await record("staff", "FX003", { kind: "promise_to_pay", actionDate: TODAY, amount: "500.00", dueOn: "2025-06-30", note: "Promised on the phone" }))).not.toBeNull();
    // Now 100.00 by 2025-06-25 too.
    expect(
      redirectTarget(await record("staff", "FX003", { kind: "promise_to_pay", actionDate: TODAY, amount: "100", dueOn: "2025-06-25", note: "" })),
    ).not.toBeNull();
    const pending = (await customerPage("staff", "FX003")).collectionActions.actions.flatMap((a) => a.promises);
    expect(pending.map((c) => [c.amount, c.status])).toEqual([
      [10_000, "pending"],
      [50_000, "pending"],
    ]);
    const dueSoon = payloadOf<Awaited<ReturnType<typeof tasksLoader>>>(await call(tasksLoader, get("/tasks", cookies.staff)));
    // FX001's is the promise made on 2025-06-01
    expect(dueSoon.followUps?.dueSoon.map((f) => [f.customerCode, f.dueOn, f.amount])).toEqual([
      ["FX003", "2025-06-25", 10_000],
      ["FX001", "2025-06-30", 100_000],
      ["FX003", "2025-06-30", 50_000],
    ]);
    expect(dueSoon.followUps?.recent.some((r) => r.customerCode === "FX003" && r.kind === "call")).toBe(true);

    // 500.00 arrives on 2025-06-28: after the small promise's date, in time for the big one.
    await importIntoTestDb([
      {
        kind: "payments",
        source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "FX-PAY-3002,FX003,2025-06-28,500.00,"]),
      },
    ]);
    vi.stubEnv("QUARTERDECK_TODAY", "2025-07-01");
    const judged = (await customerPage("staff", "FX003")).collectionActions.actions.flatMap((a) => a.promises);
    expect(judged.map((c) => [c.amount, c.status, c.paid, c.keptOn])).toEqual([
      [10_000, "broken", 0, null],
      [50_000, "kept", 50_000, "2025-06-28"],
    ]);

    const tasks = payloadOf<Awaited<ReturnType<typeof tasksLoader>>>(await call(tasksLoader, get("/tasks", cookies.staff)));
    // the broken 100.00 is still owed: the later 500.00 went to the promise it was meant for
    // (FX001's 1,000.00 broke on 2025-06-30 too; its 1,000.00 comes only on 2025-07-05)
    expect(tasks.followUps?.broken.map((f) => [f.customerCode, f.amount, f.outstanding])).toEqual([
      ["FX001", 100_000, 100_000],
      ["FX003", 10_000, 10_000],
    ]);
    expect(tasks.followUps?.dueSoon.map((f) => f.customerCode)).not.toContain("FX003");

    // another 100.00 on 2025-07-01 makes the broken promise good: it leaves the list (and stays broken)
    await importIntoTestDb([
      {
        kind: "payments",
        source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "FX-PAY-3003,FX003,2025-07-01,100.00,"]),
      },
    ]);
    const madeGood = payloadOf<Awaited<ReturnType<typeof tasksLoader>>>(await call(tasksLoader, get("/tasks", cookies.staff)));
    expect(madeGood.followUps?.broken.map((f) => f.customerCode)).not.toContain("FX003");
    const statuses = await loadPromiseStatuses(getDb(), [defined(ids.FX003)], "2025-07-01");
    expect(statuses.map((s) => s.status)).toEqual(["broken", "kept"]);

    // leaders record nothing, so their tasks page has no follow-ups
    const leader = payloadOf<Awaited<ReturnType<typeof tasksLoader>>>(await call(tasksLoader, get("/tasks", cookies.leader)));
    expect(leader.followUps).toBeNull();
  });
});
