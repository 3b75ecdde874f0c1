import { describe, expect, it } from "vitest";

import { matchHeader } from "~/features/import/canonical";

import { english } from "../../../fixtures/import/helpers";

describe("matchHeader", () => {
  it("matches names case-insensitively after trimming, and the Chinese aliases", () => {
    const match = matchHeader("invoices", ["\uFEFF Invoice_No ", "客户编码", "ISSUE_DATE", "到期日", "金额", "币种"]);
    expect(match.errors).toEqual([]);
    expect(match.indexOf).toEqual({
      invoice_no: 0,
      customer_code: 1,
      issue_date: 2,
      due_date: 3,
      amount: 4,
      currency: 5,
    });
    expect(match.labelOf.customer_code).toBe("客户编码");
    expect(match.labelOf.invoice_no).toBe("Invoice_No");
  });

  it("lists unknown columns and ignores empty header cells", () => {
    const match = matchHeader("customers", ["code", "name", "Remarks", "", "  ", "备注"]);
    expect(match.errors).toEqual([]);
    expect(match.unknown).toEqual(["Remarks", "备注"]);
  });

  it("reports every missing required column with its alias", () => {
    const match = matchHeader("payments", ["payment_no", "date"]);
    expect(english(match.errors)).toEqual([
      { column: "customer_code", message: 'missing required column "customer_code" (客户编码)' },
      { column: "amount", message: 'missing required column "amount" (金额)' },
    ]);
  });

  it("refuses the same column twice under two names", () => {
    const match = matchHeader("customers", ["code", "name", "客户编码"]);
    expect(english(match.errors)).toEqual([
      { column: "客户编码", message: 'column "客户编码" appears twice (same as "code"); keep one of them' },
    ]);
  });

  it("knows the adjustment columns", () => {
    const match = matchHeader("adjustments", ["调整单号", "客户编码", "date", "金额", "type", "发票号"]);
    expect(match.errors).toEqual([]);
    expect(Object.keys(match.indexOf)).toEqual([
      "adjustment_no",
      "customer_code",
      "date",
      "amount",
      "type",
      "invoice_no",
    ]);
  });
});
