import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { countInvoices, listInvoices, statusStrategy } from "~/features/ledger/queries/invoices.server";
import { loader as invoicesLoader } from "~/routes/_app.invoices._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importBulkCustomers, importLedgerFixture } from "../../../support/ledger";

type ListData = Awaited<ReturnType<typeof invoicesLoader>>;

const cookies = { head: "", staff: "", admin: "" };
const ids = { staff: 0 };

async function list(query: string, cookie = cookies.head): Promise<ListData> {
  const result = await call(invoicesLoader, get(`/invoices${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  return payloadOf<ListData>(result);
}

const numbers = (data: ListData) => data.invoices.map((i) => i.invoiceNo);

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const admin = await makeUser("admin");
  ids.staff = staff.id;
  await importLedgerFixture();
  await importBulkCustomers(120, head.email);
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.admin = await signIn(admin.email);
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", "2025-07-31");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("invoice list", () => {
  it("shows a customer's invoices newest first with open amount and status as of today", async () => {
    const data = await list("?customer=FX001");
    expect(data.asOf).toMatchObject({ asOf: "2025-07-31", laterThanToday: false });
    expect(data.invoices.map((i) => [i.invoiceNo, i.openAmount, i.status, i.daysPastDue])).toEqual([
      ["FX-INV-1004", 123_456, "overdue", 16],
      ["FX-INV-1003", 250_050, "overdue", 31],
      ["FX-INV-1002", 269_975, "overdue", 91],
      ["FX-INV-1001", 0, "settled", 122],
    ]);
    expect(data.invoices[0]).toMatchObject({
      customerCode: "FX001",
      customerName: "Harbour Trading Co. 港湾贸易有限公司",
      ownerName: expect.stringMatching(/^staff/),
      issueDate: "2025-06-15",
      dueDate: "2025-07-15",
      amount: 123_456,
    });
  });

  it("filters by status: open (not past due), overdue, settled", async () => {
    expect(numbers(await list("?status=overdue&customer=FX001"))).toEqual([
      "FX-INV-1004",
      "FX-INV-1003",
      "FX-INV-1002",
    ]);
    expect(numbers(await list("?status=settled"))).toEqual(["FX-INV-3001", "FX-INV-1001", "FX-INV-5001"]);
    expect(numbers(await list("?status=open"))).toEqual(["FX-INV-4001"]);
    expect((await list("?status=overdue")).page.total).toBe(126);
  });

  it("counts an invoice due today as open, not overdue", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-07-10");
    const data = await list("?customer=FX006");
    expect(data.invoices.map((i) => [i.invoiceNo, i.status, i.daysPastDue])).toEqual([["FX-INV-6001", "open", 0]]);
    expect(numbers(await list("?customer=FX006&status=overdue"))).toEqual([]);
    expect(numbers(await list("?customer=FX006&status=open"))).toEqual(["FX-INV-6001"]);
    vi.stubEnv("QUARTERDECK_TODAY", "2025-07-11");
    expect(numbers(await list("?customer=FX006&status=overdue"))).toEqual(["FX-INV-6001"]);
  });

  it("filters by issue and due date ranges, inclusive", async () => {
    expect(numbers(await list("?issuedFrom=2025-05-05&issuedTo=2025-05-31"))).toEqual(["FX-INV-1003", "FX-INV-2002"]);
    expect(numbers(await list("?dueFrom=2025-07-04&dueTo=2025-07-15"))).toEqual([
      "FX-INV-1004",
      "FX-INV-6001",
      "FX-INV-2002",
    ]);
    expect(numbers(await list("?issuedFrom=2025-06-01&dueTo=2025-12-31"))).toEqual(["FX-INV-1004", "FX-INV-6001"]);
  });

  it("filters by owner and region", async () => {
    expect(numbers(await list(`?owner=${ids.staff}`))).toEqual([
      "FX-INV-1004",
      "FX-INV-1003",
      "FX-INV-3001",
      "FX-INV-1002",
      "FX-INV-1001",
    ]);
    expect(numbers(await list("?owner=none"))).toEqual(["FX-INV-6001"]);
    expect(numbers(await list("?region=North"))).toEqual(["FX-INV-6001", "FX-INV-2002", "FX-INV-2001"]);
    expect(numbers(await list("?region=North&status=overdue&customer=FX002"))).toEqual(["FX-INV-2002", "FX-INV-2001"]);
  });

  it("sorts by issue date, due date and amount, each way", async () => {
    expect(numbers(await list("?region=North&sort=due"))).toEqual(["FX-INV-6001", "FX-INV-2002", "FX-INV-2001"]);
    expect(numbers(await list("?region=North&sort=due&dir=asc"))).toEqual([
      "FX-INV-2001",
      "FX-INV-2002",
      "FX-INV-6001",
    ]);
    expect(numbers(await list("?region=North&sort=issue&dir=asc"))).toEqual([
      "FX-INV-2001",
      "FX-INV-2002",
      "FX-INV-6001",
    ]);
    const byAmount = await list("?sort=amount");
    expect(numbers(byAmount).slice(0, 3)).toEqual(["FX-INV-4001", "FX-INV-2001", "FX-INV-2002"]);
    expect(byAmount.state).toMatchObject({ sort: "amount", dir: "desc" });
    expect(numbers(await list("?sort=amount&dir=asc")).slice(0, 2)).toEqual(["INV-BULK-001", "INV-BULK-002"]);
  });

  it("pages 50 at a time, never more", async () => {
    const first = await list("");
    expect(first.page).toMatchObject({ page: 1, pageCount: 3, total: 130 });
    expect(first.invoices).toHaveLength(50);
    const second = await list("?page=2&sort=amount&dir=asc");
    expect(second.invoices).toHaveLength(50);
    expect(second.invoices[0]?.invoiceNo).toBe("INV-BULK-051");
    const third = await list("?page=3");
    expect(third.invoices).toHaveLength(30);
    expect(third.invoices.at(-1)?.invoiceNo).toBe("FX-INV-2001");
  });

  it("ignores filter values that do not parse", async () => {
    const data = await list("?status=lost&issuedFrom=2025-02-30&dueTo=yesterday&owner=-3&page=0");
    expect(data.page).toMatchObject({ page: 1, total: 130 });
    expect(data.state).toMatchObject({ status: "", issuedFrom: "", dueTo: "", owner: "" });
  });

  it("shows staff only their own customers' invoices", async () => {
    const data = await list("", cookies.staff);
    expect(data.page.total).toBe(5);
    expect(new Set(data.invoices.map((i) => i.customerCode))).toEqual(new Set(["FX001", "FX003"]));
    expect(data.ownerFilter).toBe(false);
    expect(numbers(await list("?customer=FX002", cookies.staff))).toEqual([]);
    expect(numbers(await list("?region=North", cookies.staff))).toEqual([]);
  });

  it("gives the same page whichever way a status filter is joined", async () => {
    const db = getDb();
    for (const status of ["open", "overdue", "settled"] as const) {
      for (const [sort, direction, offset] of [
        ["issue", "desc", 0],
        ["amount", "asc", 50],
        ["due", "asc", 0],
      ] as const) {
        for (const scope of [{ kind: "all" } as const, { kind: "owner", ownerId: ids.staff } as const]) {
          const filters = { status };
          const matching = await countInvoices(db, scope, filters, "2025-07-31");
          const options = { filters, asOf: "2025-07-31", sort, direction, offset, limit: 50, matching };
          const walked = await listInvoices(db, scope, { ...options, strategy: "walk" });
          expect(walked.every((i) => i.status === status)).toBe(true);
          expect(await listInvoices(db, scope, { ...options, strategy: "collect" })).toEqual(walked);
        }
      }
    }
  });

  it("walks the sort order when matches are dense and collects them when they are few", () => {
    const firstPage = { offset: 0, limit: 50 };
    expect(statusStrategy("overdue", { matching: 100_000, candidates: 300_000 }, firstPage)).toBe("walk");
    expect(statusStrategy("open", { matching: 12, candidates: 300_000 }, firstPage)).toBe("collect");
    expect(statusStrategy("settled", { matching: 290_000, candidates: 300_000 }, firstPage)).toBe("walk");
    expect(statusStrategy("settled", { matching: 40, candidates: 300_000 }, firstPage)).toBe("collect");
    // deep pages of a sparse status are cheaper to collect
    expect(statusStrategy("overdue", { matching: 3_000, candidates: 300_000 }, { offset: 2_950, limit: 50 })).toBe(
      "collect",
    );
  });

  it("refuses the administrator", async () => {
    expect(statusOf(await call(invoicesLoader, get("/invoices", cookies.admin)))).toBe(403);
  });

  it("is as of the latest document date when documents are dated after today", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", "2025-06-30");
    const data = await list("?customer=FX001");
    expect(data.asOf).toEqual({ asOf: "2025-07-05", today: "2025-06-30", laterThanToday: true });
    expect(data.invoices.map((i) => [i.invoiceNo, i.openAmount, i.status])).toEqual([
      ["FX-INV-1004", 123_456, "open"],
      ["FX-INV-1003", 250_050, "overdue"],
      ["FX-INV-1002", 269_975, "overdue"],
      ["FX-INV-1001", 0, "settled"],
    ]);
  });
});
