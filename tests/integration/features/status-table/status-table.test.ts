import SQLite from "better-sqlite3";
import ExcelJS from "exceljs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { generateDemoLedger } from "../../../../db/seed/demo-ledger";
import { databasePath, databaseUrl, getDb, isPostgresUrl, openLedgerConnection } from "~/server/db.server";
import { addDays, monthStart } from "~/kernel/dates";
import { AGING_BUCKETS } from "~/features/kpi/kpis";
import { resolveStatusMonth } from "~/features/status-table/status-table";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { importLedgerRecords } from "~/features/import/import-ledger.server";
import { loader as exportLoader } from "~/routes/_app.status.export";
import { loader as pageLoader } from "~/routes/_app.status._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { planNodes, tablesRead, tablesReadWhole, withoutSeqScans } from "../../../support/postgres-plan";

type PageData = Awaited<ReturnType<typeof pageLoader>>;

const TODAY = "2025-07-20";
const OWNERS = ["staff@demo.quarterdeck", "chen.jing@demo.quarterdeck", "liu.yang@demo.quarterdeck"];
const cookies = { head: "", staff: "", leader: "", admin: "" };
const ids = { staff: 0 };

// (A leading tab or CR cannot arrive through the import, which trims; the unit tests cover them.)
const HOSTILE_NAMES = ['=HYPERLINK("http://x","y")', "+1", "@SUM(1)", "-2+3", "Plain & simple"];

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: OWNERS[0] });
  ids.staff = staff.id;
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  const sqlite = openLedgerConnection();
  try {
    importLedgerRecords(sqlite, generateDemoLedger({ today: TODAY, owners: OWNERS, customerCount: 60 }), {
      baseCurrency: "CNY",
      userId: null,
    });
  } finally {
    sqlite.close();
  }
  // Customers whose names would be formulas in a spreadsheet, owned by nobody, each owing 100.00.
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("hostile.csv", [
        "code,name,region,credit_grade,credit_limit",
        ...HOSTILE_NAMES.map((name, i) => `EVIL-${i},"${name.replace(/"/g, '""')}",Nowhere,Z,50`),
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("hostile-invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        ...HOSTILE_NAMES.map((_, i) => `EVIL-INV-${i},EVIL-${i},2025-05-10,2025-06-09,100.00`),
      ]),
    },
  ]);
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function page(query: string, cookie = cookies.head): Promise<PageData> {
  const result = await call(pageLoader, get(`/status${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  return payloadOf<PageData>(result);
}

async function kpis(asOf: string, periodStart: string, scope = "company") {
  return (await kpiValues(getDb(), resolveKpiRequest({ asOf, periodStart, scope }))).values;
}

async function expectTotalsToBeKpis(data: PageData, scope = "company") {
  const { month, totals } = data;
  const [closing, opening] = await Promise.all([
    kpis(month.closingDate, month.start, scope),
    kpis(month.openingDate, monthStart(month.openingDate), scope),
  ]);
  expect(totals.closing, `${month.month} ar_total`).toBe(closing.ar_total);
  expect(totals.overdue, `${month.month} overdue_total`).toBe(closing.overdue_total);
  expect(totals.aging, `${month.month} aging`).toEqual(closing.aging);
  expect(totals.billed, `${month.month} billed`).toBe(closing.billed);
  expect(totals.collected, `${month.month} collected`).toBe(closing.collected);
  expect(totals.opening, `${month.month} opening`).toBe(opening.ar_total);
  expect(totals.overdueChange, `${month.month} change`).toBe(closing.overdue_total - opening.overdue_total);
}

describe("the status table's totals are the KPI engine's figures", () => {
  it("defaults to the last complete month", async () => {
    const data = await page("");
    expect(data.month).toMatchObject({ month: "2025-06", start: "2025-06-01", closingDate: "2025-06-30", openingDate: "2025-05-31", toDate: false });
    await expectTotalsToBeKpis(data);
  });

  it("every month of the demo ledger, and the month to date, without filters", async () => {
    let month = "2023-06";
    for (;;) {
      const data = await page(`?month=${month}`);
      await expectTotalsToBeKpis(data);
      if (!data.month.nextMonth) break;
      month = data.month.nextMonth;
    }
    expect(month).toBe("2025-07");
  });

  it("owner and region filters total to the KPI scope's figures", async () => {
    const owners = (await page("?month=2025-03")).options.owners;
    const staffOwner = owners.find((owner) => owner.id === ids.staff);
    expect(staffOwner).toBeDefined();
    await expectTotalsToBeKpis(await page(`?month=2025-03&owner=${ids.staff}`), `owner:${OWNERS[0]}`);
    const region = (await page("?month=2025-03")).options.regions[0];
    if (region === undefined) throw new Error("the demo ledger has regions");
    await expectTotalsToBeKpis(await page(`?month=2025-03&region=${encodeURIComponent(region)}`), `region:${region}`);
    await expectTotalsToBeKpis(await page(`?month=2025-07&region=${encodeURIComponent(region)}`), `region:${region}`);
  });

  it("sums each row's figures into the totals row, over every page", async () => {
    const first = await page("?month=2025-04");
    const rows = [...first.rows];
    for (let p = 2; p <= first.page.pageCount; p += 1) rows.push(...(await page(`?month=2025-04&page=${p}`)).rows);
    expect(rows).toHaveLength(first.totals.customers);
    const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
    expect(sum((r) => r.closing)).toBe(first.totals.closing);
    expect(sum((r) => r.opening)).toBe(first.totals.opening);
    for (const bucket of AGING_BUCKETS) expect(sum((r) => r.aging[bucket])).toBe(first.totals.aging[bucket]);
    for (const row of rows) {
      expect(row.overdue).toBe(row.closing - row.aging.current);
    }
  });
});

describe("the row query's plan", () => {
  const spec = (month: string) => {
    const resolved = resolveStatusMonth(month, TODAY);
    if (!resolved.ok) throw new Error(month);
    return { month: resolved.month, scope: { kind: "all" as const }, filters: { overdueOnly: true, overLimitOnly: false } };
  };

  if (!isPostgresUrl(databaseUrl())) {
    // SQLite's own plan (EXPLAIN QUERY PLAN): PostgreSQL has its EXPLAIN, checked below on PostgreSQL.
    it("reads the customers once and everything else through an index: no scan of the ledger", async () => {
      const { explainStatusQuery } = await import("~/features/status-table/queries.server");
      const sqlite = new SQLite(databasePath(), { readonly: true });
      try {
        const past = explainStatusQuery(sqlite, spec("2025-05"));
        expect(past.filter((line) => /^SCAN /.test(line))).toEqual(["SCAN c"]);
        expect(past.join("\n")).toMatch(/SEARCH cl USING PRIMARY KEY \(customer_id=\? AND month_end=\?\)/);
        // The month to date also reads open_items (one row per open invoice) and the later documents by date.
        const current = explainStatusQuery(sqlite, spec("2025-07"));
        expect(current.filter((line) => /^SCAN (invoices|payments|adjustments|status_positions|status_open_runs)\b/.test(line))).toEqual([]);
      } finally {
        sqlite.close();
      }
    });
  } else {
    it("reads the customers and their stored positions, and the ledger only through its date indexes", async () => {
      const { explainStatusQueryOnPostgres } = await import("~/features/status-table/queries.server");
      const { past, current } = await withoutSeqScans(getDb(), async (trx) => ({
        past: await explainStatusQueryOnPostgres(trx, spec("2025-05")),
        current: await explainStatusQueryOnPostgres(trx, spec("2025-07")),
      }));
      // A complete month reads no document: the customers, their owners and the stored positions.
      // Each customer's latest position on or before the month end is one index search; PostgreSQL
      // may then hash the positions (one row per customer and month end, not the ledger) rather
      // than look each up, where SQLite seeks them by primary key.
      expect(tablesRead(past)).toEqual(["customers", "status_positions", "users"]);
      const latest = planNodes(past).filter((node) => node["Relation Name"] === "status_positions" && node["Index Cond"]);
      expect(latest.map((node) => node["Index Cond"])).toContainEqual(expect.stringMatching(/customer_id = c\.id.*month_end <= '2025-05-31'/));
      // The month to date reads the month's documents and the open runs through their indexes,
      // and open_items (one row per open invoice) whole.
      const ledger = ["adjustments", "invoices", "payments", "status_open_runs"];
      expect(tablesRead(current)).toEqual(expect.arrayContaining([...ledger, "open_items"]));
      expect(tablesReadWhole(current).filter((table) => ledger.includes(table))).toEqual([]);
    });
  }
});

describe("filters, sorting and paging", () => {
  it("only overdue and only over limit narrow the rows and the totals", async () => {
    const all = await page("?month=2025-06");
    const overdue = await page("?month=2025-06&overdue=1");
    expect(overdue.totals.customers).toBeLessThan(all.totals.customers);
    expect(overdue.rows.every((row) => row.overdue > 0)).toBe(true);
    expect(overdue.totals.overdue).toBe(all.totals.overdue);
    const overLimit = await page("?month=2025-06&overLimit=1");
    expect(overLimit.rows.length).toBeGreaterThan(0);
    expect(overLimit.rows.every((row) => row.creditLimit !== null && row.creditLimit > 0 && row.closing > row.creditLimit)).toBe(true);
    const kpi = await kpis("2025-06-30", "2025-06-01");
    expect(overLimit.totals.customers).toBe(kpi.customers_over_limit);
    expect(overdue.totals.customers).toBe(kpi.customers_overdue);
  });

  it("sorts by an amount column biggest first, ties by code, and reverses", async () => {
    const data = await page("?month=2025-06&sort=closing");
    const closings = data.rows.map((row) => row.closing);
    expect(closings).toEqual([...closings].sort((a, b) => b - a));
    const ascending = await page("?month=2025-06&sort=overdueChange&dir=asc");
    const changes = ascending.rows.map((row) => row.overdueChange);
    expect(changes).toEqual([...changes].sort((a, b) => a - b));
  });

  it("falls back on an unknown sort and clamps a page past the end", async () => {
    const data = await page("?month=2025-06&sort=DROP%20TABLE&dir=sideways&page=9999");
    expect(data.state.sort).toBe("code");
    expect(data.state.dir).toBe("asc");
    expect(data.page.page).toBe(data.page.pageCount);
  });

  it("offers months up to the month in progress", async () => {
    const data = await page("?month=2025-06");
    expect(data.maxMonth).toBe("2025-07");
    expect(data.monthProblem).toBeNull();
  });

  it.each(["2025-08", "2027-03", "9999-01"])("month=%s, not begun: the month to date with the error at the month field, filters kept", async (month) => {
    const region = (await page("?month=2025-06")).options.regions[0] ?? "";
    const data = await page(`?month=${month}&region=${encodeURIComponent(region)}&overdue=1&sort=closing`);
    expect(data.monthProblem).toBe("status.errors.monthNotStarted");
    expect(data.month).toMatchObject({ month: "2025-07", toDate: true, closingDate: TODAY });
    expect(data.state).toMatchObject({ month: "2025-07", sort: "closing", filters: { region, overdueOnly: true } });
    expect(data.maxMonth).toBe("2025-07");
    expect(data.totals).toEqual((await page(`?month=2025-07&region=${encodeURIComponent(region)}&overdue=1&sort=closing`)).totals);
  });

  it.each(["2025-13", "2025-00", "25-01", "2025-7", "nonsense"])("month=%s, not a month: the last complete month with the error at the month field", async (month) => {
    const data = await page(`?month=${month}`);
    expect(data.monthProblem).toBe("status.errors.month");
    expect(data.month.month).toBe("2025-06");
  });

  it.each(["2025-13", "2025-08", "9999-01", "nonsense"])("the export refuses month=%s with a 400", async (month) => {
    const result = await call(exportLoader, get(`/status/export?month=${month}&format=csv`, cookies.head));
    expect(statusOf(result)).toBe(400);
  });
});

describe("who sees what", () => {
  it("staff see only the customers they own", async () => {
    const data = await page("?month=2025-06", cookies.staff);
    const all = await page("?month=2025-06&owner=" + ids.staff);
    expect(data.totals).toEqual(all.totals);
    expect(data.ownerFilter).toBe(false);
    // An owner filter naming someone else cannot widen a staff user's view.
    const other = await page("?month=2025-06&owner=none", cookies.staff);
    expect(other.totals.customers).toBe(0);
    const exported = await call(exportLoader, get("/status/export?month=2025-06&format=csv", cookies.staff));
    const lines = (await (exported as Response).text()).trim().split("\r\n");
    expect(lines).toHaveLength(data.totals.customers + 2);
  });

  it("leadership sees everything", async () => {
    const data = await page("?month=2025-06", cookies.leader);
    expect(data.totals).toEqual((await page("?month=2025-06")).totals);
  });

  it("administrators are refused the page and the export", async () => {
    expect(statusOf(await call(pageLoader, get("/status", cookies.admin)))).toBe(403);
    expect(statusOf(await call(exportLoader, get("/status/export?format=csv", cookies.admin)))).toBe(403);
  });
});

describe("exports", () => {
  it("refuses an unknown format and an impossible month with 400", async () => {
    expect(statusOf(await call(exportLoader, get("/status/export?format=pdf", cookies.head)))).toBe(400);
    expect(statusOf(await call(exportLoader, get("/status/export?format=csv&month=2025-13", cookies.head)))).toBe(400);
  });

  it("CSV: UTF-8 with BOM, the filtered rows, formula-looking names neutralised, amounts plain numbers", async () => {
    const result = await call(exportLoader, get("/status/export?format=csv&month=2025-06&region=Nowhere", cookies.head));
    expect(statusOf(result)).toBe(200);
    const response = result as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="receivables-status-2025-06.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split("\r\n");
    expect(lines[0]?.split(",").slice(0, 3)).toEqual(["Code", "Customer", "Owner"]);
    expect(lines[1]).toBe(`EVIL-0,"'=HYPERLINK(""http://x"",""y"")",,Nowhere,Z,50.00,100.00,0.00,0.00,0.00,100.00,100.00,0.00,100.00,0.00,0.00,0.00,0.00,0.00,100.00`);
    expect(lines[2]?.startsWith("EVIL-1,'+1,")).toBe(true);
    expect(lines[3]?.startsWith("EVIL-2,'@SUM(1),")).toBe(true);
    expect(lines[4]?.startsWith("EVIL-3,'-2+3,")).toBe(true);
    expect(lines[5]?.startsWith("EVIL-4,Plain & simple,")).toBe(true);
    expect(lines[6]?.startsWith("Total,,,,,,500.00,0.00,0.00,0.00,500.00,500.00,")).toBe(true);
    expect(lines[7]).toBe("");
  });

  it("XLSX: names are text starting with a quote, amounts are numeric cells with an amount format", async () => {
    const result = await call(exportLoader, get("/status/export?format=xlsx&month=2025-06&region=Nowhere&sort=name", cookies.head));
    expect(statusOf(result)).toBe(200);
    const response = result as Response;
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="receivables-status-2025-06.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("the workbook has no sheet");
    expect(sheet.name).toBe("2025-06");
    expect(sheet.getRow(1).getCell(2).value).toBe("Customer");
    const names: string[] = [];
    for (let r = 2; r <= 6; r += 1) {
      const row = sheet.getRow(r);
      expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
      names.push(String(row.getCell(2).value));
      expect(row.getCell(6).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(6).value).toBe(50);
      expect(sheet.getRow(1).getCell(11).value).toBe("Closing balance");
      expect(row.getCell(11).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(11).value).toBe(100);
      expect(row.getCell(11).numFmt).toContain("0.00");
    }
    expect(names.sort()).toEqual(HOSTILE_NAMES.map((name) => (name.startsWith("P") ? name : `'${name}`)).sort());
    const totals = sheet.getRow(7);
    expect(totals.getCell(1).value).toBe("Total");
    expect(totals.getCell(11).value).toBe(500);
  });

  it("the whole table exports every row with the same totals as the page", async () => {
    const data = await page("?month=2025-05");
    const result = await call(exportLoader, get("/status/export?format=xlsx&month=2025-05", cookies.head));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await (result as Response).arrayBuffer());
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("the workbook has no sheet");
    expect(sheet.rowCount).toBe(data.totals.customers + 2);
    expect(sheet.getRow(sheet.rowCount).getCell(11).value).toBe(data.totals.closing / 100);
  });
});

