import { describe, expect, it } from "vitest";
import { ADJUSTMENT_TYPES } from "~/kernel/ledger/types";
import {
  compareCodeUnits,
  compareInvoicesOldestFirst,
  customerOpenItems,
  openInvoicesOf,
  openItemsAsOf,
  type OpenItems,
} from "~/kernel/ledger/open-items";
import { adjustment, customer, invoice, ledger, payment } from "../../support/ledger-builders";

/** invoiceNo -> open amount, the shape every hand-worked answer below is written in. */
function openByInvoice(items: OpenItems): Record<string, number> {
  return Object.fromEntries(openInvoicesOf(items).map((row) => [row.invoiceNo, row.openAmount]));
}

function unappliedByCustomer(items: OpenItems): Record<string, number> {
  return Object.fromEntries(items.customers.map((row) => [row.customerCode, row.unappliedCredit]));
}

describe("payments that name an invoice", () => {
  it("reduce that invoice only", () => {
    const items = openItemsAsOf(
      ledger({
        invoices: [
          invoice("I1", "2024-01-01", "2024-01-31", 100_000),
          invoice("I2", "2024-02-01", "2024-02-29", 50_000),
        ],
        payments: [payment("2024-02-10", 30_000, "I2")],
      }),
      "2024-03-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 100_000, I2: 20_000 });
    expect(items.customers[0]).toMatchObject({ arTotal: 120_000, unappliedCredit: 0 });
  });

  it("settle an invoice exactly to zero, and the invoice stays listed", () => {
    const items = openItemsAsOf(
      ledger({
        invoices: [invoice("I1", "2024-01-01", "2024-01-31", 12_345)],
        payments: [payment("2024-01-20", 12_345, "I1")],
      }),
      "2024-01-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 0 });
    expect(unappliedByCustomer(items)).toEqual({ C1: 0 });
  });

  it("send the excess over the invoice to the pool, which covers the oldest other invoice", () => {
    // 70,000 + 50,000 name I1 (100,000): 20,000 too much, whichever document came first.
    const items = openItemsAsOf(
      ledger({
        invoices: [
          invoice("I1", "2024-01-01", "2024-01-31", 100_000),
          invoice("I2", "2024-02-01", "2024-03-02", 50_000),
        ],
        payments: [payment("2024-01-15", 70_000, "I1")],
        adjustments: [adjustment("credit_note", "2024-01-10", 50_000, "I1")],
      }),
      "2024-03-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 0, I2: 30_000 });
    expect(unappliedByCustomer(items)).toEqual({ C1: 0 });
  });

  it("leave unapplied credit when the excess exceeds everything open", () => {
    const items = openItemsAsOf(
      ledger({
        invoices: [invoice("I1", "2024-01-01", "2024-01-31", 10_000)],
        payments: [payment("2024-01-05", 15_050, "I1")],
      }),
      "2024-01-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 0 });
    expect(unappliedByCustomer(items)).toEqual({ C1: 5_050 });
  });
});

describe("the pool of unreferenced money", () => {
  it("is applied oldest first by (due date, issue date, invoice number in code-unit order)", () => {
    const invoices = [
      invoice("INV-9", "2024-03-01", "2024-03-31", 10_000),
      invoice("INV-10", "2024-03-01", "2024-03-31", 10_000),
      invoice("INV-8", "2024-02-15", "2024-03-31", 10_000),
      invoice("INV-11", "2024-03-01", "2024-03-15", 10_000),
    ];
    // Order: INV-11 (due 03-15); then due 03-31: INV-8 (issued earlier); then "INV-10" < "INV-9"
    // because '1' < '9' as characters (not numeric order).
    const items = openItemsAsOf(
      ledger({ invoices, payments: [payment("2024-03-20", 25_000)] }),
      "2024-04-30"
    );
    expect(openByInvoice(items)).toEqual({
      "INV-11": 0,
      "INV-8": 0,
      "INV-10": 5_000,
      "INV-9": 10_000,
    });
    expect(items.customers[0]?.invoices.map((row) => row.invoiceNo)).toEqual([
      "INV-11",
      "INV-8",
      "INV-10",
      "INV-9",
    ]);
  });

  it("compares invoice numbers by UTF-16 code units: upper case before lower case, no locale", () => {
    expect(["inv-1", "INV-2", "INV-10", "发票-1", "A"].sort(compareCodeUnits)).toEqual([
      "A",
      "INV-10",
      "INV-2",
      "inv-1",
      "发票-1",
    ]);
    const a = { dueDate: "2024-01-31", issueDate: "2024-01-01", invoiceNo: "inv-1" };
    const b = { dueDate: "2024-01-31", issueDate: "2024-01-01", invoiceNo: "INV-2" };
    expect(compareInvoicesOldestFirst(a, b)).toBeGreaterThan(0);
    expect(compareInvoicesOldestFirst({ ...a, dueDate: "2024-01-30" }, b)).toBeLessThan(0);
    expect(compareInvoicesOldestFirst({ ...a, issueDate: "2023-12-31" }, b)).toBeLessThan(0);
    expect(compareInvoicesOldestFirst(a, a)).toBe(0);
  });

  it("takes only what remains after referenced payments", () => {
    // I1 is the oldest but already mostly paid by reference; the pool first finishes I1.
    const items = openItemsAsOf(
      ledger({
        invoices: [
          invoice("I1", "2024-01-01", "2024-01-31", 10_000),
          invoice("I2", "2024-01-05", "2024-02-04", 10_000),
        ],
        payments: [payment("2024-01-20", 8_000, "I1"), payment("2024-02-01", 5_000)],
      }),
      "2024-02-29"
    );
    expect(openByInvoice(items)).toEqual({ I1: 0, I2: 7_000 });
  });

  it("does not cross customers", () => {
    const items = openItemsAsOf(
      ledger({
        customers: [customer("C1"), customer("C2"), customer("C3")],
        invoices: [
          invoice("I1", "2024-01-01", "2024-01-31", 10_000, "C1"),
          invoice("I2", "2024-01-01", "2024-01-31", 10_000, "C2"),
        ],
        payments: [payment("2024-01-10", 15_000, null, "C1")],
      }),
      "2024-01-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 0, I2: 10_000 });
    expect(unappliedByCustomer(items)).toEqual({ C1: 5_000, C2: 0, C3: 0 });
  });
});

describe("documents naming an invoice the customer does not have at D", () => {
  const invoices = [
    invoice("I1", "2024-01-01", "2024-01-31", 10_000),
    invoice("I2", "2024-03-10", "2024-04-09", 20_000),
  ];
  // Paid in advance on 03-05 against an invoice issued on 03-10.
  const payments = [payment("2024-03-05", 8_000, "I2")];

  it("join the pool while the named invoice is not yet issued", () => {
    const items = openItemsAsOf(ledger({ invoices, payments }), "2024-03-09");
    expect(openByInvoice(items)).toEqual({ I1: 2_000 });
  });

  it("reduce the named invoice from its issue date on", () => {
    const items = openItemsAsOf(ledger({ invoices, payments }), "2024-03-10");
    expect(openByInvoice(items)).toEqual({ I1: 10_000, I2: 12_000 });
  });

  it("join the pool when the invoice is unknown to the snapshot", () => {
    const items = openItemsAsOf(
      ledger({
        invoices: [invoice("I1", "2024-01-01", "2024-01-31", 10_000)],
        payments: [payment("2024-01-15", 4_000, "NOPE")],
      }),
      "2024-01-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 6_000 });
  });

  it("join the paying customer's pool when the invoice belongs to another customer", () => {
    const items = openItemsAsOf(
      ledger({
        customers: [customer("C1"), customer("C2")],
        invoices: [
          invoice("I1", "2024-01-01", "2024-01-31", 10_000, "C1"),
          invoice("I2", "2024-01-01", "2024-01-31", 10_000, "C2"),
        ],
        payments: [payment("2024-01-15", 4_000, "I2", "C1")],
      }),
      "2024-01-31"
    );
    expect(openByInvoice(items)).toEqual({ I1: 6_000, I2: 10_000 });
  });
});

describe("prepayments and unapplied credit", () => {
  const snapshot = ledger({
    invoices: [invoice("I1", "2024-02-01", "2024-03-02", 6_000)],
    payments: [payment("2024-01-10", 10_000)],
  });

  it("is all unapplied credit before any invoice exists", () => {
    const items = openItemsAsOf(snapshot, "2024-01-31");
    expect(openInvoicesOf(items)).toEqual([]);
    expect(items.customers).toEqual([
      { customerCode: "C1", invoices: [], arTotal: 0, unappliedCredit: 10_000 },
    ]);
  });

  it("covers the invoice once issued and keeps the rest", () => {
    const items = openItemsAsOf(snapshot, "2024-02-01");
    expect(openByInvoice(items)).toEqual({ I1: 0 });
    expect(unappliedByCustomer(items)).toEqual({ C1: 4_000 });
  });
});

describe("as of the end of day D", () => {
  const snapshot = ledger({
    invoices: [
      invoice("I1", "2024-01-31", "2024-03-01", 10_000),
      invoice("I2", "2024-02-01", "2024-03-02", 7_000),
    ],
    payments: [payment("2024-01-31", 3_000, "I1"), payment("2024-02-01", 1_000)],
    adjustments: [adjustment("write_off", "2024-02-01", 500, "I1")],
  });

  it("counts documents dated D", () => {
    expect(openByInvoice(openItemsAsOf(snapshot, "2024-01-31"))).toEqual({ I1: 7_000 });
  });

  it("ignores invoices, payments and adjustments dated after D entirely", () => {
    const items = openItemsAsOf(snapshot, "2024-01-31");
    expect(items.customers[0]).toMatchObject({ arTotal: 7_000, unappliedCredit: 0 });
    // The next day everything dated 02-01 applies: write-off on I1, pool 1,000 to I1 (oldest).
    expect(openByInvoice(openItemsAsOf(snapshot, "2024-02-01"))).toEqual({ I1: 5_500, I2: 7_000 });
  });

  it("lists every customer of the snapshot, and customer codes seen only on documents", () => {
    const items = openItemsAsOf(
      ledger({
        customers: [customer("C1"), customer("C2")],
        payments: [payment("2024-01-01", 100, null, "C9"), payment("2024-05-01", 100, null, "C8")],
      }),
      "2024-01-31"
    );
    expect(unappliedByCustomer(items)).toEqual({ C1: 0, C2: 0, C9: 100 });
  });

  it("rejects an as-of date that is not a real date", () => {
    expect(() => openItemsAsOf(snapshot, "2024-02-30")).toThrow(RangeError);
    expect(() => customerOpenItems("C1", snapshot, "31/01/2024")).toThrow(RangeError);
  });
});

describe("adjustments", () => {
  describe.each(ADJUSTMENT_TYPES)("of type %s", (type) => {
    it("reduce the invoice they name", () => {
      const items = openItemsAsOf(
        ledger({
          invoices: [invoice("I1", "2024-01-01", "2024-01-31", 10_000)],
          adjustments: [adjustment(type, "2024-01-15", 2_500, "I1")],
        }),
        "2024-01-31"
      );
      expect(openByInvoice(items)).toEqual({ I1: 7_500 });
    });

    it("join the pool when they name no invoice", () => {
      const items = openItemsAsOf(
        ledger({
          invoices: [
            invoice("I1", "2024-01-01", "2024-01-31", 10_000),
            invoice("I2", "2024-01-02", "2024-01-31", 10_000),
          ],
          adjustments: [adjustment(type, "2024-01-15", 12_500)],
        }),
        "2024-01-31"
      );
      expect(openByInvoice(items)).toEqual({ I1: 0, I2: 7_500 });
    });
  });
});

describe("customerOpenItems", () => {
  it("matches the whole-snapshot result for that customer and ignores other customers' documents", () => {
    const snapshot = ledger({
      customers: [customer("C1"), customer("C2")],
      invoices: [
        invoice("I1", "2024-01-01", "2024-01-31", 10_000, "C1"),
        invoice("I2", "2024-01-01", "2024-01-31", 10_000, "C2"),
        invoice("I3", "2024-02-01", "2024-02-15", 5_000, "C1"),
      ],
      payments: [
        payment("2024-01-10", 12_000, null, "C1"),
        payment("2024-01-10", 9_000, null, "C2"),
      ],
      adjustments: [adjustment("offset", "2024-02-20", 1_000, "I3", "C1")],
    });
    const one = customerOpenItems("C1", snapshot, "2024-02-29");
    const all = openItemsAsOf(snapshot, "2024-02-29");
    expect(one).toEqual(all.customers.find((row) => row.customerCode === "C1"));
    expect(one).toMatchObject({ arTotal: 2_000, unappliedCredit: 0 });
    expect(one.invoices.map((row) => [row.invoiceNo, row.openAmount])).toEqual([
      ["I1", 0],
      ["I3", 2_000],
    ]);
  });
});
