/**
 * A deliberately naive second reading of KPIS.md sections 3-4, for the property tests.
 *
 * Written without looking at the engine's structure and sharing no code with app/kernel or app/features:
 * dates go through Date.UTC day numbers, sums walk the calendar day by day, the pool picks the
 * oldest remaining invoice by scanning, and period boundaries are found by stepping back one
 * day at a time. Slow on purpose; obviously right is the point.
 *
 * It follows the same two readings the engine documents: the countback stops once the
 * receivables are used up, and a document naming an invoice that is not its own customer's
 * invoice issued <= D joins the pool.
 */
import type { InvoiceRecord, LedgerSnapshot } from "~/kernel/ledger/types";
import type { KpiValues } from "~/features/kpi/kpis";

const MS_PER_DAY = 24 * 60 * 60 * 1000;

export function dayNumber(iso: string): number {
  const [year = 0, month = 1, day = 1] = iso.split("-").map(Number);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function isoOfDayNumber(dayNo: number): string {
  return new Date(dayNo * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOf(dayNo: number): number {
  return new Date(dayNo * MS_PER_DAY).getUTCFullYear();
}
function monthOf(dayNo: number): number {
  return new Date(dayNo * MS_PER_DAY).getUTCMonth() + 1;
}
function dayOfMonthOf(dayNo: number): number {
  return new Date(dayNo * MS_PER_DAY).getUTCDate();
}

function compareStringsByCodeUnit(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

function isOlder(a: InvoiceRecord, b: InvoiceRecord): boolean {
  if (dayNumber(a.dueDate) !== dayNumber(b.dueDate))
    return dayNumber(a.dueDate) < dayNumber(b.dueDate);
  if (dayNumber(a.issueDate) !== dayNumber(b.issueDate))
    return dayNumber(a.issueDate) < dayNumber(b.issueDate);
  return compareStringsByCodeUnit(a.invoiceNo, b.invoiceNo) < 0;
}

export interface ReferenceOpenItems {
  /** invoiceNo -> open amount, for invoices issued <= D */
  open: Map<string, number>;
  /** customer code -> unapplied credit */
  unapplied: Map<string, number>;
}

export function referenceOpenItems(snapshot: LedgerSnapshot, asOf: string): ReferenceOpenItems {
  const d = dayNumber(asOf);
  const open = new Map<string, number>();
  const unapplied = new Map<string, number>();
  const documents = [...snapshot.payments, ...snapshot.adjustments];

  const codes: string[] = [];
  const addCode = (code: string) => {
    if (!codes.includes(code)) codes.push(code);
  };
  snapshot.customers.forEach((c) => addCode(c.code));
  snapshot.invoices
    .filter((i) => dayNumber(i.issueDate) <= d)
    .forEach((i) => addCode(i.customerCode));
  documents.filter((doc) => dayNumber(doc.date) <= d).forEach((doc) => addCode(doc.customerCode));

  for (const code of codes) {
    const invoices = snapshot.invoices.filter(
      (i) => i.customerCode === code && dayNumber(i.issueDate) <= d
    );
    const myDocuments = documents.filter(
      (doc) => doc.customerCode === code && dayNumber(doc.date) <= d
    );
    let pool = 0;

    // Documents that name none of this customer's invoices at D go straight to the pool.
    for (const doc of myDocuments) {
      if (!invoices.some((i) => i.invoiceNo === doc.invoiceNo)) pool += doc.amount;
    }
    // Per invoice: whatever named it, up to its amount, reduces it; the rest goes to the pool.
    const remaining = new Map<string, number>();
    for (const inv of invoices) {
      let naming = 0;
      for (const doc of myDocuments) if (doc.invoiceNo === inv.invoiceNo) naming += doc.amount;
      remaining.set(inv.invoiceNo, naming >= inv.amount ? 0 : inv.amount - naming);
      if (naming > inv.amount) pool += naming - inv.amount;
    }
    // The pool, oldest invoice first: scan for the oldest not yet visited, again and again.
    const visited = new Set<string>();
    while (visited.size < invoices.length) {
      let oldest: InvoiceRecord | null = null;
      for (const inv of invoices) {
        if (!visited.has(inv.invoiceNo) && (oldest === null || isOlder(inv, oldest))) oldest = inv;
      }
      const inv = oldest!;
      visited.add(inv.invoiceNo);
      const left = remaining.get(inv.invoiceNo)!;
      const take = pool < left ? pool : left;
      remaining.set(inv.invoiceNo, left - take);
      pool -= take;
    }
    for (const inv of invoices) open.set(inv.invoiceNo, remaining.get(inv.invoiceNo)!);
    unapplied.set(code, pool);
  }
  return { open, unapplied };
}

function sumEachDay(from: number, to: number, amountOn: (dayNo: number) => number): number {
  let total = 0;
  for (let day = from; day <= to; day += 1) total += amountOn(day);
  return total;
}

function salesOn(snapshot: LedgerSnapshot, dayNo: number): number {
  let total = 0;
  for (const inv of snapshot.invoices) if (dayNumber(inv.issueDate) === dayNo) total += inv.amount;
  return total;
}

interface Balances {
  arTotal: number;
  current: number;
  overdue: number;
}

function balancesAt(snapshot: LedgerSnapshot, asOf: string): Balances {
  const { open } = referenceOpenItems(snapshot, asOf);
  const balances = { arTotal: 0, current: 0, overdue: 0 };
  for (const inv of snapshot.invoices) {
    const amount = open.get(inv.invoiceNo);
    if (amount === undefined) continue;
    balances.arTotal += amount;
    if (dayNumber(asOf) - dayNumber(inv.dueDate) > 0) balances.overdue += amount;
    else balances.current += amount;
  }
  return balances;
}

export interface ReferenceOptions {
  asOf: string;
  periodStart?: string;
  baseline?: string;
  fiscalStartMonth: number;
}

export function referenceKpis(snapshot: LedgerSnapshot, options: ReferenceOptions): KpiValues {
  const { asOf, fiscalStartMonth } = options;
  const d = dayNumber(asOf);

  // Step back to the 1st of a month that starts a fiscal quarter.
  let p0 = d;
  while (!(dayOfMonthOf(p0) === 1 && (monthOf(p0) - fiscalStartMonth + 12) % 3 === 0)) p0 -= 1;
  if (options.periodStart !== undefined) p0 = dayNumber(options.periodStart);
  // Step back to the 1st of the fiscal start month; the day before ends the previous fiscal year.
  let fiscalYearFirst = d;
  while (!(dayOfMonthOf(fiscalYearFirst) === 1 && monthOf(fiscalYearFirst) === fiscalStartMonth))
    fiscalYearFirst -= 1;
  const baseline = options.baseline ?? isoOfDayNumber(fiscalYearFirst - 1);

  const { open, unapplied } = referenceOpenItems(snapshot, asOf);
  const aging = {
    current: 0,
    "1_30": 0,
    "31_60": 0,
    "61_90": 0,
    "91_180": 0,
    "181_365": 0,
    over_365: 0,
  };
  const agingByIssue = { "0_365": 0, "366_730": 0, "731_1095": 0, over_1095: 0 };
  const overdueByCustomer = new Map<string, number>();
  const arByCustomer = new Map<string, number>();
  for (const inv of snapshot.invoices) {
    const amount = open.get(inv.invoiceNo);
    if (amount === undefined) continue;
    arByCustomer.set(inv.customerCode, (arByCustomer.get(inv.customerCode) ?? 0) + amount);
    const dpd = d - dayNumber(inv.dueDate);
    if (dpd <= 0) aging.current += amount;
    else {
      overdueByCustomer.set(
        inv.customerCode,
        (overdueByCustomer.get(inv.customerCode) ?? 0) + amount
      );
      if (dpd <= 30) aging["1_30"] += amount;
      else if (dpd <= 60) aging["31_60"] += amount;
      else if (dpd <= 90) aging["61_90"] += amount;
      else if (dpd <= 180) aging["91_180"] += amount;
      else if (dpd <= 365) aging["181_365"] += amount;
      else aging.over_365 += amount;
    }
    const age = d - dayNumber(inv.issueDate);
    if (age <= 365) agingByIssue["0_365"] += amount;
    else if (age <= 730) agingByIssue["366_730"] += amount;
    else if (age <= 1095) agingByIssue["731_1095"] += amount;
    else agingByIssue.over_1095 += amount;
  }

  const now = balancesAt(snapshot, asOf);
  const opening = balancesAt(snapshot, isoOfDayNumber(p0 - 1)).arTotal;
  const atBaseline = balancesAt(snapshot, baseline).overdue;

  const sales90 = sumEachDay(d - 89, d, (day) => salesOn(snapshot, day));
  const billed = sumEachDay(p0, d, (day) => salesOn(snapshot, day));
  const collected = sumEachDay(p0, d, (day) => {
    let total = 0;
    for (const p of snapshot.payments) if (dayNumber(p.date) === day) total += p.amount;
    for (const a of snapshot.adjustments)
      if (a.type === "offset" && dayNumber(a.date) === day) total += a.amount;
    return total;
  });
  const writtenOff = sumEachDay(p0, d, (day) => {
    let total = 0;
    for (const a of snapshot.adjustments)
      if (a.type === "write_off" && dayNumber(a.date) === day) total += a.amount;
    return total;
  });

  // Countback: month by month from D's month; the first month ends at D.
  let remaining = now.arTotal;
  let countback = 0;
  let monthEndDay = d;
  for (let month = 1; month <= 36 && remaining > 0; month += 1) {
    const monthFirstDay = dayNumber(
      `${yearOf(monthEndDay)}-${String(monthOf(monthEndDay)).padStart(2, "0")}-01`
    );
    const n = monthEndDay - monthFirstDay + 1;
    const s = sumEachDay(monthFirstDay, monthEndDay, (day) => salesOn(snapshot, day));
    if (remaining >= s) {
      remaining -= s;
      countback += n;
    } else {
      countback += (n * remaining) / s;
      break;
    }
    monthEndDay = monthFirstDay - 1;
  }

  const dso = sales90 === 0 ? null : (now.arTotal / sales90) * 90;
  const bpdso = sales90 === 0 ? null : (now.current / sales90) * 90;
  let unappliedTotal = 0;
  unapplied.forEach((amount) => (unappliedTotal += amount));
  let customersOverdue = 0;
  overdueByCustomer.forEach((amount) => (customersOverdue += amount > 0 ? 1 : 0));
  let customersOverLimit = 0;
  for (const c of snapshot.customers) {
    if (
      c.creditLimit !== null &&
      c.creditLimit > 0 &&
      (arByCustomer.get(c.code) ?? 0) > c.creditLimit
    )
      customersOverLimit += 1;
  }
  const ceiDenominator = opening + billed - now.current;

  return {
    ar_total: now.arTotal,
    unapplied_credit: unappliedTotal,
    current: now.current,
    overdue_total: now.overdue,
    overdue_ratio: now.arTotal === 0 ? null : now.overdue / now.arTotal,
    aging,
    aging_by_issue: agingByIssue,
    credit_sales_90d: sales90,
    dso,
    dso_countback: countback,
    bpdso,
    add: dso === null || bpdso === null ? null : dso - bpdso,
    billed,
    collected,
    collection_rate: opening + billed === 0 ? null : collected / (opening + billed),
    cei: ceiDenominator === 0 ? null : ((opening + billed - now.arTotal) / ceiDenominator) * 100,
    written_off: writtenOff,
    bad_debt_ratio: billed === 0 ? null : writtenOff / billed,
    overdue_at_baseline: atBaseline,
    overdue_reduction: atBaseline === 0 ? null : (atBaseline - now.overdue) / atBaseline,
    customers_overdue: customersOverdue,
    customers_over_limit: customersOverLimit,
  };
}