describe("keeping up with the ledger", () => {
  it("a new payment changes the month it falls in and the months after, not the ones before", async () => {
    const before = { may: (await page("?month=2025-05")).totals, june: (await page("?month=2025-06")).totals };
    await importIntoTestDb([
      {
        kind: "payments",
        source: csvSource("late-payment.csv", ["payment_no,customer_code,date,amount", "EVIL-PAY-1,EVIL-1,2025-06-15,40.00"]),
      },
    ]);
    const after = { may: (await page("?month=2025-05")).totals, june: await page("?month=2025-06") };
    expect(after.may).toEqual(before.may);
    expect(after.june.totals.collected).toBe(before.june.collected + 4_000);
    expect(after.june.totals.closing).toBe(before.june.closing - 4_000);
    await expectTotalsToBeKpis(after.june);
    const month = resolveStatusMonth("2025-06", TODAY);
    expect(month.ok && addDays(month.month.openingDate, 1)).toBe("2025-06-01");
  });

  it("every row rolls forward: a credit note and an overpayment are other movements, and so is the credit when it is applied", async () => {
    await importIntoTestDb([
      { kind: "customers", source: csvSource("roll.csv", ["code,name,region", "ROLL-1,Roll Forward Ltd,Rollforward"]) },
      {
        kind: "invoices",
        source: csvSource("roll-invoices.csv", [
          "invoice_no,customer_code,issue_date,due_date,amount",
          "ROLL-INV-1,ROLL-1,2025-06-01,2025-07-01,100.00",
          "ROLL-INV-2,ROLL-1,2025-07-02,2025-08-01,50.00",
        ]),
      },
      { kind: "adjustments", source: csvSource("roll-adjustments.csv", ["adjustment_no,customer_code,date,amount,type,invoice_no", "ROLL-CN-1,ROLL-1,2025-06-05,10.00,credit_note,ROLL-INV-1"]) },
      // 120.00 against the 90.00 left open: 30.00 waits as unapplied credit until the July invoice
      { kind: "payments", source: csvSource("roll-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "ROLL-PAY-1,ROLL-1,2025-06-10,120.00,ROLL-INV-1"]) },
    ]);
    const june = await page("?month=2025-06&region=Rollforward");
    // −10.00 credit note, +30.00 received beyond what was open
    expect(june.rows).toEqual([expect.objectContaining({ code: "ROLL-1", opening: 0, billed: 10_000, collected: 12_000, otherMovements: 2_000, closing: 0 })]);
    const july = await page("?month=2025-07&region=Rollforward");
    // the 30.00 of credit applied to the July invoice lowers the balance without any collection
    expect(july.rows).toEqual([expect.objectContaining({ opening: 0, billed: 5_000, collected: 0, otherMovements: -3_000, closing: 2_000 })]);
    for (const month of ["2025-05", "2025-06", "2025-07"]) {
      const data = await page(`?month=${month}`);
      const { totals } = data;
      expect(totals.opening + totals.billed - totals.collected + totals.otherMovements, month).toBe(totals.closing);
      for (const row of data.rows) expect(row.opening + row.billed - row.collected + row.otherMovements, row.code).toBe(row.closing);
      await expectTotalsToBeKpis(data);
    }
    // sorted by the column, biggest first
    const sorted = await page("?month=2025-06&sort=otherMovements");
    const values = sorted.rows.map((row) => row.otherMovements);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values[0]).toBeGreaterThanOrEqual(2_000);
  });

  it("the month to date stays as of today when documents are dated later (post-dated payment, invoice in advance)", async () => {
    await importIntoTestDb([
      {
        kind: "invoices",
        source: csvSource("advance.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "EVIL-INV-LATER,EVIL-2,2025-07-28,2025-08-27,70.00"]),
      },
      {
        kind: "payments",
        source: csvSource("post-dated.csv", ["payment_no,customer_code,date,amount,invoice_no", "EVIL-PAY-2,EVIL-2,2025-07-25,30.00,EVIL-INV-2"]),
      },
    ]);
    const data = await page("?month=2025-07");
    expect(data.month).toMatchObject({ toDate: true, closingDate: TODAY });
    await expectTotalsToBeKpis(data);
    const evil = (await page("?month=2025-07&region=Nowhere")).rows.find((row) => row.code === "EVIL-2");
    expect(evil).toMatchObject({ closing: 10_000, overdue: 10_000, billed: 0, collected: 0 });
  });
});
