import { describe, expect, it } from "vitest";

import { customerPosition, settlementHistory } from "~/kernel/ledger/customer-position";
import { adjustment, invoice, payment } from "../../support/ledger-builders";

const AS_OF = "2025-06-30";

describe("customerPosition", () => {
  it.each([
    // due date, days past due, bucket
    ["2025-07-01", -1, "current"],
    ["2025-06-30", 0, "current"],
    ["2025-06-29", 1, "1_30"],
    ["2025-05-31", 30, "1_30"],
    ["2025-05-30", 31, "31_60"],
    ["2025-04-01", 90, "61_90"],
    ["2025-03-31", 91, "91_180"],
    ["2024-06-30", 365, "181_365"],
    ["2024-06-29", 366, "over_365"],
  ])("puts an invoice due %s at %s days past due in %s", (due, dpd, bucket) => {
    const position = customerPosition(
      "C1",
      { invoices: [invoice("I1", "2024-01-01", due, 12_345)], payments: [], adjustments: [] },
      null,
      AS_OF,
    );
    expect(position.openInvoices).toEqual([
      {
        invoiceNo: "I1",
        issueDate: "2024-01-01",
        dueDate: due,
        amount: 12_345,
        openAmount: 12_345,
        daysPastDue: dpd,
        bucket,
      },
    ]);
    expect(position.aging[bucket as keyof typeof position.aging]).toBe(12_345);
    expect(position.overdueTotal).toBe(dpd > 0 ? 12_345 : 0);
    expect(position.current).toBe(dpd > 0 ? 0 : 12_345);
  });

  it("applies partial and unreferenced payments, leaves later documents out and counts them", () => {
    const position = customerPosition(
      "C1",
      {
        invoices: [
          invoice("I1", "2025-03-01", "2025-03-31", 1_000_000),
          invoice("I2", "2025-04-01", "2025-05-01", 500_000),
          invoice("I3", "2025-07-02", "2025-08-01", 70_000),
        ],
        payments: [payment("2025-04-10", 400_000, "I1"), payment("2025-05-20", 700_000), payment("2025-07-01", 1)],
        adjustments: [adjustment("credit_note", "2025-06-01", 30_025, "I2")],
      },
      2_000_000,
      AS_OF,
    );
    expect(position.openInvoices.map((i) => [i.invoiceNo, i.openAmount])).toEqual([["I2", 369_975]]);
    expect(position).toMatchObject({
      arTotal: 369_975,
      overdueTotal: 369_975,
      current: 0,
      unappliedCredit: 0,
      overdueRatio: 1,
      creditUtilisation: 369_975 / 2_000_000,
      laterDocuments: 2,
    });
  });

  it("has no ratios to show for an empty ledger or a customer without a limit", () => {
    const empty = customerPosition("C1", { invoices: [], payments: [], adjustments: [] }, 0, AS_OF);
    expect(empty).toMatchObject({ arTotal: 0, overdueRatio: null, creditUtilisation: null, openInvoices: [] });
  });

  it("shows a credit balance as unapplied credit", () => {
    const position = customerPosition(
      "C1",
      {
        invoices: [invoice("I1", "2025-06-01", "2025-07-01", 80_000)],
        payments: [payment("2025-06-15", 100_000, "I1")],
        adjustments: [],
      },
      100_000,
      AS_OF,
    );
    expect(position).toMatchObject({ arTotal: 0, unappliedCredit: 20_000, creditUtilisation: 0, openInvoices: [] });
  });
});

describe("settlementHistory", () => {
  it("merges payments and adjustments newest first, marking those after the date", () => {
    const lines = settlementHistory(
      [
        { paymentNo: "P-1", customerCode: "C1", date: "2025-05-01", amount: 100, invoiceNo: "I1" },
        { paymentNo: "P-2", customerCode: "C1", date: "2025-07-01", amount: 200, invoiceNo: null },
      ],
      [
        { adjustmentNo: "A-1", customerCode: "C1", date: "2025-05-01", amount: 50, type: "write_off", invoiceNo: null },
        { adjustmentNo: "A-2", customerCode: "C1", date: "2025-06-30", amount: 5, type: "offset", invoiceNo: "I2" },
      ],
      AS_OF,
    );
    expect(lines.map((l) => [l.documentNo, l.kind, l.afterAsOf])).toEqual([
      ["P-2", "payment", true],
      ["A-2", "offset", false],
      ["P-1", "payment", false],
      ["A-1", "write_off", false],
    ]);
  });
});
