import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays, addMonths } from "~/kernel/dates";
import { computeProvision } from "~/features/provisions/index.server";
import { resolveProvisionRequest } from "~/features/provisions";
import { action, loader } from "~/routes/_app.provisions._index";
import { loader as exportLoader } from "~/routes/_app.provisions.export";
import { call, get, makeUser, payloadOf, post, signIn, signedInAs, statusOf } from "../../../support/app";
import { databaseState } from "../../../support/database-state";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { NEEQ_AS_OF, importProvisionLedger } from "../../../support/provision-ledger";

const owners = { a: "edit.owner.a@example.test", b: "edit.owner.b@example.test" };
let head: string;
let leader: string;
let staff: string;

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importProvisionLedger(owners);
  head = (await signedInAs("head")).cookie;
  leader = (await signedInAs("leader")).cookie;
  staff = await signIn(owners.a);
});

const send = (fields: Record<string, string>, cookie: string) => call(action, post("/provisions", fields, cookie));
const audits = async (entity: string) => getDb().selectFrom("audit_log").selectAll().where("entity", "=", entity).orderBy("id").execute();
const neeq = async () => computeProvision(getDb(), resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NEEQ" }));

describe("rate tables", () => {
  it("the head saves a version by effective date; it applies from that date, audited; a stale save is refused (409)", async () => {
    const before = await neeq();
    expect(before.total).toBe(181_810_042);
    const table = { intent: "rate-table", effectiveFrom: "2025-06-30", basis: "issue", bands: "365,730,1095", rates: "1,10,50,100", note: "harsher", version: "0" };
    expect(payloadOf(await send(table, head))).toEqual({ ok: true });
    const after = await neeq();
    expect(after.bands.map((band) => band.rate)).toEqual([0.01, 0.1, 0.5, 1]);
    // 69,221.27 + 247,194.06 + 2,549,500.00 + 205,000.00
    expect(after.total).toBe(6_922_127 + 24_719_406 + 254_950_000 + 20_500_000);
    // a date before the version still has the default
    expect((await computeProvision(getDb(), resolveProvisionRequest({ asOf: "2025-06-29", method: "ladder", scope: "customer:NEEQ" }))).bands).toHaveLength(6);
    expect((await audits("provision_rate_table")).map((entry) => entry.action)).toEqual(["create"]);

    const stale = await send({ ...table, rates: "2,10,50,100", version: "0" }, head);
    expect(statusOf(stale)).toBe(409);
    expect((await neeq()).bands[0]?.rate).toBe(0.01);
    expect(payloadOf(await send({ ...table, rates: "2,10,50,100", version: "1" }, head))).toEqual({ ok: true });
    expect((await neeq()).bands[0]?.rate).toBe(0.02);
    expect((await audits("provision_rate_table")).map((entry) => entry.action)).toEqual(["create", "update"]);
  });

  it("refuses bad tables at the field and forged posts by staff or a leader, changing nothing", async () => {
    const state = await databaseState();
    const bad = await send({ intent: "rate-table", effectiveFrom: "2025-02-30", basis: "issue", bands: "730,365", rates: "5,10", note: "", version: "0" }, head);
    expect(statusOf(bad)).toBe(400);
    const errors = payloadOf<{ fieldErrors: Record<string, string[]> }>(bad).fieldErrors;
    expect(errors.effectiveFrom).toEqual(["provisions.form.date"]);
    expect(errors.bands).toEqual(["provisions.ladder.badBands"]);
    const count = await send({ intent: "rate-table", effectiveFrom: "2025-03-31", basis: "issue", bands: "365", rates: "5,10,20", note: "", version: "0" }, head);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(count).fieldErrors.rates).toEqual(["provisions.ladder.rateCount"]);
    for (const cookie of [staff, leader]) {
      const forged = await send({ intent: "rate-table", effectiveFrom: "2025-03-31", basis: "issue", bands: "365", rates: "5,100", note: "", version: "0" }, cookie);
      expect(statusOf(forged)).toBe(403);
    }
    expect(statusOf(await send({ intent: "drop-tables" }, head))).toBe(400);
    expect(await databaseState()).toEqual(state);
  });
});

