import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { ImportContext } from "~/features/import/context";
import { bindMapping, IBM_ACCOUNTS_RECEIVABLE, suggestMapping, type ColumnMapping } from "~/features/import/mapping";
import { sourceFromFile } from "~/features/import/source-file.server";
import type { CustomerRecord, InvoiceRecord, PaymentRecord } from "~/kernel/ledger/types";

import { csvFile, english, ledger, run, xlsxFile } from "../../../fixtures/import/helpers";

// A copy of shared/data/ibm-accounts-receivable.csv (IBM's public AR sample, unchanged).
const IBM_SAMPLE = fileURLToPath(new URL("../../../fixtures/import/ibm-accounts-receivable.csv", import.meta.url));

async function importIbm(context = new ImportContext()) {
  const result = await run(await sourceFromFile(IBM_SAMPLE), { mapping: IBM_ACCOUNTS_RECEIVABLE }, context);
  const records = <K extends string, R>(kind: K) =>
    result.rows.filter((row) => row.kind === kind).map((row) => row.record as R);
  return {
    result,
    customers: records<"customers", CustomerRecord>("customers"),
    invoices: records<"invoices", InvoiceRecord>("invoices"),
    payments: records<"payments", PaymentRecord>("payments"),
  };
}

describe("the IBM accounts receivable preset", () => {
  it("turns all 2,466 rows into 100 customers, 2,466 invoices and their settlements, with no errors", async () => {
    const { result, customers, invoices, payments } = await importIbm();
    expect(result.report).toEqual([]);
    expect(result.rowCount).toBe(2466);
    expect(result.counts).toEqual({ customers: 100, invoices: 2466, payments: 2466, adjustments: 0 });
    expect(new Set(customers.map((customer) => customer.code)).size).toBe(100);
    expect(result.warnings.map((warning) => english(warning.message))).toEqual([
      'ignored columns "PaperlessDate", "Disputed", "PaperlessBill", "DaysToSettle", "DaysLate"',
    ]);

    // Row 2: 391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,...
    expect(customers[0]).toEqual({
      code: "0379-NEVHP",
      name: "0379-NEVHP",
      region: "391",
      ownerEmail: null,
      creditGrade: null,
      creditLimit: null,
      paymentTermsDays: 30,
    });
    expect(invoices[0]).toEqual({
      invoiceNo: "0000611365",
      customerCode: "0379-NEVHP",
      issueDate: "2013-01-02",
      dueDate: "2013-02-01",
      amount: 5594,
    });
    expect(payments[0]).toEqual({
      paymentNo: "0000611365-PAID",
      customerCode: "0379-NEVHP",
      date: "2013-01-15",
      amount: 5594,
      invoiceNo: "0000611365",
    });

    // Row 7: 818,5148-SYKLB,8/28/2013,0018104516,1/27/2012,2/26/2012,94,Yes,2/22/2012,...  (no decimals)
    const whole = invoices.find((invoice) => invoice.invoiceNo === "0018104516");
    expect(whole).toEqual({
      invoiceNo: "0018104516",
      customerCode: "5148-SYKLB",
      issueDate: "2012-01-27",
      dueDate: "2012-02-26",
      amount: 9400,
    });
    expect(payments.find((payment) => payment.invoiceNo === "0018104516")).toMatchObject({
      date: "2012-02-22",
      amount: 9400,
    });

    // Row 27: 391,8156-PCYBM,3/3/2012,0081932735,1/24/2012,2/23/2012,72.7,No,3/3/2012,...  (one decimal)
    const oneDecimal = invoices.find((invoice) => invoice.invoiceNo === "0081932735");
    expect(oneDecimal).toMatchObject({ issueDate: "2012-01-24", dueDate: "2012-02-23", amount: 7270 });
    expect(payments.find((payment) => payment.invoiceNo === "0081932735")).toMatchObject({
      date: "2012-03-03",
      amount: 7270,
    });

    // Last row: 406,9758-AIEIK,4/23/2012,9990243864,7/4/2013,8/3/2013,68.66,No,7/18/2013,...
    expect(invoices[invoices.length - 1]).toEqual({
      invoiceNo: "9990243864",
      customerCode: "9758-AIEIK",
      issueDate: "2013-07-04",
      dueDate: "2013-08-03",
      amount: 6866,
    });

    // Every invoice settled in full: the totals agree to the cent (147,703.18 in the file).
    const invoiced = invoices.reduce((sum, invoice) => sum + invoice.amount, 0);
    expect(invoiced).toBe(14_770_318);
    expect(payments.reduce((sum, payment) => sum + payment.amount, 0)).toBe(invoiced);
    // A customer appears once, on its first row, before its first invoice.
    const firstCustomerLine = result.rows.find(
      (row) => row.kind === "customers" && row.record.code === "0379-NEVHP",
    )?.line;
    expect(firstCustomerLine).toBe(2);
  });

  it("re-imports without creating or changing customers", async () => {
    const first = new ImportContext();
    await importIbm(first);
    const { result, customers } = await importIbm(new ImportContext(first));
    expect(result.report).toEqual([]);
    expect(customers).toEqual([]);
    expect(result.counts).toEqual({ customers: 0, invoices: 2466, payments: 2466, adjustments: 0 });
  });

  it("is suggested for a file with its header", () => {
    const header =
      "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate".split(
        ",",
      );
    expect(suggestMapping(header)).toBe(IBM_ACCOUNTS_RECEIVABLE);
    expect(suggestMapping(["invoice_no", "amount"])).toBeUndefined();
  });
});

