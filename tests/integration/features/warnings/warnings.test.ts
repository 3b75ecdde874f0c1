import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { runImportJob } from "~/features/import/job.server";
import { getWarningRules, sweepWarnings } from "~/features/warnings/index.server";
import { loader as listLoader } from "~/routes/_app.warnings._index";
import { action as actAction, loader as warningLoader } from "~/routes/_app.warnings.$warningId";
import { action as rulesAction, loader as rulesLoader } from "~/routes/_app.warnings.rules";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { call, get, payloadOf, post, signedInAs, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { warningRulesPost } from "../../../support/warning-rules";

const TODAY = process.env.QUARTERDECK_TODAY ?? "";
const cookies = { head: "", staff: "", other: "", leader: "" };
const ids = { head: 0, staff: 0, other: 0 };

/** Customers of two owners: W-OVER is 50 % over its limit, W-BIG has 60,000.00 open 70 days overdue, W-OTHER is over its limit. */
beforeAll(async () => {
  const head = await signedInAs("head");
  const staff = await signedInAs("staff");
  const other = await signedInAs("staff");
  const leader = await signedInAs("leader");
  Object.assign(cookies, { head: head.cookie, staff: staff.cookie, other: other.cookie, leader: leader.cookie });
  Object.assign(ids, { head: head.user.id, staff: staff.user.id, other: other.user.id });
  const day = (n: number) => addDays(TODAY, n);
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
        `W-OVER,Over Limit Co.,East,${staff.user.email},B,1000.00,30`,
        `W-BIG,Big Invoice Co.,East,${staff.user.email},B,1000000.00,30`,
        `W-OTHER,Other Owner Co.,North,${other.user.email},B,500.00,30`,
        `W-FINE,Fine Co.,North,${other.user.email},B,100000.00,30`,
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        `W-1,W-OVER,${day(-10)},${day(20)},1500.00`,
        `W-2,W-BIG,${day(-100)},${day(-70)},60000.00`,
        `W-3,W-OTHER,${day(-5)},${day(25)},900.00`,
        `W-4,W-FINE,${day(-5)},${day(25)},900.00`,
      ]),
    },
  ]);
});

const warningRows = () => getDb().selectFrom("warnings").selectAll().orderBy("id").execute();
const auditCount = async () =>
  Number((await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).where("entity", "in", ["warning", "warning_rules"]).executeTakeFirstOrThrow()).n);
const active = async (subjectKey: string) =>
  getDb().selectFrom("warnings").selectAll().where("subject_key", "=", subjectKey).where("state", "!=", "resolved").executeTakeFirst();
