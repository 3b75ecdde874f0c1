import { getDb } from "~/server/db.server";
import { toEpochDay, fromEpochDay } from "~/kernel/dates";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import type { IsoDate } from "~/kernel/ledger/types";
import { loadLedgerSnapshot } from "~/features/kpi/index.server";
import { csvSource, importIntoTestDb } from "./ledger";

/**
 * A provision test ledger: NEEQ holds the published year-end table's balances at 2025-12-31 (and a
 * payment after it, so that month end is read from the kept positions), EXACT an invoice aged
 * exactly 365 days then, and R1..R6 a seeded random history from 2019 with partial, unnamed and
 * named payments, credit notes and write-offs.
 */
export const NEEQ_AS_OF = "2025-12-31";

function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const ago = (date: IsoDate, days: number) => fromEpochDay(toEpochDay(date) - days);
const money = (minor: number) => (minor / 100).toFixed(2);

export async function importProvisionLedger(owners: { a: string; b: string }): Promise<void> {
  const random = lcg(17);
  const customers = [
    `NEEQ,NEEQ company 挂牌公司,East,${owners.a},B,0,90`,
    `EXACT,Exactly a year,East,${owners.a},A,0,30`,
    `DOUBT,Doubtful debtor 可疑客户,South,${owners.b},C,0,60`,
  ];
  const invoices = [
    `N-1,NEEQ,${ago(NEEQ_AS_OF, 100)},,6922127.24`,
    `N-2,NEEQ,${ago(NEEQ_AS_OF, 500)},,2471940.56`,
    `N-3,NEEQ,${ago(NEEQ_AS_OF, 800)},,5099000.00`,
    `N-4,NEEQ,${ago(NEEQ_AS_OF, 2000)},,205000.00`,
    `E-1,EXACT,${ago(NEEQ_AS_OF, 365)},,1000.00`,
    `D-1,DOUBT,2024-03-15,,80000.00`,
    `D-2,DOUBT,2025-06-01,,20000.00`,
  ];
  const payments = [`PN-1,NEEQ,2026-02-10,1000000.00,N-1`, `PE-1,EXACT,2026-01-05,100.00,`];
  const adjustments: string[] = [];
  const start = toEpochDay("2019-01-01");
  const span = toEpochDay("2026-11-30") - start;
  for (let c = 1; c <= 6; c++) {
    const code = `R${c}`;
    customers.push(`${code},Random ${c},${c % 2 ? "East" : "South"},${c % 2 ? owners.a : owners.b},B,0,${30 * (1 + (c % 3))}`);
    const mine: { no: string; day: number; amount: number }[] = [];
    for (let i = 0; i < 14; i++) {
      const day = start + Math.floor(random() * span);
      const amount = 10_000 + Math.floor(random() * 5_000_000);
      const no = `${code}-I${i}`;
      mine.push({ no, day, amount });
      invoices.push(`${no},${code},${fromEpochDay(day)},,${money(amount)}`);
    }
    for (let p = 0; p < 12; p++) {
      const invoice = mine[Math.floor(random() * mine.length)]!;
      const day = Math.min(start + span, invoice.day + Math.floor(random() * 900));
      const amount = 1_000 + Math.floor(random() * invoice.amount * 0.7);
      const named = random() < 0.6 ? invoice.no : "";
      const kind = random();
      if (kind < 0.7) payments.push(`${code}-P${p},${code},${fromEpochDay(day)},${money(amount)},${named}`);
      else adjustments.push(`${code}-A${p},${code},${fromEpochDay(day)},${money(amount)},${kind < 0.85 ? "write_off" : "credit_note"},${named}`);
    }
  }
  await importIntoTestDb([
    { kind: "customers", source: csvSource("customers.csv", ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days", ...customers]) },
    { kind: "invoices", source: csvSource("invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", ...invoices]) },
    { kind: "payments", source: csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", ...payments]) },
    { kind: "adjustments", source: csvSource("adjustments.csv", ["adjustment_no,customer_code,date,amount,type,invoice_no", ...adjustments]) },
  ]);
}

/**
 * The naive answer: every document of the customers settled by the engine as of D, each open
 * invoice aged and put in its band one by one (minor units). `withoutWriteOffs`: as if none.
 */
export async function naiveBandBalances(
  customerCodes: string[] | null,
  asOf: IsoDate,
  basis: "issue" | "due",
  upperDays: number[],
  withoutWriteOffs = false,
): Promise<number[]> {
  const db = getDb();
  const ids = customerCodes === null ? null : (await db.selectFrom("customers").select("id").where("code", "in", customerCodes).execute()).map((row) => row.id);
  const snapshot = await loadLedgerSnapshot(db, ids, asOf);
  if (withoutWriteOffs) snapshot.adjustments = snapshot.adjustments.filter((adjustment) => adjustment.type !== "write_off");
  const balances = new Array<number>(upperDays.length + 1).fill(0);
  for (const customer of openItemsAsOf(snapshot, asOf).customers) {
    for (const invoice of customer.invoices) {
      const age = toEpochDay(asOf) - toEpochDay(basis === "issue" ? invoice.issueDate : invoice.dueDate);
      let band = 0;
      while (band < upperDays.length && age > upperDays[band]!) band++;
      balances[band]! += invoice.openAmount;
    }
  }
  return balances;
}