describe("named-customer provisions", () => {
  it("take the customer out of the grouped calculation, with the reason and linked collection actions, audited", async () => {
    const db = getDb();
    const doubt = await db.selectFrom("customers").select("id").where("code", "=", "DOUBT").executeTakeFirstOrThrow();
    const letter = await db
      .insertInto("collection_actions")
      .values({ customer_id: doubt.id, user_id: null, kind: "lawyer_letter", action_date: "2025-11-01", note: "demand letter", amount: null, created_at: "2025-11-01T00:00:00Z" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const groupedBefore = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:DOUBT" }));
    expect(groupedBefore.specific).toEqual([]);
    const other = await db.selectFrom("collection_actions").select("id").where("customer_id", "!=", doubt.id).executeTakeFirst();
    const fields = {
      intent: "specific",
      id: "",
      customerCode: "DOUBT",
      effectiveFrom: "2025-12-01",
      kind: "percent",
      value: "60",
      reason: "lawyer_letter",
      evidence: "Lawyer's letter of 1 November; no answer",
      actionIds: String(letter.id),
      version: "0",
    };
    if (other) expect(statusOf(await send({ ...fields, actionIds: String(other.id) }, head))).toBe(400);
    expect(statusOf(await send({ ...fields, actionIds: "999999" }, head))).toBe(400);
    expect(statusOf(await send(fields, staff))).toBe(403);
    expect(await db.selectFrom("provision_specific").selectAll().execute()).toEqual([]);

    expect(payloadOf(await send(fields, head))).toEqual({ ok: true });
    const after = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:DOUBT" }));
    expect(after.bands.every((band) => band.balance === 0)).toBe(true);
    expect(after.specific).toMatchObject([{ customerCode: "DOUBT", balance: groupedBefore.grossReceivables, reason: "lawyer_letter" }]);
    expect(after.specific[0]?.provision).toBe(Math.round(groupedBefore.grossReceivables * 0.6));
    expect(after.total).toBe(after.specific[0]?.provision);
    expect(await db.selectFrom("provision_specific_actions").select("action_id").execute()).toEqual([{ action_id: letter.id }]);
    expect((await audits("provision_specific")).map((entry) => entry.action)).toEqual(["create"]);
    // the company total counts it once
    const company = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder" }));
    expect(company.specific.map((entry) => entry.customerCode)).toEqual(["DOUBT"]);
    expect(company.grossReceivables).toBe(company.bands.reduce((sum, band) => sum + band.balance, 0) + groupedBefore.grossReceivables);
  });
});

describe("named-customer provisions, refused", () => {
  it("refuse an effective date before the ledger or over a year ahead, an amount above the balance and a percentage over 100, changing nothing", async () => {
    // a customer who owes nothing
    await importIntoTestDb([{ kind: "customers", source: csvSource("zero.csv", ["code,name,region,credit_grade,credit_limit", "ZERO,Owes nothing,East,A,"]) }]);
    const state = await databaseState();
    const fields = { intent: "specific", id: "", customerCode: "DOUBT", effectiveFrom: "2025-12-01", kind: "percent", value: "50", reason: "litigation", evidence: "Court filing", actionIds: "", version: "0" };
    const errorsOf = async (changes: Record<string, string>) => {
      const result = await send({ ...fields, ...changes }, head);
      expect(statusOf(result)).toBe(400);
      return payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors;
    };
    expect((await errorsOf({ effectiveFrom: "1800-01-01" })).effectiveFrom).toEqual(["provisions.form.effectiveTooEarly"]);
    // the ledger starts in 2019 at the earliest: a day before that is refused too
    expect((await errorsOf({ effectiveFrom: "2018-12-31" })).effectiveFrom).toEqual(["provisions.form.effectiveTooEarly"]);
    expect((await errorsOf({ effectiveFrom: "2999-12-31" })).effectiveFrom).toEqual(["provisions.form.effectiveTooLate"]);
    expect((await errorsOf({ effectiveFrom: addDays(addMonths(today(), 12), 1) })).effectiveFrom).toEqual(["provisions.form.effectiveTooLate"]);
    expect((await errorsOf({ customerCode: "ZERO", kind: "amount", value: "99,999,999,999" })).value).toEqual(["provisions.form.amountAboveBalance"]);
    expect((await errorsOf({ customerCode: "ZERO", kind: "amount", value: "0.01" })).value).toEqual(["provisions.form.amountAboveBalance"]);
    // DOUBT owes 100,000.00: a cent more is refused
    expect((await errorsOf({ kind: "amount", value: "100000.01" })).value).toEqual(["provisions.form.amountAboveBalance"]);
    expect((await errorsOf({ value: "100.01" })).value).toEqual(["provisions.ladder.badRate"]);
    expect((await errorsOf({ value: "-1" })).value).toEqual(["provisions.ladder.badRate"]);
    expect(await databaseState()).toEqual(state);
  });
});

describe("forward-looking adjustments", () => {
  it("the head proposes, only a leader approves (once), and only then the matrix applies it", async () => {
    const db = getDb();
    const plain = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "matrix" }));
    expect(statusOf(await send({ intent: "propose-adjustment", effectiveFrom: "2025-12-01", percent: "-100", reason: "no" }, head))).toBe(400);
    // not a number says so; −100 % and below says the bound
    const fieldErrors = async (percent: string) =>
      payloadOf<{ fieldErrors: Record<string, string[]> }>(await send({ intent: "propose-adjustment", effectiveFrom: "2025-12-01", percent, reason: "A reason" }, head)).fieldErrors.percent;
    expect(await fieldErrors("abc")).toEqual(["provisions.matrix.adjustmentNumber"]);
    expect(await fieldErrors("-100")).toEqual(["provisions.matrix.badAdjustment"]);
    expect(await getDb().selectFrom("provision_adjustments").selectAll().execute()).toEqual([]);
    expect(payloadOf(await send({ intent: "propose-adjustment", effectiveFrom: "2025-12-01", percent: "10", reason: "Property market slowing" }, head))).toEqual({ ok: true });
    const proposed = await db.selectFrom("provision_adjustments").selectAll().executeTakeFirstOrThrow();
    expect((await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "matrix" }))).total).toBe(plain.total);
    expect(statusOf(await send({ intent: "approve-adjustment", id: String(proposed.id), version: "1" }, head))).toBe(403);
    expect(payloadOf(await send({ intent: "approve-adjustment", id: String(proposed.id), version: "1" }, leader))).toEqual({ ok: true });
    expect(statusOf(await send({ intent: "approve-adjustment", id: String(proposed.id), version: "1" }, leader))).toBe(409);
    const adjusted = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "matrix" }));
    expect(adjusted.matrix?.adjustment).toEqual({ ppm: 100_000, reason: "Property market slowing" });
    adjusted.bands.forEach((band, i) => expect(band.rate).toBeCloseTo(Math.min(1, (plain.bands[i]?.rate ?? 0) * 1.1), 12));
    expect((await audits("provision_adjustment")).map((entry) => entry.action)).toEqual(["propose", "approve"]);
  });
});

