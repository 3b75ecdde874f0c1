import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeKpis, kpiJson, resolveKpiPeriod } from "~/features/kpi/kpis";
import { ADJUSTMENT_TYPES, type LedgerSnapshot } from "~/kernel/ledger/types";
import { openInvoicesOf, openItemsAsOf } from "~/kernel/ledger/open-items";
import {
  dayNumber,
  isoOfDayNumber,
  referenceKpis,
  referenceOpenItems,
} from "../../support/reference-kpis";
import { defined } from "../../../support/defined";

// Dates are drawn as offsets back from the as-of date D (negative = after D), mixing random
// days with the contract's edges so every boundary is hit often: aging (dpd 0/1, 30/31, ...),
// issue-age bands, the 90-day window (D - 89 / D - 90), month ends and quarter starts (random D).
const AS_OF_FIRST = dayNumber("2023-01-01");
const AS_OF_DAYS = 3 * 365;

const CUSTOMER_CODES = ["C1", "C2", "C3"];
// Numbers chosen so code-unit order differs from numeric and locale order.
const INVOICE_NOS = [
  "INV-1",
  "INV-2",
  "INV-9",
  "INV-10",
  "inv-3",
  "Inv-5",
  "a-1",
  "B",
  "INV-01",
  "发票-1",
  "b-2",
  "Z",
];

const EDGE_OFFSETS = [
  -30, -1, 0, 1, 10, 30, 31, 40, 41, 60, 61, 70, 89, 90, 91, 180, 181, 365, 366, 730, 731, 1095,
  1096,
];
const offset = fc.oneof(fc.integer({ min: -60, max: 1_200 }), fc.constantFrom(...EDGE_OFFSETS));
const amount = fc.oneof(fc.integer({ min: 1, max: 500_000 }), fc.constantFrom(100, 1_000, 5_000));
const invoiceRef = fc.oneof(fc.constant(null), fc.constantFrom(...INVOICE_NOS, "UNKNOWN-1"));

/** [days before D issued, payment terms in days]: how an invoice sits relative to D. */
const invoiceTiming = fc.oneof(
  // Issue-age edges with any terms.
  fc.tuple(offset, fc.constantFrom(0, 30, 45, 60, 90, 400)),
  // Days-past-due edges: dpd = issued - terms.
  fc
    .tuple(fc.constantFrom(...EDGE_OFFSETS), fc.constantFrom(0, 30, 60))
    .map(([dpd, terms]) => [dpd + terms, terms] as [number, number]),
  // Shared due dates with different (or equal) issue dates, to exercise the pool's tie-breaks.
  fc.constantFrom<[number, number]>([40, 30], [70, 60], [40, 30], [10, 0], [100, 90]),
  fc.constant<[number, number]>([40, 30])
);

function ledgerArbitrary(asOfDay: number): fc.Arbitrary<LedgerSnapshot> {
  const dateBack = (daysBack: number) => isoOfDayNumber(asOfDay - daysBack);
  return fc
    .record({
      // Limits equal to typical balances make "exactly at the limit" common.
      creditLimits: fc.array(
        fc.option(
          fc.oneof(fc.constantFrom(0, 100, 1_000, 5_000), fc.integer({ min: 1, max: 800_000 }))
        ),
        {
          minLength: 3,
          maxLength: 3,
        }
      ),
      // C3 (and others) are sometimes missing from the customer list while their documents exist.
      customerCount: fc.integer({ min: 0, max: 3 }),
      invoiceNos: fc.uniqueArray(fc.constantFrom(...INVOICE_NOS), {
        maxLength: INVOICE_NOS.length,
      }),
      invoiceFacts: fc.array(
        fc.record({ customer: fc.constantFrom(...CUSTOMER_CODES), timing: invoiceTiming, amount }),
        {
          minLength: INVOICE_NOS.length,
          maxLength: INVOICE_NOS.length,
        }
      ),
      payments: fc.array(
        fc.record({
          customer: fc.constantFrom(...CUSTOMER_CODES),
          back: offset,
          amount,
          invoiceNo: invoiceRef,
        }),
        { maxLength: 12 }
      ),
      adjustments: fc.array(
        fc.record({
          customer: fc.constantFrom(...CUSTOMER_CODES),
          back: offset,
          amount,
          invoiceNo: invoiceRef,
          type: fc.constantFrom(...ADJUSTMENT_TYPES),
        }),
        { maxLength: 8 }
      ),
    })
    .map(({ creditLimits, customerCount, invoiceNos, invoiceFacts, payments, adjustments }) => ({
      customers: CUSTOMER_CODES.slice(0, customerCount).map((code, index) => ({
        code,
        name: code,
        region: null,
        ownerEmail: null,
        creditGrade: null,
        creditLimit: creditLimits[index] ?? null, // three limits, one per possible customer
        paymentTermsDays: 30,
      })),
      invoices: invoiceNos.map((invoiceNo, index) => {
        const { customer, timing, amount: invoiceAmount } = defined(invoiceFacts[index], "the invoice's facts");
        const [issuedBack, terms] = timing;
        return {
          invoiceNo,
          customerCode: customer,
          issueDate: dateBack(issuedBack),
          dueDate: dateBack(issuedBack - terms),
          amount: invoiceAmount,
        };
      }),
      payments: payments.map((p, index) => ({
        paymentNo: `P${index}`,
        customerCode: p.customer,
        date: dateBack(p.back),
        amount: p.amount,
        invoiceNo: p.invoiceNo,
      })),
      adjustments: adjustments.map((a, index) => ({
        adjustmentNo: `A${index}`,
        customerCode: a.customer,
        date: dateBack(a.back),
        amount: a.amount,
        type: a.type,
        invoiceNo: a.invoiceNo,
      })),
    }));
}

