import { describe, expect, it } from "vitest";

import { ImportContext, type LedgerResolver } from "~/features/import/context";

/** A database that the import writes into as it goes. */
function writableLedger() {
  const invoices = new Map<string, string>();
  const resolver: LedgerResolver = { customerTermsDays: () => 30, invoiceCustomer: (no) => invoices.get(no) };
  return { invoices, resolver };
}

describe("ImportContext", () => {
  it("remembers every invoice it is told about when the ledger does not see the import's writes", () => {
    const context = new ImportContext();
    context.defineInvoice("I-1", "C1");
    context.defineInvoice("I-2", "C2");
    context.defineInvoice("I-1", "C3");
    expect(context.invoiceCustomer("I-1")).toBe("C3");
    expect(context.invoiceCustomer("I-2")).toBe("C2");
    expect(context.invoiceCustomer("I-3")).toBeUndefined();
  });

  it("with ledgerSeesWrites, forgets written invoices and keeps the rest, the latest definition winning", () => {
    const ledger = writableLedger();
    ledger.invoices.set("OLD", "C9");
    const context = new ImportContext(ledger.resolver, { ledgerSeesWrites: true });

    context.defineInvoice("I-1", "C1");
    ledger.invoices.set("I-1", "C1");
    context.invoiceWritten("I-1", "C1");
    expect(context.invoiceCustomer("I-1")).toBe("C1");

    // rejected: never written, still known to the rows that follow
    context.defineInvoice("I-2", "C2");
    expect(context.invoiceCustomer("I-2")).toBe("C2");

    // a rejected redefinition of a written invoice wins over the database
    context.defineInvoice("I-1", "C5");
    expect(context.invoiceCustomer("I-1")).toBe("C5");
    // ... until a later definition is written
    context.defineInvoice("I-1", "C6");
    ledger.invoices.set("I-1", "C6");
    context.invoiceWritten("I-1", "C6");
    expect(context.invoiceCustomer("I-1")).toBe("C6");

    // a rejected definition of an invoice already in the ledger wins; "written" with another customer does not drop it
    context.defineInvoice("OLD", "C1");
    context.invoiceWritten("OLD", "C9");
    expect(context.invoiceCustomer("OLD")).toBe("C1");
    expect(context.invoiceCustomer("NONE")).toBeUndefined();
  });

  it("with ledgerSeesWrites, keeps a rejected invoice through thousands of written ones and lets the ledger answer for those", () => {
    const ledger = writableLedger();
    const context = new ImportContext(ledger.resolver, { ledgerSeesWrites: true });
    context.defineInvoice("REJECTED", "C1");
    for (let i = 0; i < 5000; i += 1) {
      context.defineInvoice(`I-${i}`, "C2");
      ledger.invoices.set(`I-${i}`, "C2");
      context.invoiceWritten(`I-${i}`, "C2");
      // a redefinition rejected later in the file (the latest definition wins)
      if (i === 4000) context.defineInvoice("I-10", "C3");
    }
    expect(context.invoiceCustomer("REJECTED")).toBe("C1");
    expect(context.invoiceCustomer("I-10")).toBe("C3");
    expect(context.invoiceCustomer("I-4999")).toBe("C2");
    // a written invoice is the ledger's to answer: what the database says now
    ledger.invoices.set("I-20", "C7");
    expect(context.invoiceCustomer("I-20")).toBe("C7");
    ledger.invoices.delete("I-30");
    expect(context.invoiceCustomer("I-30")).toBeUndefined();
  });
});