describe("the provisions page", () => {
  it("shows staff their own customers only, without tables or adjustments, and writes nothing", async () => {
    const state = await databaseState();
    const page = payloadOf<{ own: boolean; ladder: { scope: string }; tables: unknown[]; adjustments: unknown[]; canEdit: boolean }>(
      await call(loader, get(`/provisions?asOf=${NEEQ_AS_OF}`, staff)),
    );
    expect(page).toMatchObject({ own: true, ladder: { scope: `owner:${owners.a}` }, tables: [], adjustments: [], canEdit: false });
    const headPage = payloadOf<{ own: boolean; ladder: { scope: string; total: number } }>(await call(loader, get(`/provisions?asOf=${NEEQ_AS_OF}&basis=due`, head)));
    expect(headPage).toMatchObject({ own: false, ladder: { scope: "company" } });
    expect(await databaseState()).toEqual(state);
  });
});

describe("the schedule export", () => {
  it("writes the bands side by side, the named customers and the totals through the safe writer, evidence neutralised", async () => {
    const db = getDb();
    await db.updateTable("provision_specific").set({ evidence: "=HYPERLINK(1)" }).execute();
    const response = (await call(exportLoader, get(`/provisions/export?format=csv&asOf=${NEEQ_AS_OF}`, head))) as Response;
    expect(response.status).toBe(200);
    const csv = await response.text();
    const page = await computeProvision(db, resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder" }));
    expect(csv).toContain("0–365,");
    expect(csv).toContain("DOUBT ");
    expect(csv).toContain("'=HYPERLINK(1)");
    expect(csv).toContain(`Total provision,${(page.grossReceivables / 100).toFixed(2)},`);
    const xlsx = (await call(exportLoader, get(`/provisions/export?format=xlsx&asOf=${NEEQ_AS_OF}`, head))) as Response;
    expect(xlsx.headers.get("Content-Type")).toMatch(/spreadsheetml/);
    expect(statusOf(await call(exportLoader, get(`/provisions/export?format=pdf&asOf=${NEEQ_AS_OF}`, head)))).toBe(400);
  });
});