interface Case {
  snapshot: LedgerSnapshot;
  options: { asOf: string; periodStart?: string; baseline?: string; fiscalStartMonth: number };
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .integer({ min: 0, max: AS_OF_DAYS })
  .chain((asOfIndex) => {
    const asOfDay = AS_OF_FIRST + asOfIndex;
    const options = fc
      .record({
        // Period starts and baselines on the same edge offsets as the documents.
        periodBack: fc.option(
          fc.oneof(fc.integer({ min: 0, max: 800 }), fc.constantFrom(0, 1, 10, 40, 41, 70, 89))
        ),
        baselineBack: fc.option(fc.oneof(offset, fc.integer({ min: -200, max: 1_200 }))),
        fiscalStartMonth: fc.oneof(fc.constantFrom(1, 4, 7, 10), fc.integer({ min: 1, max: 12 })),
      })
      .map(({ periodBack, baselineBack, fiscalStartMonth }) => ({
        asOf: isoOfDayNumber(asOfDay),
        periodStart: periodBack === null ? undefined : isoOfDayNumber(asOfDay - periodBack),
        baseline: baselineBack === null ? undefined : isoOfDayNumber(asOfDay - baselineBack),
        fiscalStartMonth,
      }));
    return fc.record({ snapshot: ledgerArbitrary(asOfDay), options });
  });

describe("KPI engine against the naive reference", () => {
  it("gives the same open amount for every invoice and the same unapplied credit per customer", () => {
    fc.assert(
      fc.property(caseArbitrary, ({ snapshot, options: { asOf } }) => {
        const engine = openItemsAsOf(snapshot, asOf);
        const reference = referenceOpenItems(snapshot, asOf);
        const engineOpen = new Map(
          openInvoicesOf(engine).map((row) => [row.invoiceNo, row.openAmount])
        );
        const engineUnapplied = new Map(
          engine.customers.map((row) => [row.customerCode, row.unappliedCredit])
        );
        expect(engineOpen).toEqual(reference.open);
        expect(engineUnapplied).toEqual(reference.unapplied);
      }),
      { numRuns: 200 }
    );
  });

  it("gives exactly the same KPI object", () => {
    fc.assert(
      fc.property(caseArbitrary, ({ snapshot, options }) => {
        expect(computeKpis(snapshot, options)).toEqual(referenceKpis(snapshot, options));
      }),
      { numRuns: 200 }
    );
  });

  it("keeps money whole: every amount in the JSON is a multiple of 0.01 that round-trips to the cents", () => {
    fc.assert(
      fc.property(caseArbitrary, ({ snapshot, options }) => {
        const values = computeKpis(snapshot, options);
        const json = kpiJson(values, {
          ...resolveKpiPeriod(options),
          scope: "company",
          currency: "CNY",
        });
        expect(Math.round(json.ar_total * 100)).toBe(values.ar_total);
        expect(Number(json.ar_total.toFixed(2))).toBe(json.ar_total);
        expect(values.ar_total).toBe(values.current + values.overdue_total);
        expect(Object.values(values.aging).reduce((sum, part) => sum + part, 0)).toBe(
          values.ar_total
        );
        expect(Object.values(values.aging_by_issue).reduce((sum, part) => sum + part, 0)).toBe(
          values.ar_total
        );
      }),
      { numRuns: 100 }
    );
  });
});
