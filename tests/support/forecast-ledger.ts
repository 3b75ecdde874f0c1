import { openLedgerConnection } from "~/server/db.server";
import { sourceFromBuffer } from "~/features/import/source";
import { importLedger } from "~/features/import/import-ledger.server";

/**
 * A small ledger for the forecast's API and CLI tests, worked by hand as of 2026-03-31.
 *
 * F1 (owner A, grade A) paid I-H1 (due 2025-10-31, 1,000.00) on 2025-11-10, 10 days late, and I-H2
 * (due 2025-12-01, 3,000.00) on 2025-12-31, 30 days late; 40 and 60 days from issue. The ledger's
 * first sales are October's and its collection curve has 90 % of its total by day 60, so its
 * run-in lasts 3 months; the days late are measured on at least the 3 full months before asOf's,
 * December to February: I-H2 alone, 30 days late with no spread (I-H1 was paid while only the
 * fast payers could have paid). Nobody else ever paid, so grade A's and the company's days late
 * are F1's too.
 *
 * | invoice | customer | due | open | days late from | expected on |
 * | I-1 | F1 (A, grade A) | 2026-03-31 | 2,000.00 | its own | 2026-04-30 |
 * | I-2 | F2 (A, grade A) | 2026-04-09 | 500.00 | grade A's | 2026-05-09 |
 * | I-3 | F3 (B, grade B) | 2026-03-20 | 800.00 | the company's | 2026-04-19 |
 *
 * Roll rates: at every month end before March nothing was 1–30 days past due, so the current
 * band is always paid (probability 1); the later bands were never seen and take the defaults
 * (half rolls on each month; over 90: 15 % paid, 5 % written off, 80 % stays), so 1–30 days is
 * eventually paid 0.5 + 0.5 × (0.5 + 0.5 × (0.5 + 0.5 × 0.75)) = 0.96875: I-3 → 775.00 expected
 * and 25.00 expected written off. Fewer than three months of collections: the range is ±20 %.
 * New sales: (0 + 800 + 2,500) ÷ 3 = 1,100.00 a month, paid 55 days after issue on average.
 */
export const FORECAST_AS_OF = "2026-03-31";

export function forecastLedgerOwners(prefix: string) {
  return { a: `${prefix}.fc.a@example.test`, b: `${prefix}.fc.b@example.test` };
}

function csv(name: string, lines: string[]) {
  return sourceFromBuffer(name, Buffer.from(`${lines.join("\n")}\n`, "utf8"));
}

export async function importForecastLedger(owners: { a: string; b: string }): Promise<void> {
  const sqlite = openLedgerConnection();
  try {
    const outcome = await importLedger(
      sqlite,
      [
        {
          layout: { kind: "customers" },
          source: csv("customers.csv", [
            "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
            `F1,Forecast One,East,${owners.a},A,0,30`,
            `F2,Forecast Two,East,${owners.a},A,0,30`,
            `F3,Forecast Three,South,${owners.b},B,0,30`,
          ]),
        },
        {
          layout: { kind: "invoices" },
          source: csv("invoices.csv", [
            "invoice_no,customer_code,issue_date,due_date,amount",
            "I-H1,F1,2025-10-01,2025-10-31,1000.00",
            "I-H2,F1,2025-11-01,2025-12-01,3000.00",
            "I-1,F1,2026-03-01,2026-03-31,2000.00",
            "I-2,F2,2026-03-10,2026-04-09,500.00",
            "I-3,F3,2026-02-18,2026-03-20,800.00",
          ]),
        },
        {
          layout: { kind: "payments" },
          source: csv("payments.csv", [
            "payment_no,customer_code,date,amount,invoice_no",
            "P-H1,F1,2025-11-10,1000.00,I-H1",
            "P-H2,F1,2025-12-31,3000.00,I-H2",
          ]),
        },
      ],
      { baseCurrency: "CNY", userId: null },
    );
    if (!outcome.ok) throw new Error(`forecast test ledger did not import:\n${outcome.report}`);
  } finally {
    sqlite.close();
  }
}