describe("custom mappings", () => {
  const erpInvoices: ColumnMapping<"invoices"> = {
    name: "ERP invoices",
    target: "invoices",
    dateFormat: "D/M/YYYY",
    columns: { invoice_no: "Doc No", customer_code: "Cust", issue_date: "Doc Date", amount: "Gross" },
    constants: { currency: "CNY" },
    settlement: { paidDateColumn: "Paid On", paidAmountColumn: "Paid" },
    customers: { codeColumn: "Cust", nameColumn: "Customer Name", paymentTermsDays: 60 },
  };

  it("reads invoices, partial settlements and new customers; an empty paid date is no payment", async () => {
    const result = await run(
      csvFile("erp.csv", [
        "Doc No,Cust,Customer Name,Doc Date,Gross,Paid On,Paid",
        'D1,K1,Kunlun Ltd,31/1/2025,"1,000.00",15/2/2025,400',
        "D2,K1,Kunlun Ltd,1/2/2025,50,,",
        "D3,K2,,2/2/2025,70,3/2/2025,",
      ]),
      { mapping: erpInvoices },
      new ImportContext(),
    );
    expect(result.report).toEqual([]);
    expect(result.rows).toEqual([
      {
        kind: "customers",
        line: 2,
        record: {
          code: "K1",
          name: "Kunlun Ltd",
          region: null,
          ownerEmail: null,
          creditGrade: null,
          creditLimit: null,
          paymentTermsDays: 60,
        },
      },
      {
        kind: "invoices",
        line: 2,
        record: {
          invoiceNo: "D1",
          customerCode: "K1",
          issueDate: "2025-01-31",
          dueDate: "2025-04-01",
          amount: 100_000,
        },
      },
      {
        kind: "payments",
        line: 2,
        record: { paymentNo: "D1-PAID", customerCode: "K1", date: "2025-02-15", amount: 40_000, invoiceNo: "D1" },
      },
      {
        kind: "invoices",
        line: 3,
        record: { invoiceNo: "D2", customerCode: "K1", issueDate: "2025-02-01", dueDate: "2025-04-02", amount: 5000 },
      },
      {
        kind: "customers",
        line: 4,
        record: {
          code: "K2",
          name: "K2",
          region: null,
          ownerEmail: null,
          creditGrade: null,
          creditLimit: null,
          paymentTermsDays: 60,
        },
      },
      {
        kind: "invoices",
        line: 4,
        record: { invoiceNo: "D3", customerCode: "K2", issueDate: "2025-02-02", dueDate: "2025-04-03", amount: 7000 },
      },
      {
        kind: "payments",
        line: 4,
        record: { paymentNo: "D3-PAID", customerCode: "K2", date: "2025-02-03", amount: 7000, invoiceNo: "D3" },
      },
    ]);
  });

  it("gives no record at all from a row with any error, naming the source columns", async () => {
    const result = await run(
      csvFile("erp.csv", [
        "Doc No,Cust,Customer Name,Doc Date,Gross,Paid On,Paid",
        "D1,K1,Kunlun Ltd,31/1/2025,-5,32/1/2025,x",
        "D2,K1,Kunlun Ltd,1/2/2025,50,30/2/2025,",
        "D3,K1,Kunlun Ltd,1/2/2025,50,,",
      ]),
      { mapping: erpInvoices },
      new ImportContext(),
    );
    expect(result.report).toEqual([
      "erp.csv:2: Gross: must be greater than 0 (got -5)",
      'erp.csv:2: Paid On: "32/1/2025" is not a real date',
      'erp.csv:2: Paid: "x" is not a valid amount',
      'erp.csv:3: Paid On: "30/2/2025" is not a real date',
    ]);
    // K1 was first seen on a rejected row: it comes out with its first good row.
    expect(result.rows.map((row) => [row.kind, row.line])).toEqual([
      ["customers", 2],
      ["invoices", 4],
    ]);
  });

  it("maps payments and adjustments, with constants and existing customers", async () => {
    const context = new ImportContext(ledger({ C1: 30 }, { "INV-1": "C1" }));
    const payments = await run(
      csvFile(
        "bank.csv",
        ["Ref;Client;Value date;Amount;Invoice", "B1;C1;03/04/2025;1.234,00;INV-1"].map((line) =>
          line.replace("1.234,00", "1234.00"),
        ),
      ),
      {
        mapping: {
          name: "Bank",
          target: "payments",
          dateFormat: "M/D/YYYY",
          columns: {
            payment_no: "Ref",
            customer_code: "Client",
            date: "Value date",
            amount: "Amount",
            invoice_no: "Invoice",
          },
        },
      },
      context,
    );
    expect(payments.report).toEqual([]);
    expect(payments.rows.map((row) => row.record)).toEqual([
      { paymentNo: "B1", customerCode: "C1", date: "2025-03-04", amount: 123_400, invoiceNo: "INV-1" },
    ]);

    const writeOffs = await xlsxFile("writeoffs.xlsx", {
      Sheet1: [
        ["No", "Client", "Date", "Amount"],
        ["W1", "C1", new Date(Date.UTC(2025, 5, 30)), 99.99],
        ["W2", "C7", 45838, 10],
      ],
    });
    const adjustments = await run(
      writeOffs,
      {
        mapping: {
          name: "Write-offs",
          target: "adjustments",
          dateFormat: "YYYY-MM-DD",
          columns: { adjustment_no: "No", customer_code: "Client", date: "Date", amount: "Amount" },
          constants: { type: "坏账核销" },
        },
      },
      context,
    );
    expect(adjustments.report).toEqual([
      "writeoffs.xlsx:3: Client: unknown customer C7 (not in the ledger and not in the customers file of this import)",
    ]);
    expect(adjustments.rows.map((row) => row.record)).toEqual([
      { adjustmentNo: "W1", customerCode: "C1", date: "2025-06-30", amount: 9999, type: "write_off", invoiceNo: null },
    ]);
  });

  it("names the mapping's constant in messages", async () => {
    const result = await run(
      csvFile("adj.csv", ["No,Client,Date,Amount", "A1,C1,2025-01-01,5"]),
      {
        mapping: {
          name: "Adjustments",
          target: "adjustments",
          dateFormat: "YYYY-MM-DD",
          columns: { adjustment_no: "No", customer_code: "Client", date: "Date", amount: "Amount" },
          constants: { type: "refund" },
        },
      },
      new ImportContext(ledger({ C1: 30 })),
    );
    expect(result.report).toEqual([
      'adj.csv:2: type (set by mapping "Adjustments"): "refund" is not an adjustment type (use credit_note, write_off or offset)',
    ]);
  });
});

