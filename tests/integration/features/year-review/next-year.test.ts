import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { loader } from "~/routes/_app.review.$fiscalYear";
import { loader as xlsxLoader } from "~/routes/_app.review.$fiscalYear.xlsx";
import ExcelJS from "exceljs";
import mammoth from "mammoth";
import { loader as docxLoader } from "~/routes/_app.review.$fiscalYear.report.docx";
import { loader as reportLoader } from "~/routes/_app.review.$fiscalYear_.report";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { getDb } from "~/server/db.server";
import { rebuildPaymentMonths } from "~/features/forecast/queries.server";

/**
 * The review's projection of next year's receivables on a ledger small enough to work by hand:
 * one customer; 2025 sold 1,000.00 on 10 January (due 9 February, paid 19 February: 30 days of
 * terms, 10 late) and 3,000.00 on 1 December, open at the year's end. So the cycle is 40 days,
 * the opening balance 3,000.00, and the seasonality puts ¼ of the year in January and ¾ in
 * December (2023 and 2024 sold nothing).
 */

type Data = Awaited<ReturnType<typeof loader>>;
let cookie = "";

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await importIntoTestDb([
    { kind: "customers", source: csvSource("customers.csv", ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days", "NY001,Next Year Trading,East,head@demo.quarterdeck,A,100000,30"]) },
    {
      kind: "invoices",
      source: csvSource("invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "NY-1,NY001,2025-01-10,2025-02-09,1000.00", "NY-2,NY001,2025-12-01,2025-12-31,3000.00"]),
    },
    { kind: "payments", source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "NY-P1,NY001,2025-02-19,1000.00,NY-1"]) },
  ]);
  cookie = await signIn(head.email);
  // the forecast's background job sums the payment behaviour a minute after start; here at once
  await rebuildPaymentMonths(getDb(), "2026-02-15T00:00:00.000Z");
});

describe("before the forecast's job has summed the payment behaviour", () => {
  it("says the projection is on its way instead of guessing a cycle", async () => {
    await getDb().deleteFrom("forecast_inputs_status").execute();
    try {
      const { nextYear } = await review();
      expect(nextYear).toMatchObject({ available: true, behaviourPending: true, projection: null });
    } finally {
      await rebuildPaymentMonths(getDb(), "2026-02-15T00:00:00.000Z");
    }
  });
});
beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", "2026-02-15");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function review(query = ""): Promise<Data> {
  const result = await call(loader, get(`/review/2025${query}`, cookie), { fiscalYear: "2025" });
  expect(statusOf(result)).toBe(200);
  return payloadOf<Data>(result);
}

describe("next year's receivables in the year review", () => {
  it("projects 2026 month by month from the year's sales, the 40-day cycle and the 3,000.00 open at the end", async () => {
    const { nextYear } = await review();
    expect(nextYear.available).toBe(true);
    expect(nextYear.errors).toEqual({});
    expect(nextYear.cycle).toMatchObject({ termsDays: 30, lateDays: 10, days: 40, measured: true });
    const projection = nextYear.projection!;
    expect(projection.opening).toBe(300_000);
    expect(projection.baseSales).toBe(400_000);
    expect(projection.months.map((m) => m.sales)).toEqual([100_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 300_000]);
    const [jan, feb] = projection.months;
    // By 31 January the opening has run off as 1–22 December's sales (22 of 31 days: 212,903.23);
    // none of January's sales is 40 days old: 300,000 − 212,903.23 + 100,000 = 187,096.77.
    expect(jan).toMatchObject({ month: "2026-01", receivables: 187_097, collections: 212_903, sales90: 400_000 });
    expect(jan!.dso).toBeCloseTo((187_097 / 400_000) * 90, 9);
    // By 28 February the opening is in, and January's sales of 1–19 January (19/31 of 100,000).
    expect(feb).toMatchObject({ receivables: 38_710, collections: 148_387 });
    expect(nextYear.dsoTarget).toBeNull();
    expect(jan!.targetReceivables).toBeNull();
  });

  it("follows the scenario in the URL: growth and a DSO target", async () => {
    const { nextYear } = await review("?growth=50&dsoTarget=30");
    expect(nextYear.input).toEqual({ growth: "50", dsoTarget: "30" });
    expect([nextYear.growthPct, nextYear.dsoTarget]).toEqual([50, 30]);
    const jan = nextYear.projection!.months[0]!;
    // 150,000 sold in January: 87,096.77 of the opening still open + 150,000
    expect(jan).toMatchObject({ sales: 150_000, receivables: 237_097, sales90: 450_000 });
    // the target allows 30 × 450,000 ÷ 90 = 150,000: 87,097 above it
    expect(jan).toMatchObject({ targetReceivables: 150_000, gap: 87_097 });
  });

  it("answers bad scenario input with the field's error and the default in its place, the page still whole", async () => {
    const data = await review("?growth=lots&dsoTarget=400");
    expect(data.nextYear.errors).toEqual({ growth: "review.nextYear.error.growthNumber", dsoTarget: "review.nextYear.error.dsoRange" });
    expect(data.nextYear.input).toEqual({ growth: "lots", dsoTarget: "400" });
    expect([data.nextYear.growthPct, data.nextYear.dsoTarget]).toEqual([0, null]);
    expect(data.nextYear.projection!.months[0]!.receivables).toBe(187_097);
    expect(data.review.dates.fiscalYear).toBe(2025);
  });

  it("waits for a running year's end", async () => {
    const result = await call(loader, get("/review/2026", cookie), { fiscalYear: "2026" });
    const data = payloadOf<Data>(result);
    expect(data.nextYear).toMatchObject({ available: false, projection: null });
  });

  it("exports the twelve months in the review's workbook", async () => {
    const response = (await call(xlsxLoader, get("/review/2025/xlsx", cookie), { fiscalYear: "2025" })) as Response;
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet("Next year receivables")!;
    expect(sheet).toBeDefined();
    const values = (row: number) => (sheet.getRow(row).values as unknown[]).slice(1);
    expect(values(1)).toEqual(["Month", "Sales", "Collections", "Receivables at month end", "DSO (days)"]);
    expect(values(2).slice(0, 4)).toEqual(["2026-01", 1000, 2129.03, 1870.97]);
    expect(sheet.getRow(2).getCell(4).numFmt).toBe("#,##0.00");
    expect(sheet.rowCount).toBe(14);
  });

  it("states the projected year-end receivables in the report's draft and puts the months in its .docx", async () => {
    const report = payloadOf<{ texts: { measures: string } }>(await call(reportLoader, get("/review/2025/report", cookie), { fiscalYear: "2025" }));
    // December 2026's 3,000.00 is all still open on 31 December (the cycle is 40 days); its 90 days sold 3,000.00
    expect(report.texts.measures).toContain("the receivables at the end of 2026 are projected at CN¥3,000.00, a DSO of about 90.0 days.");
    const response = (await call(docxLoader, get("/review/2025/report/docx", cookie), { fiscalYear: "2025" })) as Response;
    expect(response.status).toBe(200);
    const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(await response.arrayBuffer()) });
    expect(text).toContain("Next year's receivables, month by month");
    expect(text).toMatch(/2026-01\s+CN¥1,000\.00\s+CN¥2,129\.03\s+CN¥1,870\.97\s+42\.1/);
  });
});