async function customerId(code: string) {
  return (await getDb().selectFrom("customers").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;
}
async function invoiceId(no: string) {
  return (await getDb().selectFrom("invoices").select("id").where("invoice_no", "=", no).executeTakeFirstOrThrow()).id;
}

// Each test starts from no warnings and the rules as the migration seeded them, swept on the business date.
const seededRules = { rows: [] as { kind: string; params: string; severity: "info" | "warning" | "critical"; enabled: number }[] };
beforeAll(async () => {
  seededRules.rows = await getDb().selectFrom("warning_rules").select(["kind", "params", "severity", "enabled"]).execute();
});
beforeEach(async () => {
  const db = getDb();
  await db.deleteFrom("warnings").execute();
  for (const row of seededRules.rows) await db.updateTable("warning_rules").set({ ...row, updated_by: null }).where("kind", "=", row.kind).execute();
  await db.updateTable("customers").set({ credit_limit: 100_000 }).where("code", "=", "W-OVER").execute();
  await sweepWarnings(db, TODAY);
});

type ListData = { rows: { id: number; kind: string; severity: string; state: string; customerCode: string | null; canAct: boolean }[] };

describe("the sweep", () => {
  it("raises the over-limit and 61–90 warnings with their reasons and owners to act", async () => {
    const rows = await warningRows();
    const keys = rows.map((row) => `${row.rule_kind} ${row.subject_key}`).sort();
    expect(keys).toEqual(
      [`invoice_61_90 invoice:${await invoiceId("W-2")}`, `over_limit customer:${await customerId("W-OTHER")}`, `over_limit customer:${await customerId("W-OVER")}`].sort(),
    );
    const overKey = `customer:${await customerId("W-OVER")}`;
    const over = rows.find((row) => row.subject_key === overKey);
    expect(over).toMatchObject({ severity: "critical", owner_id: ids.staff, state: "open", raised_on: TODAY, last_seen_on: TODAY });
    expect(JSON.parse(over?.reasons ?? "")).toEqual([{ key: "warnings.reason.overLimit", params: { balance: 150_000, limit: 100_000, percent: 50 } }]);
    const big = rows.find((row) => row.rule_kind === "invoice_61_90");
    expect(JSON.parse(big?.reasons ?? "")).toEqual([{ key: "warnings.reason.invoice6190", params: { invoiceNo: "W-2", amount: 6_000_000, days: 70, dueDate: addDays(TODAY, -70) } }]);
  });

  it("does not raise a warning twice while it is still true, and refreshes it", async () => {
    const before = await warningRows();
    const next = addDays(TODAY, 1);
    expect(await sweepWarnings(getDb(), next)).toEqual({ raised: 0, refreshed: 3, closed: 0 });
    const after = await warningRows();
    expect(after.map((row) => row.id)).toEqual(before.map((row) => row.id));
    expect(after.every((row) => row.last_seen_on === next && row.raised_on === TODAY)).toBe(true);
  });

  it("closes a warning no longer true, saying so, and raises it anew when it is true again", async () => {
    const key = `customer:${await customerId("W-OVER")}`;
    const first = await active(key);
    await getDb().updateTable("customers").set({ credit_limit: 1_000_000 }).where("code", "=", "W-OVER").execute();
    expect((await sweepWarnings(getDb(), TODAY)).closed).toBe(1);
    const closed = await getDb().selectFrom("warnings").selectAll().where("id", "=", first?.id ?? 0).executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ state: "resolved", resolution: "cleared", resolved_on: TODAY, acted_by: null });
    await getDb().updateTable("customers").set({ credit_limit: 100_000 }).where("code", "=", "W-OVER").execute();
    await sweepWarnings(getDb(), TODAY);
    const again = await active(key);
    expect(again?.id).toBeGreaterThan(first?.id ?? 0);
  });

  it("does not raise again what a person resolved while it stays true; once it was seen untrue, it may", async () => {
    const key = `invoice:${await invoiceId("W-2")}`;
    const warning = await active(key);
    const done = await call(actAction, post(`/warnings/${warning?.id}`, { intent: "resolve", version: String(warning?.version), note: "Agreed a payment plan" }, cookies.head), { warningId: String(warning?.id) });
    expect(payloadOf(done)).toMatchObject({ ok: true, state: "resolved" });
    await sweepWarnings(getDb(), TODAY);
    expect(await active(key)).toBeUndefined();
    // 31 days on, the invoice is past 90 days: no longer this rule's; back on the business date it is again.
    await sweepWarnings(getDb(), addDays(TODAY, 31));
    await sweepWarnings(getDb(), TODAY);
    expect((await active(key))?.id).toBeGreaterThan(warning?.id ?? 0);
  });

  it("the import's job sweeps after its commit: a new over-limit customer is warned without a request", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-warn-"));
    const file = path.join(dir, "invoices.csv");
    fs.writeFileSync(file, `invoice_no,customer_code,issue_date,due_date,amount\nW-5,W-FINE,${addDays(TODAY, -1)},${addDays(TODAY, 29)},200000.00\n`);
    try {
      const result = await runImportJob({ databaseFile: databaseUrl(), files: [{ path: file, kind: "invoices" }], userId: null, source: "cli" });
      expect(result.ok).toBe(true);
      expect(await active(`customer:${await customerId("W-FINE")}`)).toMatchObject({ rule_kind: "over_limit", state: "open" });
    } finally {
      await getDb().deleteFrom("invoices").where("invoice_no", "=", "W-5").execute();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the warnings pages", () => {
  it("GET never raises or changes a warning", async () => {
    await getDb().updateTable("customers").set({ credit_limit: 1_000_000 }).where("code", "=", "W-OVER").execute();
    const before = await warningRows();
    for (const [loader, url] of [
      [listLoader, "/warnings"],
      [dashboardLoader, "/"],
      [tasksLoader, "/tasks"],
    ] as const) {
      expect(statusOf(await call(loader, get(url, cookies.head)))).toBe(200);
    }
    expect(await warningRows()).toEqual(before);
  });

  it("the head sees every warning and filters by severity, state and owner; staff see only their own customers'", async () => {
    const all = payloadOf<ListData>(await call(listLoader, get("/warnings", cookies.head)));
    expect(all.rows).toHaveLength(3);
    expect(payloadOf<ListData>(await call(listLoader, get("/warnings?severity=warning", cookies.head))).rows.map((r) => r.kind)).toEqual(["invoice_61_90"]);
    expect(payloadOf<ListData>(await call(listLoader, get(`/warnings?owner=${ids.other}`, cookies.head))).rows.map((r) => r.customerCode)).toEqual(["W-OTHER"]);
    expect(payloadOf<ListData>(await call(listLoader, get("/warnings?state=resolved", cookies.head))).rows).toEqual([]);
    const mine = payloadOf<ListData>(await call(listLoader, get(`/warnings?owner=${ids.other}`, cookies.staff)));
    // The owner filter cannot widen a staff member's scope.
    expect(mine.rows).toEqual([]);
    const own = payloadOf<ListData>(await call(listLoader, get("/warnings", cookies.staff)));
    expect(own.rows.map((r) => r.customerCode).sort()).toEqual(["W-BIG", "W-OVER"]);
    expect(own.rows.every((r) => r.canAct)).toBe(true);
    const otherWarning = await active(`customer:${await customerId("W-OTHER")}`);
    expect(statusOf(await call(warningLoader, get(`/warnings/${otherWarning?.id}`, cookies.staff), { warningId: String(otherWarning?.id) }))).toBe(404);
  });

  it("the head's dashboard counts the open warnings; the owner's My tasks lists theirs", async () => {
    const dashboard = payloadOf<{ warnings: { total: number; counts: Record<string, number> } }>(await call(dashboardLoader, get("/", cookies.head)));
    expect(dashboard.warnings).toMatchObject({ total: 3, counts: { critical: 2, warning: 1, info: 0 } });
    const tasks = payloadOf<{ warnings: { total: number; top: { customerCode: string }[] } }>(await call(tasksLoader, get("/tasks", cookies.staff)));
    expect(tasks.warnings.total).toBe(2);
    expect(tasks.warnings.top.map((row) => row.customerCode).sort()).toEqual(["W-BIG", "W-OVER"]);
    const staffDashboard = payloadOf<{ warnings: unknown }>(await call(dashboardLoader, get("/", cookies.staff)));
    expect(staffDashboard.warnings).toBeNull();
  });
});

describe("acknowledging and resolving", () => {
  async function over() {
    const warning = await active(`customer:${await customerId("W-OVER")}`);
    if (!warning) throw new Error("no W-OVER warning");
    return warning;
  }
  const act = (id: number, fields: Record<string, string>, cookie: string) => call(actAction, post(`/warnings/${id}`, fields, cookie), { warningId: String(id) });

  it("the owner acknowledges with a note: state, note, who and when stored, version raised, audited", async () => {
    const warning = await over();
    const audits = await auditCount();
    const result = await act(warning.id, { intent: "acknowledge", version: String(warning.version), note: "Called the buyer; payment next week" }, cookies.staff);
    expect(payloadOf(result)).toEqual({ ok: true, id: warning.id, state: "acknowledged" });
    const stored = await getDb().selectFrom("warnings").selectAll().where("id", "=", warning.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ state: "acknowledged", note: "Called the buyer; payment next week", acted_by: ids.staff, version: warning.version + 1 });
    expect(await auditCount()).toBe(audits + 1);
    const page = payloadOf<{ history: { action: string; note: string }[] }>(await call(warningLoader, get(`/warnings/${warning.id}`, cookies.head), { warningId: String(warning.id) }));
    expect(page.history).toMatchObject([{ action: "acknowledge", note: "Called the buyer; payment next week" }]);
    // still true: the sweep keeps it acknowledged, not raised again
    await sweepWarnings(getDb(), TODAY);
    expect((await over()).id).toBe(warning.id);
    expect((await over()).state).toBe("acknowledged");
  });

  it("refuses a stale version with 409, and forged or bad posts, changing nothing", async () => {
    const warning = await over();
    const otherWarning = await active(`customer:${await customerId("W-OTHER")}`);
    const before = await warningRows();
    const audits = await auditCount();
    const stale = await act(warning.id, { intent: "resolve", version: String(warning.version + 1), note: "late" }, cookies.head);
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf(stale)).toMatchObject({ ok: false, code: "conflict", message: "warnings.validation.conflict" });
    // staff acting on another owner's customer; a leader (reads only); a note missing; an unknown intent; an unknown warning
    expect(statusOf(await act(otherWarning?.id ?? 0, { intent: "resolve", version: String(otherWarning?.version), note: "not mine" }, cookies.staff))).toBe(403);
    expect(statusOf(await act(warning.id, { intent: "resolve", version: String(warning.version), note: "x" }, cookies.leader))).toBe(403);
    const noNote = await act(warning.id, { intent: "resolve", version: String(warning.version), note: "  " }, cookies.head);
    expect(statusOf(noNote)).toBe(400);
    expect(payloadOf(noNote)).toMatchObject({ fieldErrors: { note: ["warnings.validation.noteRequired"] } });
    expect(statusOf(await act(warning.id, { intent: "delete", version: String(warning.version), note: "x" }, cookies.head))).toBe(400);
    expect(statusOf(await act(warning.id, { intent: "resolve", version: "abc", note: "x" }, cookies.head))).toBe(400);
    expect(statusOf(await act(999_999, { intent: "resolve", version: "1", note: "x" }, cookies.head))).toBe(404);
    // the form's id cannot point the post at another warning than the address names
    expect(statusOf(await act(warning.id, { id: String(otherWarning?.id), intent: "resolve", version: String(warning.version + 5), note: "x" }, cookies.head))).toBe(409);
    expect(await warningRows()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("the dashboard's and My tasks' counts follow a resolution at the next view (kept counts never outlive a change)", async () => {
    const counted = async () => payloadOf<{ warnings: { total: number } }>(await call(dashboardLoader, get("/", cookies.head))).warnings.total;
    const ownTotal = async () => payloadOf<{ warnings: { total: number } }>(await call(tasksLoader, get("/tasks", cookies.staff))).warnings.total;
    expect(await counted()).toBe(3);
    expect(await ownTotal()).toBe(2);
    // asked again unchanged: the same figures
    expect(await counted()).toBe(3);
    const warning = await over();
    expect(payloadOf(await act(warning.id, { intent: "resolve", version: String(warning.version), note: "Paid in full" }, cookies.staff))).toMatchObject({ ok: true });
    expect(await counted()).toBe(2);
    expect(await ownTotal()).toBe(1);
  });

  it("a resolved warning cannot be acted on again", async () => {
    const warning = await over();
    expect(payloadOf(await act(warning.id, { intent: "resolve", version: String(warning.version), note: "Limit raised by the committee" }, cookies.head))).toMatchObject({ ok: true });
    const again = await act(warning.id, { intent: "acknowledge", version: String(warning.version + 1), note: "again" }, cookies.head);
    expect(statusOf(again)).toBe(409);
  });
});

describe("the warning rules", () => {

  it("the migrations seed the six kinds, all on", async () => {
    const { rules } = payloadOf<{ rules: { kind: string; enabled: boolean }[]; canEdit: boolean }>(await call(rulesLoader, get("/warnings/rules", cookies.staff)));
    expect(rules.map((r) => [r.kind, r.enabled])).toEqual([
      ["days_late_rising", true],
      ["broken_promise", true],
      ["over_limit", true],
      ["invoice_61_90", true],
      ["owner_overdue_growing", true],
      ["forecast_misses_target", true],
    ]);
  });

  it("the head changes a parameter and switches a rule off: saved, audited, applied by the next sweep", async () => {
    const audits = await auditCount();
    const fields = await warningRulesPost((f) => {
      f["rules.invoice_61_90.amount"] = "70,000.00";
      delete f["rules.over_limit.enabled"];
    });
    expect(payloadOf(await call(rulesAction, post("/warnings/rules", fields, cookies.head)))).toEqual({ ok: true, changed: true });
    expect(await auditCount()).toBe(audits + 1);
    const { rules } = await getWarningRules(getDb());
    expect(rules.find((r) => r.kind === "invoice_61_90")?.params).toEqual({ amount: 7_000_000 });
    expect(rules.find((r) => r.kind === "over_limit")?.enabled).toBe(false);
    expect(await sweepWarnings(getDb(), TODAY)).toMatchObject({ raised: 0, closed: 3 });
    const closed = await warningRows();
    expect(closed.filter((r) => r.rule_kind === "over_limit").every((r) => r.resolution === "rule_off")).toBe(true);
    expect(closed.find((r) => r.rule_kind === "invoice_61_90")?.resolution).toBe("cleared");
  });

  it("refuses staff, leaders, bad values and a save based on older rules, changing nothing", async () => {
    const before = await getDb().selectFrom("warning_rules").selectAll().execute();
    const audits = await auditCount();
    const good = await warningRulesPost((f) => (f["rules.broken_promise.withinDays"] = "30"));
    expect(statusOf(await call(rulesAction, post("/warnings/rules", good, cookies.staff)))).toBe(403);
    expect(statusOf(await call(rulesAction, post("/warnings/rules", good, cookies.leader)))).toBe(403);
    const bad = await warningRulesPost((f) => {
      f["rules.days_late_rising.months"] = "99";
      f["rules.over_limit.severity"] = "panic";
      f["rules.invoice_61_90.amount"] = "lots";
    });
    const refused = await call(rulesAction, post("/warnings/rules", bad, cookies.head));
    expect(statusOf(refused)).toBe(400);
    expect(Object.keys(payloadOf<{ fieldErrors: Record<string, unknown> }>(refused).fieldErrors).sort()).toEqual([
      "rules.days_late_rising.months",
      "rules.invoice_61_90.amount",
      "rules.over_limit.severity",
    ]);
    const missing = await warningRulesPost((f) => delete f["rules.owner_overdue_growing.months"]);
    expect(statusOf(await call(rulesAction, post("/warnings/rules", missing, cookies.head)))).toBe(400);
    const stale = await warningRulesPost((f) => {
      f.basedOn = "0000000000000000";
      f["rules.broken_promise.withinDays"] = "30";
    });
    expect(statusOf(await call(rulesAction, post("/warnings/rules", stale, cookies.head)))).toBe(409);
    expect(await getDb().selectFrom("warning_rules").selectAll().execute()).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });
});