describe("bindMapping", () => {
  const header = ["Doc No", "Cust", "Doc Date", "Gross", "Gross"];

  it("reports every problem of a mapping against the file's header", () => {
    const mapping = {
      name: "Broken",
      target: "invoices",
      dateFormat: "DD.MM.YY",
      columns: {
        invoice_no: "Doc No",
        customer_code: "Customer",
        issue_date: "Doc Date",
        amount: "Gross",
        colour: "Doc No",
      },
      settlement: { paidDateColumn: "Paid On" },
    } as unknown as ColumnMapping;
    const result = bindMapping(mapping, header);
    expect(english(result.ok ? [] : result.errors)).toEqual([
      { column: "mapping", message: 'mapping "Broken" has an unknown date format "DD.MM.YY"' },
      { column: "Customer", message: 'column "Customer" (mapped to customer_code) is not in the file' },
      { column: "Gross", message: 'column "Gross" (mapped to amount) appears 2 times in the file' },
      { column: "Doc No", message: 'mapping "Broken" maps "Doc No" to "colour", which is not a column of invoices' },
      { column: "Paid On", message: 'column "Paid On" (paid date) is not in the file' },
    ]);
  });

  it("requires every required field, and settlements only on invoices", () => {
    const mapping: ColumnMapping = {
      name: "Thin",
      target: "payments",
      dateFormat: "YYYY-MM-DD",
      columns: { payment_no: "Doc No" },
      settlement: { paidDateColumn: "Doc Date" },
    };
    const result = bindMapping(mapping, header);
    expect(result.ok ? [] : result.errors.map((error) => english(error.message))).toEqual([
      'mapping "Thin" gives no column for the required field "customer_code"',
      'mapping "Thin" gives no column for the required field "date"',
      'mapping "Thin" gives no column for the required field "amount"',
      'mapping "Thin": a settlement can only be read from invoice rows',
    ]);
  });

  it("turns mapping problems into header errors of the import", async () => {
    const result = await run(csvFile("x.csv", ["a,b", "1,2"]), { mapping: IBM_ACCOUNTS_RECEIVABLE });
    expect(result.report[0]).toBe(
      'x.csv:1: invoiceNumber: column "invoiceNumber" (mapped to invoice_no) is not in the file',
    );
    expect(result.rows).toEqual([]);
  });
});
