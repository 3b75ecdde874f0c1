import { describe, expect, it } from "vitest";

import { ImportContext } from "~/features/import/context";
import { parseAdjustmentType } from "~/features/import/validate";
import { sourceFromBuffer } from "~/features/import/source";

import { csvFile, english, ledger, PNG_BYTES, run, xlsxFile } from "../../../fixtures/import/helpers";

const INVOICE_HEADER = "invoice_no,customer_code,issue_date,due_date,amount,currency";
// The database already holds customers C1 (45 days) and C2 (30 days), and C2's invoice INV-9.
const existing = () => new ImportContext(ledger({ C1: 45, C2: 30 }, { "INV-9": "C2" }));

describe("canonical files", () => {
  it("turns a whole import into canonical records, each file seeing the ones before it", async () => {
    const context = new ImportContext();
    const customers = await run(
      csvFile("customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
        'C1,Alpha Trading,East,Li.Wei@Example.com,A,"1,000,000.00",45',
        "C2,Beta,,,,,",
      ]),
      { kind: "customers" },
      context,
    );
    expect(customers.report).toEqual([]);
    expect(customers.rows.map((row) => row.record)).toEqual([
      {
        code: "C1",
        name: "Alpha Trading",
        region: "East",
        ownerEmail: "li.wei@example.com",
        creditGrade: "A",
        creditLimit: 100_000_000,
        paymentTermsDays: 45,
      },
      {
        code: "C2",
        name: "Beta",
        region: null,
        ownerEmail: null,
        creditGrade: null,
        creditLimit: null,
        paymentTermsDays: 30,
      },
    ]);

    const invoices = await run(
      csvFile("invoices.csv", [
        INVOICE_HEADER,
        "INV-1,C1,2025-01-10,,1000.00,CNY",
        'INV-2,C2,2025/01/15,2025-03-01,"¥2,500.50",',
      ]),
      { kind: "invoices" },
      context,
    );
    expect(invoices.report).toEqual([]);
    expect(invoices.rows).toEqual([
      // No due date: issue date + C1's 45 days of terms.
      {
        kind: "invoices",
        line: 2,
        record: {
          invoiceNo: "INV-1",
          customerCode: "C1",
          issueDate: "2025-01-10",
          dueDate: "2025-02-24",
          amount: 100_000,
        },
      },
      {
        kind: "invoices",
        line: 3,
        record: {
          invoiceNo: "INV-2",
          customerCode: "C2",
          issueDate: "2025-01-15",
          dueDate: "2025-03-01",
          amount: 250_050,
        },
      },
    ]);

    const payments = await run(
      csvFile("payments.csv", [
        "payment_no,customer_code,date,amount,invoice_no",
        "P-1,C1,2025-02-01,500,INV-1",
        "P-2,C2,2025-02-02,0.01,",
      ]),
      { kind: "payments" },
      context,
    );
    expect(payments.report).toEqual([]);
    expect(payments.rows.map((row) => row.record)).toEqual([
      { paymentNo: "P-1", customerCode: "C1", date: "2025-02-01", amount: 50_000, invoiceNo: "INV-1" },
      { paymentNo: "P-2", customerCode: "C2", date: "2025-02-02", amount: 1, invoiceNo: null },
    ]);

    const adjustments = await run(
      csvFile("adjustments.csv", [
        "adjustment_no,customer_code,date,amount,type,invoice_no",
        "A-1,C1,2025-02-03,50,红字发票,INV-1",
        "A-2,C2,2025-02-04,12.5,坏账核销,",
        "A-3,C2,2025-02-05,1,三方抹账/冲抵,INV-2",
        "A-4,C1,2025-02-06,2,Write_Off,",
      ]),
      { kind: "adjustments" },
      context,
    );
    expect(adjustments.report).toEqual([]);
    expect(adjustments.rows.map((row) => row.record)).toEqual([
      {
        adjustmentNo: "A-1",
        customerCode: "C1",
        date: "2025-02-03",
        amount: 5000,
        type: "credit_note",
        invoiceNo: "INV-1",
      },
      { adjustmentNo: "A-2", customerCode: "C2", date: "2025-02-04", amount: 1250, type: "write_off", invoiceNo: null },
      { adjustmentNo: "A-3", customerCode: "C2", date: "2025-02-05", amount: 100, type: "offset", invoiceNo: "INV-2" },
      { adjustmentNo: "A-4", customerCode: "C1", date: "2025-02-06", amount: 200, type: "write_off", invoiceNo: null },
    ]);
  });

  it("reads a GBK file with Chinese headers", async () => {
    const context = new ImportContext();
    const customers = await run(
      csvFile(
        "客户.csv",
        ["客户编码,客户名称,区域,信用额度,账期天数", "SH001,上海华东贸易有限公司,华东,500000,60"],
        "gbk",
      ),
      { kind: "customers" },
      context,
    );
    expect(customers.encoding).toBe("gb18030");
    expect(customers.report).toEqual([]);
    expect(customers.rows[0]?.record).toMatchObject({
      code: "SH001",
      name: "上海华东贸易有限公司",
      region: "华东",
      creditLimit: 50_000_000,
      paymentTermsDays: 60,
    });

    const invoices = await run(
      csvFile("发票.csv", ["发票号,客户编码,开票日期,金额,币种", "FP-1,SH001,2025/03/01,1234.56,cny"], "gbk"),
      { kind: "invoices" },
      context,
    );
    expect(invoices.report).toEqual([]);
    expect(invoices.rows[0]?.record).toEqual({
      invoiceNo: "FP-1",
      customerCode: "SH001",
      issueDate: "2025-03-01",
      dueDate: "2025-04-30",
      amount: 123_456,
    });
  });

  it("reads a UTF-8 file with a BOM", async () => {
    const result = await run(csvFile("c.csv", ["code,name", "C1,Alpha"], "utf-8-bom"), { kind: "customers" });
    expect(result.encoding).toBe("utf-8-bom");
    expect(result.report).toEqual([]);
    expect(result.rows[0]?.record).toMatchObject({ code: "C1", name: "Alpha" });
  });

  it("reads an XLSX with date cells and Excel serial dates", async () => {
    const source = await xlsxFile("invoices.xlsx", {
      发票: [
        ["invoice_no", "customer_code", "issue_date", "due_date", "amount"],
        ["INV-1", "C1", new Date(Date.UTC(2025, 0, 15)), 45703, 0.1 + 0.2],
        ["INV-2", "C2", 45672, "2025/03/31", 12345.67],
        [1003, "C2", "2025-01-20", null, { formula: "1000+0.5", result: 1000.5 }],
        ["INV-4", "C2", 45672, "45000", 5],
      ],
    });
    const result = await run(source, { kind: "invoices" }, existing());
    expect(result.format).toBe("xlsx");
    expect(result.report).toEqual([
      "invoices.xlsx:5: due_date: due date 2023-03-15 is before the issue date 2025-01-15",
    ]);
    expect(result.rows.map((row) => row.record)).toEqual([
      { invoiceNo: "INV-1", customerCode: "C1", issueDate: "2025-01-15", dueDate: "2025-02-15", amount: 30 },
      { invoiceNo: "INV-2", customerCode: "C2", issueDate: "2025-01-15", dueDate: "2025-03-31", amount: 1_234_567 },
      { invoiceNo: "1003", customerCode: "C2", issueDate: "2025-01-20", dueDate: "2025-02-19", amount: 100_050 },
    ]);
  });

  it("refuses Excel serial numbers in a CSV", async () => {
    const result = await run(
      csvFile("invoices.csv", [INVOICE_HEADER, "INV-1,C1,45672,,5,"]),
      { kind: "invoices" },
      existing(),
    );
    expect(result.report).toEqual([
      'invoices.csv:2: issue_date: "45672" is not a date in the format YYYY-MM-DD or YYYY/MM/DD',
    ]);
  });
});

