import ExcelJS from "exceljs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { generateDemoLedger } from "../../../../../db/seed/demo-ledger";
import { suggestedKinds } from "~/features/credit/holds/index.server";
import { getDb, openLedgerConnection } from "~/server/db.server";
import { customerPosition } from "~/kernel/ledger/customer-position";
import { type HoldKind, holdAdvice, suggestHold } from "~/features/credit/holds/holds";
import { importLedgerRecords } from "~/features/import/import-ledger.server";
import { getCreditPolicy } from "~/features/credit/grades/queries.server";
import { currentHold } from "~/features/credit/holds/queries.server";
import { customerDocuments } from "~/features/ledger/queries/customers.server";
import { action as changeAction } from "~/routes/_app.credit.holds.change";
import { loader as exportLoader } from "~/routes/_app.credit.holds.export";
import { loader as pageLoader } from "~/routes/_app.credit.holds._index";
import { loader as customerLoader } from "~/routes/_app.customers.$code";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../../support/ledger";
import { defined } from "../../../../support/defined";
import { instantOnBusinessDate } from "../../../../support/business-date";

type PageData = Awaited<ReturnType<typeof pageLoader>>;

const TODAY = "2025-07-20";
const OWNERS = ["staff@demo.quarterdeck", "chen.jing@demo.quarterdeck"];
const cookies = { head: "", staff: "", leader: "" };
const HOSTILE = '=HYPERLINK("http://x","y")';

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: OWNERS[0] });
  await makeUser("staff", { email: OWNERS[1] });
  const leader = await makeUser("leader");
  await importLedgerFixture();
  const sqlite = openLedgerConnection();
  try {
    importLedgerRecords(sqlite, generateDemoLedger({ today: TODAY, owners: OWNERS, customerCount: 60 }), { baseCurrency: "CNY", userId: null });
  } finally {
    sqlite.close();
  }
  // A customer named like a formula, over its limit and long overdue, and one with a payment
  // dated after today (its position today comes from the open runs, not open_items).
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("hostile.csv", [
        "code,name,region,credit_grade,credit_limit",
        `EVIL-1,"${HOSTILE.replace(/"/g, '""')}",Nowhere,B,50`,
        "LATER-1,Later payer,Nowhere,A,",
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("hostile-invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        "EVIL-INV-1,EVIL-1,2025-01-10,2025-02-09,100.00",
        "LATER-INV-1,LATER-1,2025-01-10,2025-02-09,300.00",
      ]),
    },
    {
      kind: "payments",
      source: csvSource("later-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "LATER-PAY-1,LATER-1,2025-08-30,300.00,LATER-INV-1"]),
    },
  ]);
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
}, 180_000); // on PostgreSQL the demo ledger goes statement by statement (README, PostgreSQL)

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function allCustomers() {
  return getDb().selectFrom("customers").select(["id", "code", "credit_grade", "credit_limit", "owner_id"]).orderBy("code").execute();
}

/** What the customer page would suggest: the customer's own documents settled as of today. */
async function expectedSuggestions(): Promise<Map<string, HoldKind | null>> {
  const { grades } = await getCreditPolicy(getDb());
  const expected = new Map<string, HoldKind | null>();
  for (const customer of await allCustomers()) {
    const documents = await customerDocuments(getDb(), { kind: "all" }, customer.id);
    const position = customerPosition(customer.code, documents, customer.credit_limit, TODAY);
    const suggestion = suggestHold({
      asOf: TODAY,
      grade: grades.find((grade) => grade.code === customer.credit_grade) ?? null,
      worstGrade: defined(grades[grades.length - 1], "the worst grade"),
      openInvoices: position.openInvoices,
      arTotal: position.arTotal,
      creditLimit: customer.credit_limit,
      brokenPromises: 0,
    });
    const current = (await currentHold(getDb(), customer.id))?.kind ?? null;
    if (holdAdvice(current, suggestion.kind) !== "none" && holdAdvice(current, suggestion.kind) !== "keep") expected.set(customer.code, suggestion.kind);
  }
  return expected;
}

