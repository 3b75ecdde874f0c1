import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { customerOpenItems } from "~/kernel/ledger/open-items";
import { customerDocuments } from "~/features/ledger/queries/customers.server";
import { loader as customerLoader } from "~/routes/_app.customers.$code";
import { loader as listLoader } from "~/routes/_app.customers._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { csvSource, importBulkCustomers, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

type ListData = Awaited<ReturnType<typeof listLoader>>;
type CustomerData = Awaited<ReturnType<typeof customerLoader>>;

const cookies = { head: "", staff: "", otherStaff: "", leader: "", admin: "" };
const ids = { head: 0, staff: 0 };

async function list(query: string, cookie = cookies.head): Promise<ListData> {
  const result = await call(listLoader, get(`/customers${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  return payloadOf<ListData>(result);
}

const codes = (data: ListData) => data.customers.map((c) => c.code);

async function customerPage(code: string, cookie = cookies.head, query = ""): Promise<CustomerData> {
  const result = await call(customerLoader, get(`/customers/${code}${query}`, cookie), { code });
  expect(statusOf(result)).toBe(200);
  return payloadOf<CustomerData>(result);
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const otherStaff = await makeUser("staff");
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  ids.head = head.id;
  ids.staff = staff.id;
  await importLedgerFixture();
  await importBulkCustomers(120, head.email);
  // The import has no status column; a customer is deactivated in the app.
  await getDb().updateTable("customers").set({ status: "inactive" }).where("code", "=", "FX005").execute();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.otherStaff = await signIn(otherStaff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

// After every fixture document: the lists are exactly as of today.
beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", "2025-07-31");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("customer list", () => {
  it("shows each customer's balance, overdue and unapplied credit as of today, by code", async () => {
    const data = await list("?q=FX");
    expect(data.asOf).toEqual({ asOf: "2025-07-31", today: "2025-07-31", laterThanToday: false });
    expect(codes(data)).toEqual(["FX001", "FX002", "FX003", "FX004", "FX005", "FX006"]);
    const row = (code: string) => data.customers.find((c) => c.code === code);
    // FX001 with every document: the 1,000.00 of 2025-07-05 joins the pool too (see the fixture README).
    expect(row("FX001")).toMatchObject({
      name: "Harbour Trading Co. 港湾贸易有限公司",
      region: "East",
      ownerName: expect.stringMatching(/^staff/),
      creditGrade: "A",
      creditLimit: 1_000_000,
      balance: 643_481,
      overdue: 643_481,
      unappliedCredit: 0,
      status: "active",
    });
    expect(row("FX002")).toMatchObject({ balance: 3_550_000, overdue: 3_550_000 });
    expect(row("FX003")).toMatchObject({ balance: 0, overdue: 0, unappliedCredit: 20_000 });
    expect(row("FX004")).toMatchObject({ balance: 9_000_000, overdue: 0 });
    expect(row("FX005")).toMatchObject({ balance: 0, creditLimit: null, status: "inactive" });
    expect(row("FX006")).toMatchObject({ ownerName: null, creditGrade: null, balance: 300_000, overdue: 300_000 });
  });

  it("sorts by balance and by overdue, descending when first chosen, ties by code", async () => {
    expect(codes(await list("?q=FX&sort=balance"))).toEqual(["FX004", "FX002", "FX001", "FX006", "FX003", "FX005"]);
    expect(codes(await list("?q=FX&sort=overdue"))).toEqual(["FX002", "FX001", "FX006", "FX003", "FX004", "FX005"]);
    const ascending = await list("?q=FX&sort=overdue&dir=asc");
    expect(codes(ascending)).toEqual(["FX003", "FX004", "FX005", "FX006", "FX001", "FX002"]);
    expect(ascending.state).toMatchObject({ sort: "overdue", dir: "asc" });
    expect(codes(await list("?q=FX&sort=name"))).toEqual(["FX001", "FX002", "FX006", "FX005", "FX003", "FX004"]);
    expect(codes(await list("?q=FX&sort=code&dir=desc"))).toEqual([
      "FX006",
      "FX005",
      "FX004",
      "FX003",
      "FX002",
      "FX001",
    ]);
  });

  it("searches code or name in any case, with % and _ taken literally", async () => {
    expect(codes(await list("?q=northwind"))).toEqual(["FX002"]);
    expect(codes(await list("?q=%E6%B8%AF%E6%B9%BE"))).toEqual(["FX001"]); // 港湾
    expect(codes(await list("?q=fx00"))).toHaveLength(6);
    expect(codes(await list("?q=%25"))).toEqual([]);
    expect(codes(await list("?q=_"))).toEqual([]);
    expect(codes(await list("?q=%20%20fx004%20"))).toEqual(["FX004"]);
  });

  it("filters by owner, region, grade and status, and combines them", async () => {
    expect(codes(await list(`?owner=${ids.staff}`))).toEqual(["FX001", "FX003"]);
    expect(codes(await list("?owner=none"))).toEqual(["FX006"]);
    expect(codes(await list("?region=East"))).toEqual(["FX001", "FX005"]);
    expect(codes(await list("?grade=A"))).toEqual(["FX001", "FX003"]);
    expect(codes(await list("?status=inactive"))).toEqual(["FX005"]);
    expect(codes(await list("?region=East&status=active"))).toEqual(["FX001"]);
    expect(codes(await list(`?q=FX&owner=${ids.head}&sort=balance`))).toEqual(["FX004", "FX002", "FX005"]);
    const options = (await list("")).options;
    expect(options.owners.map((o) => o.id).sort()).toEqual([ids.head, ids.staff].sort());
    expect(options).toMatchObject({
      unassigned: true,
      regions: ["Bulk", "East", "North", "South", "West"],
      grades: ["A", "B", "C"],
    });
  });

  it("ignores filter values that do not parse instead of failing", async () => {
    const data = await list("?status=closed&owner=someone&sort=colour&page=minus");
    expect(data.page).toMatchObject({ page: 1, total: 126 });
    expect(data.state).toMatchObject({ status: "", owner: "", sort: "code", dir: "asc" });
  });

  it("pages 50 at a time in the database, keeping sort and filters", async () => {
    const first = await list("?q=BULK&sort=balance");
    expect(first.page).toMatchObject({ page: 1, pageSize: 50, pageCount: 3, total: 120, firstRow: 1, lastRow: 50 });
    expect(first.customers).toHaveLength(50);
    expect(first.customers[0]).toMatchObject({ code: "BULK-120", balance: 12_000 });
    const second = await list("?q=BULK&sort=balance&page=2");
    expect(second.customers).toHaveLength(50);
    expect(second.customers[0]).toMatchObject({ code: "BULK-070", balance: 7_000 });
    expect(second.page).toMatchObject({ page: 2, firstRow: 51, lastRow: 100 });
    const last = await list("?q=BULK&sort=balance&page=3");
    expect(codes(last)).toHaveLength(20);
    expect(codes(last).at(-1)).toBe("BULK-001");
    // a page past the end shows the last page
    expect((await list("?q=BULK&sort=balance&page=99")).page.page).toBe(3);
    const everything = await list("");
    expect(everything.page).toMatchObject({ total: 126, pageCount: 3 });
    expect(everything.customers.length).toBeLessThanOrEqual(50);
  });

  it("shows staff only their own customers, whatever they ask for", async () => {
    const data = await list("", cookies.staff);
    expect(codes(data)).toEqual(["FX001", "FX003"]);
    expect(data.ownerFilter).toBe(false);
    expect(data.options.owners.map((o) => o.id)).toEqual([ids.staff]);
    expect(data.options.regions).toEqual(["East", "South"]);
    expect(codes(await list(`?owner=${ids.head}`, cookies.staff))).toEqual([]);
    expect(codes(await list("?q=FX002", cookies.staff))).toEqual([]);
    expect(codes(await list("?sort=balance", cookies.otherStaff))).toEqual([]);
  });

  it("shows leadership every customer", async () => {
    const data = await list("", cookies.leader);
    expect(data.page.total).toBe(126);
    expect(data.ownerFilter).toBe(true);
  });

  it("refuses the administrator and sends a signed-out visitor to sign in", async () => {
    expect(statusOf(await call(listLoader, get("/customers", cookies.admin)))).toBe(403);
    const signedOut = await call(listLoader, get("/customers?q=FX"));
    expect(statusOf(signedOut)).toBe(302);
    expect((signedOut as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fcustomers%3Fq%3DFX");
  });
});

describe("customer page", () => {
  it("works out FX001 to the cent as of today from its documents (the fixture README's example)", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-06-30");
    const data = await customerPage("FX001");
    expect(data.customer).toEqual({
      code: "FX001",
      name: "Harbour Trading Co. 港湾贸易有限公司",
      region: "East",
      ownerName: expect.stringMatching(/^staff/),
      creditGrade: "A",
      creditLimit: 1_000_000,
      paymentTermsDays: 30,
      status: "active",
    });
    const { position } = data;
    expect(position).toMatchObject({
      asOf: "2025-06-30",
      arTotal: 743_481,
      overdueTotal: 369_975,
      current: 373_506,
      unappliedCredit: 0,
      laterDocuments: 1,
    });
    expect(position.creditUtilisation).toBeCloseTo(0.743481, 10);
    expect(position.overdueRatio).toBeCloseTo(369_975 / 743_481, 10);
    expect(position.aging).toEqual({
      current: 373_506,
      "1_30": 0,
      "31_60": 369_975,
      "61_90": 0,
      "91_180": 0,
      "181_365": 0,
      over_365: 0,
    });
    // oldest first; the invoice due today is not overdue; the settled one is not listed
    expect(position.openInvoices).toEqual([
      {
        invoiceNo: "FX-INV-1002",
        issueDate: "2025-04-01",
        dueDate: "2025-05-01",
        amount: 500_000,
        openAmount: 369_975,
        daysPastDue: 60,
        bucket: "31_60",
      },
      {
        invoiceNo: "FX-INV-1003",
        issueDate: "2025-05-31",
        dueDate: "2025-06-30",
        amount: 250_050,
        openAmount: 250_050,
        daysPastDue: 0,
        bucket: "current",
      },
      {
        invoiceNo: "FX-INV-1004",
        issueDate: "2025-06-15",
        dueDate: "2025-07-15",
        amount: 123_456,
        openAmount: 123_456,
        daysPastDue: -15,
        bucket: "current",
      },
    ]);
    expect(data.openInvoiceCount).toBe(3);
    // newest first, the later-dated payment shown but marked
    expect(data.history).toEqual([
      {
        kind: "payment",
        documentNo: "FX-PAY-1003",
        date: "2025-07-05",
        amount: 100_000,
        invoiceNo: null,
        afterAsOf: true,
      },
      {
        kind: "credit_note",
        documentNo: "FX-ADJ-1001",
        date: "2025-06-01",
        amount: 30_025,
        invoiceNo: "FX-INV-1002",
        afterAsOf: false,
      },
      {
        kind: "payment",
        documentNo: "FX-PAY-1002",
        date: "2025-05-20",
        amount: 700_000,
        invoiceNo: null,
        afterAsOf: false,
      },
      {
        kind: "payment",
        documentNo: "FX-PAY-1001",
        date: "2025-04-10",
        amount: 400_000,
        invoiceNo: "FX-INV-1001",
        afterAsOf: false,
      },
    ]);
  });

  it("counts the later payment once today reaches its date", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-07-05");
    const { position } = await customerPage("FX001");
    // the 1,000.00 goes oldest first, to FX-INV-1002
    expect(position).toMatchObject({ arTotal: 643_481, overdueTotal: 520_025, laterDocuments: 0 });
    expect(position.openInvoices.map((i) => [i.invoiceNo, i.openAmount])).toEqual([
      ["FX-INV-1002", 269_975],
      ["FX-INV-1003", 250_050],
      ["FX-INV-1004", 123_456],
    ]);
  });

  it("shows an overpayment as unapplied credit with nothing open", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-06-30");
    const { position } = await customerPage("FX003");
    expect(position).toMatchObject({
      arTotal: 0,
      overdueTotal: 0,
      unappliedCredit: 20_000,
      creditUtilisation: 0,
      overdueRatio: null,
    });
    expect(position.openInvoices).toEqual([]);
  });

  it("has no utilisation for a customer without a credit limit", async () => {
    const { position, customer } = await customerPage("FX005");
    expect(customer.creditLimit).toBeNull();
    expect(position.creditUtilisation).toBeNull();
  });

  it("lets staff open their own customers only: another owner's is 403, an unknown code 404", async () => {
    await customerPage("FX001", cookies.staff);
    expect(statusOf(await call(customerLoader, get("/customers/FX002", cookies.staff), { code: "FX002" }))).toBe(403);
    expect(statusOf(await call(customerLoader, get("/customers/FX006", cookies.staff), { code: "FX006" }))).toBe(403);
    expect(statusOf(await call(customerLoader, get("/customers/FX001", cookies.otherStaff), { code: "FX001" }))).toBe(
      403,
    );
    expect(statusOf(await call(customerLoader, get("/customers/NOPE", cookies.staff), { code: "NOPE" }))).toBe(404);
    expect(statusOf(await call(customerLoader, get("/customers/NOPE", cookies.head), { code: "NOPE" }))).toBe(404);
    await customerPage("FX002", cookies.leader);
    expect(statusOf(await call(customerLoader, get("/customers/FX001", cookies.admin), { code: "FX001" }))).toBe(403);
  });

  it("reads no documents of a customer outside the viewer's scope", async () => {
    const fx002 = await getDb()
      .selectFrom("customers")
      .select("id")
      .where("code", "=", "FX002")
      .executeTakeFirstOrThrow();
    const own = await customerDocuments(getDb(), { kind: "owner", ownerId: ids.head }, fx002.id);
    const other = await customerDocuments(getDb(), { kind: "owner", ownerId: ids.staff }, fx002.id);
    expect(own.invoices).toHaveLength(2);
    expect(other).toEqual({ invoices: [], payments: [], adjustments: [] });
  });

  it("pages a long payment history, newest first", async () => {
    const payments = Array.from(
      { length: 60 },
      (_, i) =>
        `HIST-PAY-${String(i + 1).padStart(2, "0")},HIST-1,2025-0${1 + Math.floor(i / 28)}-${String(
          (i % 28) + 1,
        ).padStart(2, "0")},10.00,`,
    );
    await importIntoTestDb([
      { kind: "customers", source: csvSource("c.csv", ["code,name", "HIST-1,History Co"]) },
      {
        kind: "invoices",
        source: csvSource("i.csv", [
          "invoice_no,customer_code,issue_date,amount",
          "HIST-INV-1,HIST-1,2024-12-01,900.00",
        ]),
      },
      {
        kind: "payments",
        source: csvSource("p.csv", ["payment_no,customer_code,date,amount,invoice_no", ...payments]),
      },
    ]);
    const first = await customerPage("HIST-1");
    expect(first.historyPage).toMatchObject({ page: 1, pageCount: 2, total: 60 });
    expect(first.history).toHaveLength(50);
    expect(first.history[0]?.documentNo).toBe("HIST-PAY-60");
    const second = await customerPage("HIST-1", cookies.head, "?page=2");
    expect(second.history.map((h) => h.documentNo)).toEqual(
      Array.from({ length: 10 }, (_, i) => `HIST-PAY-${String(10 - i).padStart(2, "0")}`),
    );
    expect(second.position).toMatchObject({ arTotal: 30_000, unappliedCredit: 0 });
  });
});

describe("documents dated after today", () => {
  it("puts the lists as of the latest document date, exactly, and says so", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-06-30");
    const data = await list("?q=FX");
    expect(data.asOf).toEqual({ asOf: "2025-07-05", today: "2025-06-30", laterThanToday: true });
    // every row equals the exact settlement of that customer's documents as of 2025-07-05
    const db = getDb();
    for (const row of data.customers) {
      const customer = await db
        .selectFrom("customers")
        .select("id")
        .where("code", "=", row.code)
        .executeTakeFirstOrThrow();
      const documents = await customerDocuments(db, { kind: "all" }, customer.id);
      const exact = customerOpenItems(row.code, documents, "2025-07-05");
      const overdue = exact.invoices.filter((i) => i.dueDate < "2025-07-05").reduce((sum, i) => sum + i.openAmount, 0);
      expect([row.code, row.balance, row.overdue, row.unappliedCredit]).toEqual([
        row.code,
        exact.arTotal,
        overdue,
        exact.unappliedCredit,
      ]);
    }
    expect(data.customers.find((c) => c.code === "FX001")).toMatchObject({ balance: 643_481, overdue: 520_025 });
  });
});