describe("bad input gets a clear error, and the bad rows give no records", () => {
  const good = "INV-OK,C1,2025-01-10,,100,";
  it.each([
    ["a negative amount", "INV-1,C1,2025-01-10,,-5,", "invoices.csv:3: amount: must be greater than 0 (got -5)"],
    ["a zero amount", "INV-1,C1,2025-01-10,,0.00,", "invoices.csv:3: amount: must be greater than 0 (got 0.00)"],
    [
      "three decimals",
      "INV-1,C1,2025-01-10,,12.345,",
      'invoices.csv:3: amount: "12.345" has more than 2 decimal places',
    ],
    ["text in an amount", "INV-1,C1,2025-01-10,,twelve,", 'invoices.csv:3: amount: "twelve" is not a valid amount'],
    ["an empty amount", "INV-1,C1,2025-01-10,,,", "invoices.csv:3: amount: is required"],
    ["an impossible date", "INV-1,C1,2025-02-30,,5,", 'invoices.csv:3: issue_date: "2025-02-30" is not a real date'],
    [
      "a due date before the issue date",
      "INV-1,C1,2025-02-10,2025-02-09,5,",
      "invoices.csv:3: due_date: due date 2025-02-09 is before the issue date 2025-02-10",
    ],
    [
      "an unknown customer",
      "INV-1,C9,2025-01-10,,5,",
      "invoices.csv:3: customer_code: unknown customer C9 (not in the ledger and not in the customers file of this import)",
    ],
    [
      "a wrong currency",
      "INV-1,C1,2025-01-10,,5,USD",
      "invoices.csv:3: currency: currency USD does not match the base currency CNY",
    ],
    ["a missing key", ",C1,2025-01-10,,5,", "invoices.csv:3: invoice_no: is required"],
    [
      "an unquoted thousands separator",
      "INV-1,C1,2025-01-10,,12,345.67,CNY",
      "invoices.csv:3: the row has more values than the header has columns (7 vs 6); is a value with a comma missing its quotes?",
    ],
  ])("%s", async (_what, badRow, message) => {
    const result = await run(
      csvFile("invoices.csv", [INVOICE_HEADER, good, badRow, good.replace("INV-OK", "INV-OK2")]),
      { kind: "invoices" },
      existing(),
    );
    expect(result.report).toEqual([message]);
    expect(result.errorCount).toBe(1);
    expect(result.lines).toEqual([2, 4]);
    expect(result.rowCount).toBe(3);
  });

  it("reports every problem of a row at once", async () => {
    const result = await run(
      csvFile("invoices.csv", [INVOICE_HEADER, "INV-1,C9,2025-13-01,,-1,EUR"]),
      { kind: "invoices" },
      existing(),
    );
    expect(result.report).toEqual([
      "invoices.csv:2: customer_code: unknown customer C9 (not in the ledger and not in the customers file of this import)",
      'invoices.csv:2: issue_date: "2025-13-01" is not a real date',
      "invoices.csv:2: amount: must be greater than 0 (got -1)",
      "invoices.csv:2: currency: currency EUR does not match the base currency CNY",
    ]);
    expect(result.rows).toEqual([]);
  });

  it("a duplicate key inside one file, naming the first line", async () => {
    const result = await run(
      csvFile("invoices.csv", [
        INVOICE_HEADER,
        "INV-1,C1,2025-01-10,,5,",
        "INV-2,C1,2025-01-10,,5,",
        "INV-1,C2,2025-01-11,,6,",
      ]),
      { kind: "invoices" },
      existing(),
    );
    expect(result.report).toEqual(["invoices.csv:4: invoice_no: INV-1 appears twice in this file (first on line 2)"]);
    expect(result.lines).toEqual([2, 3]);
  });

  it("an invoice of another customer, and an unknown invoice", async () => {
    const result = await run(
      csvFile("payments.csv", [
        "payment_no,customer_code,date,amount,invoice_no",
        "P-1,C1,2025-02-01,10,INV-9",
        "P-2,C1,2025-02-01,10,INV-404",
        "P-3,C2,2025-02-01,10,INV-9",
      ]),
      { kind: "payments" },
      existing(),
    );
    expect(result.report).toEqual([
      "payments.csv:2: invoice_no: invoice INV-9 belongs to customer C2, not C1",
      "payments.csv:3: invoice_no: unknown invoice INV-404 (not in the ledger and not in the invoices file of this import)",
    ]);
    expect(result.lines).toEqual([4]);
  });

  it("a missing required column (the whole file)", async () => {
    const result = await run(
      csvFile("invoices.csv", ["invoice_no,customer_code,issue_date,Betrag", "INV-1,C1,2025-01-10,5"]),
      { kind: "invoices" },
      existing(),
    );
    expect(result.report).toEqual(['invoices.csv:1: amount: missing required column "amount" (金额)']);
    expect(result.warnings.map((warning) => english(warning.message))).toEqual(['ignored column "Betrag"']);
    expect(result.rows).toEqual([]);
  });

  it("an empty file", async () => {
    const result = await run(sourceFromBuffer("invoices.csv", Buffer.alloc(0)), { kind: "invoices" });
    expect(result.report).toEqual(["invoices.csv: The file is empty"]);
    const blank = await run(csvFile("invoices.csv", ["", "  "], "utf-8-bom"), { kind: "invoices" });
    expect(blank.report).toEqual(["invoices.csv: The file is empty"]);
  });

  it("a header without rows", async () => {
    const result = await run(csvFile("invoices.csv", [INVOICE_HEADER, "", ",,,,,"]), { kind: "invoices" });
    expect(result.report).toEqual(["invoices.csv:1: the file has a header row but no data rows"]);
  });

  it("a 0-byte XLSX", async () => {
    const result = await run(sourceFromBuffer("invoices.xlsx", Buffer.alloc(0)), { kind: "invoices" });
    expect(result.report).toEqual(["invoices.xlsx: The file is empty"]);
  });

  it("a renamed PNG", async () => {
    const csv = await run(sourceFromBuffer("invoices.csv", PNG_BYTES), { kind: "invoices" });
    expect(csv.report).toEqual(['invoices.csv: "invoices.csv" is not a CSV or XLSX file (looks like a PNG image)']);
    const xlsx = await run(sourceFromBuffer("invoices.xlsx", PNG_BYTES), { kind: "invoices" });
    expect(xlsx.report).toEqual(['invoices.xlsx: "invoices.xlsx" is not a CSV or XLSX file (looks like a PNG image)']);
  });

  it("an unclosed quote", async () => {
    const result = await run(csvFile("customers.csv", ["code,name", "C1,Alpha", 'C2,"Beta', "C3,Gamma"]), {
      kind: "customers",
    });
    expect(result.report).toEqual([
      'customers.csv:3: a quoted value is never closed: a " is missing, so the rest of the file would be one value',
    ]);
  });

  it("keeps a quoted newline and a formula as text, with the line numbers still right", async () => {
    const result = await run(
      csvFile(
        "customers.csv",
        ["code,name", 'C1,"Alpha', 'Trading Co."', "C2,=1+1", 'C3,"@SUM(A1:A2)"', "C4,", "C5,Epsilon"],
        "utf-8",
        "\r\n",
      ),
      { kind: "customers" },
    );
    expect(result.report).toEqual(["customers.csv:6: name: is required"]);
    expect(result.rows.map((row) => [row.line, row.kind === "customers" && row.record.name])).toEqual([
      [2, "Alpha\r\nTrading Co."],
      [4, "=1+1"],
      [5, "@SUM(A1:A2)"],
      [7, "Epsilon"],
    ]);
  });

  it("customer cells: email, credit limit, terms, lengths", async () => {
    const result = await run(
      csvFile("customers.csv", [
        "code,name,owner_email,credit_limit,payment_terms_days",
        "C1,A,not-an-email,-1,30.5",
        `C2,${"x".repeat(201)},,abc,-3`,
        `${"K".repeat(65)},B,,,`,
        "C4,D,,0,0",
      ]),
      { kind: "customers" },
    );
    expect(result.report).toEqual([
      'customers.csv:2: owner_email: "not-an-email" is not an email address',
      "customers.csv:2: credit_limit: must not be negative (got -1)",
      "customers.csv:2: payment_terms_days: must be a whole number of days from 0 to 3650 (got 30.5)",
      "customers.csv:3: name: is too long (201 characters; at most 200)",
      'customers.csv:3: credit_limit: "abc" is not a valid amount',
      "customers.csv:3: payment_terms_days: must be a whole number of days from 0 to 3650 (got -3)",
      "customers.csv:4: code: is too long (65 characters; at most 64)",
    ]);
    expect(result.rows.map((row) => row.record)).toEqual([
      { code: "C4", name: "D", region: null, ownerEmail: null, creditGrade: null, creditLimit: 0, paymentTermsDays: 0 },
    ]);
  });

  it("an unknown adjustment type", async () => {
    const result = await run(
      csvFile("adjustments.csv", [
        "adjustment_no,customer_code,date,amount,type",
        "A-1,C1,2025-01-01,5,refund",
        "A-2,C1,2025-01-01,5,",
      ]),
      { kind: "adjustments" },
      existing(),
    );
    expect(result.report).toEqual([
      'adjustments.csv:2: type: "refund" is not an adjustment type (use credit_note, write_off or offset)',
      "adjustments.csv:3: type: is required",
    ]);
  });

  it("reports unknown columns once, not per row", async () => {
    const result = await run(csvFile("customers.csv", ["code,name,Remarks,备注", "C1,A,x,y", "C2,B,x,y"]), {
      kind: "customers",
    });
    expect(result.report).toEqual([]);
    expect(english(result.warnings)).toEqual([
      { file: "customers.csv", line: 1, column: null, message: 'ignored columns "Remarks", "备注"' },
    ]);
  });

  it("does not cascade: a customer with a bad cell is still known to the invoices that follow", async () => {
    const context = new ImportContext();
    const customers = await run(
      csvFile("customers.csv", ["code,name,credit_limit", "C1,Alpha,lots"]),
      { kind: "customers" },
      context,
    );
    expect(customers.report).toEqual(['customers.csv:2: credit_limit: "lots" is not a valid amount']);
    const invoices = await run(
      csvFile("invoices.csv", [INVOICE_HEADER, "INV-1,C1,2025-01-10,,5,"]),
      { kind: "invoices" },
      context,
    );
    expect(invoices.report).toEqual([]);
  });

  it("keeps the first errors of a file full of bad rows and counts the rest", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `INV-${i},C1,2025-01-10,,-1,`);
    const result = await run(csvFile("invoices.csv", [INVOICE_HEADER, ...rows]), { kind: "invoices" }, existing(), {
      keepErrors: 150,
    });
    expect(result.errorCount).toBe(5000);
    expect(result.errors).toHaveLength(150);
    expect(result.rows).toEqual([]);
  });

  it("stops after maxRows for a preview", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `INV-${i},C1,2025-01-10,,1,`);
    const result = await run(csvFile("invoices.csv", [INVOICE_HEADER, ...rows]), { kind: "invoices" }, existing(), {
      maxRows: 10,
    });
    expect(result.rowCount).toBe(10);
    expect(result.counts.invoices).toBe(10);
  });
});

describe("parseAdjustmentType", () => {
  it.each([
    ["credit_note", "credit_note"],
    ["CREDIT_NOTE", "credit_note"],
    ["红字发票", "credit_note"],
    ["折让", "credit_note"],
    ["红字发票 / 折让", "credit_note"],
    ["write_off", "write_off"],
    ["坏账核销", "write_off"],
    ["offset", "offset"],
    ["三方抹账", "offset"],
    ["冲抵", "offset"],
    ["三方抹账／冲抵", "offset"],
    ["refund", undefined],
    ["", undefined],
  ])("%j is %s", (text, type) => {
    expect(parseAdjustmentType(text)).toBe(type);
  });
});
