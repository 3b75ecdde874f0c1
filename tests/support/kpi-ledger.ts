import { openLedgerConnection } from "~/server/db.server";
import { sourceFromBuffer } from "~/features/import/source";
import { importLedger } from "~/features/import/import-ledger.server";

/**
 * A four-invoice ledger for the KPI API and CLI tests, worked by hand as of 2026-03-31
 * (quarter Q1 2026: period 2026-01-01..2026-03-31; default baseline 2025-12-31).
 *
 * | invoice | customer (owner, region) | issued | due | amount | documents to 03-31 | open |
 * | I-1 | C1 (A, East) | 2025-12-01 | 2025-12-31 | 1,000.00 | P-1 400.00 names it | 600.00, 90 days past due |
 * | I-2 | C1 (A, East) | 2026-02-15 | 2026-03-17 | 500.50 | | 500.50, 14 days past due |
 * | I-3 | C2 (A, East) | 2026-03-01 | 2026-05-30 | 2,000.00 | | 2,000.00, current |
 * | I-4 | C3 (B, South) | 2025-11-01 | 2025-12-01 | 800.00 | A-1 write-off 100.00 names it, P-2 300.00 pool | 400.00, 120 days |
 *
 * Company: ar_total 3,500.50; overdue_total 1,500.50; current 2,000.00; billed (Q1) 2,500.50;
 * collected 700.00 (payments only: a write-off is not a collection); written_off 100.00;
 * ar at 2025-12-31 1,800.00 of which 800.00 overdue (I-1 was due that day: current), so
 * overdue_at_baseline 800.00 and collection_rate 700 / (1,800 + 2,500.50); customers_overdue 2
 * (C1, C3); customers_over_limit 1 (C1: 1,100.50 over 1,000.00; C2's limit 0 means none).
 * Owner A (C1 + C2): ar_total 3,100.50, overdue 1,100.50.
 */
export const KPI_AS_OF = "2026-03-31";

export function kpiLedgerOwners(prefix: string) {
  return { a: `${prefix}.owner.a@example.test`, b: `${prefix}.owner.b@example.test` };
}

function csv(name: string, lines: string[]) {
  return sourceFromBuffer(name, Buffer.from(`${lines.join("\n")}\n`, "utf8"));
}

/** Imports the ledger through the real engine into DATABASE_URL; owners' users should exist first. */
export async function importKpiLedger(owners: { a: string; b: string }): Promise<void> {
  const sqlite = openLedgerConnection();
  try {
    const outcome = await importLedger(
      sqlite,
      [
        {
          layout: { kind: "customers" },
          source: csv("customers.csv", [
            "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
            `C1,East One 华东一号,East,${owners.a},A,1000,30`,
            `C2,East Two 华东二号,East,${owners.a},B,0,30`,
            `C3,South Three 华南三号,South,${owners.b},A,500,30`,
          ]),
        },
        {
          layout: { kind: "invoices" },
          source: csv("invoices.csv", [
            "invoice_no,customer_code,issue_date,due_date,amount",
            "I-1,C1,2025-12-01,2025-12-31,1000.00",
            "I-2,C1,2026-02-15,2026-03-17,500.50",
            "I-3,C2,2026-03-01,2026-05-30,2000.00",
            "I-4,C3,2025-11-01,2025-12-01,800.00",
          ]),
        },
        {
          layout: { kind: "payments" },
          source: csv("payments.csv", [
            "payment_no,customer_code,date,amount,invoice_no",
            "P-1,C1,2026-01-20,400.00,I-1",
            "P-2,C3,2026-02-10,300.00,",
          ]),
        },
        {
          layout: { kind: "adjustments" },
          source: csv("adjustments.csv", [
            "adjustment_no,customer_code,date,amount,type,invoice_no",
            "A-1,C3,2026-03-10,100.00,write_off,I-4",
          ]),
        },
      ],
      { baseCurrency: "CNY", userId: null },
    );
    if (!outcome.ok) throw new Error(`KPI test ledger did not import:\n${outcome.report}`);
  } finally {
    sqlite.close();
  }
}
