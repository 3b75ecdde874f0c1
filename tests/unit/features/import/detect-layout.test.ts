import { describe, expect, it } from "vitest";

import { detectLayout } from "~/features/import/detect-layout";
import { BUILT_IN_MAPPINGS, IBM_ACCOUNTS_RECEIVABLE } from "~/features/import/mapping";

describe("detecting an uploaded file's layout from its header", () => {
  it.each([
    [["code", "name", "region"], { kind: "customers" }],
    [["客户编码", "客户名称"], { kind: "customers" }],
    [["Invoice_No", "customer_code", "issue_date", "amount"], { kind: "invoices" }],
    [["发票号", "客户编码", "开票日期", "金额", "币种"], { kind: "invoices" }],
    [["payment_no", "customer_code", "date", "amount", "invoice_no"], { kind: "payments" }],
    [["调整单号", "客户编码", "日期", "金额", "类型"], { kind: "adjustments" }],
  ])("%j is %j", (header, expected) => {
    expect(detectLayout(header, BUILT_IN_MAPPINGS)).toEqual(expected);
  });

  it("recognises a known export through its mapping", () => {
    const header = ["countryCode", "customerID", "PaperlessDate", "invoiceNumber", "InvoiceDate", "DueDate", "InvoiceAmount", "Disputed", "SettledDate", "PaperlessBill", "DaysToSettle", "DaysLate"];
    expect(detectLayout(header, BUILT_IN_MAPPINGS)).toEqual({ mapping: IBM_ACCOUNTS_RECEIVABLE });
  });

  it("gives up on a header it cannot place (the user maps it)", () => {
    expect(detectLayout(["Kunde", "Betrag", "Datum"], BUILT_IN_MAPPINGS)).toBeNull();
    // a payments file missing its amount is not silently taken for something else
    expect(detectLayout(["payment_no", "customer_code", "date"], BUILT_IN_MAPPINGS)).toBeNull();
  });
});