async function holdRows() {
  return getDb().selectFrom("customer_holds").selectAll().orderBy("id").execute();
}

describe("holds and limits pages", () => {
  it("lists exactly the customers whose suggestHold differs from their hold, with the same kinds", async () => {
    const expected = await expectedSuggestions();
    expect(expected.size).toBeGreaterThan(5);
    expect([...expected.values()]).toContain("stop_shipment");
    expect(expected.get("EVIL-1")).toBe("stop_shipment");
    expect(expected.has("LATER-1")).toBe(true); // still open today: the payment is dated later
    const bySql = await suggestedKinds(getDb(), { kind: "all" }, TODAY);
    expect(Object.fromEntries(bySql)).toEqual(Object.fromEntries(expected));

    const page = payloadOf<PageData>(await call(pageLoader, get("/credit/holds", cookies.head)));
    expect(page.suggestions.page.total).toBe(expected.size);
    for (const row of page.suggestions.rows) {
      expect(row.suggestedKind).toBe(expected.get(row.code));
      expect(row.reasons.length).toBeGreaterThan(0);
      expect(row.reasons.every((reason) => reason.key.startsWith("holds.reason."))).toBe(true);
    }
    // Strongest first.
    expect(defined(page.suggestions.rows[0]).suggestedKind).toBe("stop_shipment");
  });

  it("escalates to stop shipment when a promise is broken while overdue past grace, in the SQL as in suggestHold", async () => {
    const page = payloadOf<PageData>(await call(pageLoader, get("/credit/holds?suggestionsPage=1", cookies.head)));
    const graceOnly = page.suggestions.rows.find(
      (row) => row.suggestedKind === "cash_before_delivery" && row.reasons.some((r) => r.key === "holds.reason.overduePastGrace"),
    );
    expect(graceOnly).toBeDefined();
    const customer = (await allCustomers()).find((c) => c.code === graceOnly!.code)!;
    const now = instantOnBusinessDate().toISOString();
    const actionRow = await getDb()
      .insertInto("collection_actions")
      .values({ customer_id: customer.id, kind: "promise_to_pay", action_date: "2025-06-01", note: "", amount: 100, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    const promise = await getDb()
      .insertInto("payment_promises")
      .values({ customer_id: customer.id, action_id: actionRow.id, kind: "promise", made_on: "2025-06-01", due_on: "2025-06-02", amount: 99_999_999, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    try {
      const bySql = await suggestedKinds(getDb(), { kind: "all" }, TODAY);
      expect(bySql.get(customer.code)).toBe("stop_shipment");
      const after = payloadOf<PageData>(await call(pageLoader, get("/credit/holds", cookies.head)));
      const row = after.suggestions.rows.find((r) => r.code === customer.code)!;
      expect(row.suggestedKind).toBe("stop_shipment");
      expect(row.reasons.map((r) => r.key)).toContain("holds.reason.brokenPromises");
    } finally {
      await getDb().deleteFrom("payment_promises").where("id", "=", promise.id).execute();
      await getDb().deleteFrom("collection_actions").where("id", "=", actionRow.id).execute();
    }
  });

  it("lists utilisation worst first with the over-limit count of the KPI's test", async () => {
    const page = payloadOf<PageData>(await call(pageLoader, get("/credit/holds?overLimit=1", cookies.head)));
    const customers = await allCustomers();
    const overLimit: string[] = [];
    for (const customer of customers) {
      if (!customer.credit_limit) continue;
      const documents = await customerDocuments(getDb(), { kind: "all" }, customer.id);
      const position = customerPosition(customer.code, documents, customer.credit_limit, TODAY);
      if (position.arTotal > customer.credit_limit) overLimit.push(customer.code);
    }
    expect(overLimit).toContain("EVIL-1");
    expect(page.limits.overLimitCount).toBe(overLimit.length);
    expect(page.limits.rows.map((row) => row.code).sort()).toEqual([...overLimit].sort());
    expect(page.limits.rows.every((row) => row.overLimit && row.arTotal > row.creditLimit)).toBe(true);
    const utilisations = page.limits.rows.map((row) => row.utilisation);
    expect(utilisations).toEqual([...utilisations].sort((a, b) => b - a));
    expect(page.limits.withLimitCount).toBe(customers.filter((c) => (c.credit_limit ?? 0) > 0).length);
  });

  it("refuses staff and leaders with 403 and changes nothing", async () => {
    const before = await holdRows();
    for (const cookie of [cookies.staff, cookies.leader]) {
      const result = await call(changeAction, post("/credit/holds/change", { intent: "set-hold", customer: "FX001", kind: "stop_shipment", reason: "x" }, cookie));
      expect(statusOf(result)).toBe(403);
    }
    expect(await holdRows()).toEqual(before);
  });

  it("refuses bad input with a field error and changes nothing", async () => {
    const before = await holdRows();
    const cases: [Record<string, string>, string, string][] = [
      [{ intent: "set-hold", customer: "FX001", kind: "stop_shipment", reason: "   " }, "reason", "holds.validation.reasonRequired"],
      [{ intent: "set-hold", customer: "FX001", kind: "ship_never", reason: "overdue" }, "kind", "holds.validation.kind"],
      [{ intent: "set-hold", customer: "NOPE-9", kind: "stop_shipment", reason: "overdue" }, "customer", "holds.validation.unknownCustomer"],
      [{ intent: "release-hold", customer: "FX002", reason: "paid" }, "form", "holds.validation.noHold"],
      [{ intent: "delete-everything", customer: "FX001", reason: "x" }, "form", "holds.validation.intent"],
    ];
    for (const [fields, field, message] of cases) {
      const result = await call(changeAction, post("/credit/holds/change", fields, cookies.head));
      expect(statusOf(result), JSON.stringify(fields)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors[field]).toEqual([message]);
    }
    expect(await holdRows()).toEqual(before);
  });

  it("lets the head put a suggested customer on stop shipment; it shows in force, on the customer page and in the audit", async () => {
    const result = await call(
      changeAction,
      post("/credit/holds/change", { intent: "set-hold", customer: "EVIL-1", kind: "stop_shipment", reason: "Overdue 160 days", returnTo: "/credit/holds?region=Nowhere" }, cookies.head),
    );
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toBe("/credit/holds?region=Nowhere&holdChanged=EVIL-1");
    // An absolute returnTo cannot send the head elsewhere.
    const again = await call(changeAction, post("/credit/holds/change", { intent: "set-hold", customer: "EVIL-1", kind: "stop_shipment", reason: "again", returnTo: "//evil.test" }, cookies.head));
    expect(statusOf(again)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(again).fieldErrors.kind).toEqual(["holds.validation.sameHold"]);

    const page = payloadOf<PageData>(await call(pageLoader, get("/credit/holds", cookies.head)));
    const held = page.holds.rows.find((row) => row.code === "EVIL-1");
    expect(held).toMatchObject({ kind: "stop_shipment", reason: "Overdue 160 days", region: "Nowhere" });
    expect(page.suggestions.rows.some((row) => row.code === "EVIL-1")).toBe(false);

    const customerPage = payloadOf<{ hold: { current: { kind: string } | null; history: unknown[]; suggestion: { advice: string }; canChange: boolean } }>(
      await call(customerLoader, get("/customers/EVIL-1", cookies.head), { code: "EVIL-1" }),
    );
    expect(customerPage.hold.current?.kind).toBe("stop_shipment");
    expect(customerPage.hold.suggestion.advice).toBe("keep");
    expect(customerPage.hold.canChange).toBe(true);
    const audit = await getDb().selectFrom("audit_log").select(["action"]).where("entity", "=", "hold").execute();
    expect(audit.map((row) => row.action)).toContain("set");

    const released = await call(changeAction, post("/credit/holds/change", { intent: "release-hold", customer: "EVIL-1", reason: "Paid in full" }, cookies.head));
    expect(statusOf(released)).toBe(302);
    expect(await currentHold(getDb(), (await allCustomers()).find((c) => c.code === "EVIL-1")!.id)).toBeNull();
    await call(changeAction, post("/credit/holds/change", { intent: "set-hold", customer: "EVIL-1", kind: "cash_before_delivery", reason: "Over limit" }, cookies.head));
  });

  it("shows staff only their own customers, read-only", async () => {
    const page = payloadOf<PageData>(await call(pageLoader, get("/credit/holds", cookies.staff)));
    expect(page.canChange).toBe(false);
    const owned = new Set((await getDb().selectFrom("customers as c").innerJoin("users as u", "u.id", "c.owner_id").select("c.code").where("u.email", "=", defined(OWNERS[0], "an owner")).execute()).map((r) => r.code));
    const shown = [...page.holds.rows, ...page.suggestions.rows, ...page.limits.rows].map((row) => row.code);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((code) => owned.has(code))).toBe(true);
    const leader = payloadOf<PageData>(await call(pageLoader, get("/credit/holds", cookies.leader)));
    expect(leader.canChange).toBe(false);
    expect(leader.suggestions.page.total).toBeGreaterThan(page.suggestions.page.total);
  });

  it("exports the holds in force and the over-limit list with names neutralised and amounts numeric", async () => {
    const csv = await call(exportLoader, get("/credit/holds/export?format=csv", cookies.head));
    expect(statusOf(csv)).toBe(200);
    const text = await (csv as Response).text();
    const line = text.split("\r\n").find((l) => l.startsWith("EVIL-1,"));
    expect(line).toBeDefined();
    expect(line).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(line).toMatch(/,-?\d+\.\d{2},50\.00$/);

    const xlsx = await call(exportLoader, get("/credit/holds/export?format=xlsx&list=over-limit", cookies.head));
    expect(statusOf(xlsx)).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await (xlsx as Response).arrayBuffer()) as never);
    const sheet = defined(workbook.worksheets[0], "a worksheet");
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const evil = rows.find((row) => row[0] === "EVIL-1")!;
    expect(evil[1]).toBe(`'${HOSTILE}`);
    expect(evil[5]).toBe(100);
    expect(evil[6]).toBe(50);
    expect(evil[7]).toBe(200);
    expect(rows.length - 1).toBe(payloadOf<PageData>(await call(pageLoader, get("/credit/holds", cookies.head))).limits.overLimitCount);

    const bad = await call(exportLoader, get("/credit/holds/export?format=pdf", cookies.head));
    expect(statusOf(bad)).toBe(400);
  });

  it("dates a hold in the exports by the installation's time zone, as the page does, not by UTC", async () => {
    vi.stubEnv("QUARTERDECK_TIME_ZONE", "Asia/Shanghai");
    const set = await call(changeAction, post("/credit/holds/change", { intent: "set-hold", customer: "LATER-1", kind: "stop_shipment", reason: "Early morning hold" }, cookies.head));
    expect(statusOf(set)).toBe(302);
    const customerId = defined((await allCustomers()).find((c) => c.code === "LATER-1"), "LATER-1").id;
    // 05:23 on 20 July in Shanghai is 21:23 on 19 July in UTC.
    await getDb().updateTable("customer_holds").set({ set_at: "2025-07-19T21:23:00.000Z" }).where("customer_id", "=", customerId).where("released_at", "is", null).execute();

    const csv = await (await call(exportLoader, get("/credit/holds/export?format=csv", cookies.head)) as Response).text();
    const line = defined(csv.split("\r\n").find((l) => l.startsWith("LATER-1,")), "LATER-1 in the CSV");
    expect(line).toContain(",2025-07-20,");
    expect(line).not.toContain("2025-07-19");

    const xlsx = await call(exportLoader, get("/credit/holds/export?format=xlsx", cookies.head));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await (xlsx as Response).arrayBuffer()) as never);
    const rows: unknown[][] = [];
    defined(workbook.worksheets[0], "a worksheet").eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(defined(rows.find((row) => row[0] === "LATER-1"), "LATER-1 in the workbook")[5]).toBe("2025-07-20");
  });
});
