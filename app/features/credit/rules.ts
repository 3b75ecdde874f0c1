/**
 * A customer's payment behaviour, measured from the ledger, and the grade the policy's rules
 * suggest for it, with the reasons as i18n keys and parameters (rendered in either language).
 *
 * Metrics as of D (the review date), over the trailing 12 months W = (D - 12 months, D]:
 * - avg_days_late: over the invoices DUE in W, the amount-weighted mean of
 *   max(0, days(due date, paid date)), where an invoice not yet paid at D counts
 *   days(due date, D) so far. Null when no invoice fell due in W.
 * - overdue_ratio: overdue_total / ar_total at D (KPIS.md section 4); null when nothing is open.
 * - broken_promises: promises and instalments broken with a due date in W
 *   (collection-actions/promises.ts).
 * - write_offs: the number of write-off adjustments dated in W.
 * - utilisation: ar_total / credit limit at D (gross, as `customers_over_limit`); null without a
 *   positive limit.
 *
 * Paid date convention (exact, from KPIS.md section 3): an invoice's paid date is the first day
 * P such that its open amount as of P, and as of every later day up to D, is zero. Credit notes,
 * offsets and write-offs settle like payments do in section 3, so a credited invoice is "paid"
 * on the credit note's date. Settlement can re-open an invoice (a later-issued invoice with an
 * earlier due date takes pool money first; a document naming an invoice not yet issued sits in
 * the pool until that invoice is issued), so the LAST time it reached zero counts, not the first.
 *
 * Ratios are kept as exact fractions of integers and compared with the thresholds (at most two
 * decimals) in integer arithmetic: "overdue ratio > 10%" is decided to the cent, never in floats.
 */
import {
  type CreditGrade,
  type CreditMetric,
  type CreditPolicy,
  type CreditRule,
  type Comparator,
  METRIC_UNIT,
  gradeRank,
} from "~/features/credit/grades";
import { addDays, addMonths, days } from "~/kernel/dates";
import type { AdjustmentRecord, InvoiceRecord, IsoDate, PaymentRecord } from "~/kernel/ledger/types";
import { compareInvoicesOldestFirst } from "~/kernel/ledger/open-items";

/** num / den, den > 0. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

export interface CreditMetrics {
  avgDaysLate: Fraction | null;
  overdueRatio: Fraction | null;
  brokenPromises: number;
  writeOffs: number;
  utilisation: Fraction | null;
}

/**
 * A reason in words: an i18n key and its parameters. Params ending in `Key` are i18n keys
 * themselves; `unit` (days / percent / count) says how `value` and `threshold` are written.
 */
export interface CreditReason {
  key: string;
  params: Record<string, string | number>;
}

const METRIC_FIELD: Record<CreditMetric, keyof CreditMetrics> = {
  avg_days_late: "avgDaysLate",
  overdue_ratio: "overdueRatio",
  broken_promises: "brokenPromises",
  write_offs: "writeOffs",
  utilisation: "utilisation",
};

/** A metric's value as a fraction in the threshold's unit (ratios in percent), or null when undefined. */
export function metricValue(metrics: CreditMetrics, metric: CreditMetric): Fraction | null {
  const value = metrics[METRIC_FIELD[metric]];
  if (value === null) return null;
  const fraction = typeof value === "number" ? { num: BigInt(value), den: 1n } : value;
  return METRIC_UNIT[metric] === "percent" ? { num: fraction.num * 100n, den: fraction.den } : fraction;
}

/** For display: the value rounded to 2 decimals in the metric's unit. */
export function metricDisplay(metrics: CreditMetrics, metric: CreditMetric): number | null {
  const value = metricValue(metrics, metric);
  if (value === null) return null;
  // Round half up on hundredths in integers, then one float division.
  const hundredths = (value.num * 200n + value.den) / (2n * value.den);
  return Number(hundredths) / 100;
}

/** Does `value comparator threshold` hold? Threshold has at most 2 decimals. */
export function compareExact(value: Fraction, comparator: Comparator, threshold: number): boolean {
  const thresholdHundredths = BigInt(Math.round(threshold * 100));
  const left = value.num * 100n;
  const right = thresholdHundredths * value.den;
  switch (comparator) {
    case "lt":
      return left < right;
    case "lte":
      return left <= right;
    case "gt":
      return left > right;
    case "gte":
      return left >= right;
  }
}

export function ruleHolds(rule: CreditRule, metrics: CreditMetrics): boolean | null {
  const value = metricValue(metrics, rule.metric);
  return value === null ? null : compareExact(value, rule.comparator, rule.threshold);
}

export type GradeChange = "promote" | "demote" | "cap" | "keep" | "ungraded";

export interface GradeSuggestion {
  currentGrade: string | null;
  suggestedGrade: string | null;
  change: GradeChange;
  reasons: CreditReason[];
}

function ruleReason(key: string, rule: CreditRule, metrics: CreditMetrics): CreditReason {
  const params: Record<string, string | number> = {
    metricKey: `credit.metric.${rule.metric}`,
    comparatorKey: `credit.comparator.${rule.comparator}`,
    threshold: rule.threshold,
    unit: METRIC_UNIT[rule.metric],
    value: metricDisplay(metrics, rule.metric) ?? "",
  };
  if (rule.toGrade) params.grade = rule.toGrade;
  return { key, params };
}

/**
 * The grade the rules suggest (grades/grades.ts has the semantics): caps first, then any
 * demotion (one step), then a promotion (one step) when every promotion rule holds. A rule whose
 * metric is undefined (nothing open, no limit, nothing fell due) neither demotes nor counts for
 * a promotion: no evidence either way. An ungraded customer (or a grade the policy does not
 * know) gets no suggestion: the first grade is the head's decision.
 */
export function suggestGrade(policy: CreditPolicy, currentGrade: string | null, metrics: CreditMetrics): GradeSuggestion {
  const rank = gradeRank(policy.grades, currentGrade);
  if (rank < 0) {
    return { currentGrade, suggestedGrade: null, change: "ungraded", reasons: [{ key: "credit.reason.ungraded", params: { grade: currentGrade ?? "" } }] };
  }
  const lowest = policy.grades.length - 1;

  // The harshest cap that holds (-1: none). It also bars promotions above it.
  let capRank = -1;
  const capReasons: CreditReason[] = [];
  for (const rule of policy.rules) {
    if (rule.action !== "to-grade" || ruleHolds(rule, metrics) !== true) continue;
    const target = gradeRank(policy.grades, rule.toGrade);
    if (target < 0) continue;
    capReasons.push(ruleReason("credit.reason.cap", rule, metrics));
    capRank = Math.max(capRank, target);
  }
  const capGrade = policy.grades[capRank];
  if (capRank > rank && capGrade) {
    return { currentGrade, suggestedGrade: capGrade.code, change: "cap", reasons: capReasons };
  }

  const demotions = policy.rules.filter((rule) => rule.action === "demote" && ruleHolds(rule, metrics) === true);
  if (demotions.length > 0) {
    const reasons = demotions.map((rule) => ruleReason("credit.reason.demote", rule, metrics));
    if (rank === lowest) {
      return { currentGrade, suggestedGrade: currentGrade, change: "keep", reasons: [...reasons, { key: "credit.reason.alreadyLowest", params: { grade: currentGrade ?? "" } }] };
    }
    // rank is below `lowest` here, so the next grade down exists
    return { currentGrade, suggestedGrade: (policy.grades[rank + 1] as CreditGrade).code, change: "demote", reasons };
  }

  if (capRank >= 0 && rank - 1 < capRank) {
    return { currentGrade, suggestedGrade: currentGrade, change: "keep", reasons: capReasons };
  }

  const promotions = policy.rules.filter((rule) => rule.action === "promote");
  const results = promotions.map((rule) => ({ rule, holds: ruleHolds(rule, metrics) }));
  if (promotions.length > 0 && results.every(({ holds }) => holds === true)) {
    const reasons = promotions.map((rule) => ruleReason("credit.reason.promote", rule, metrics));
    if (rank === 0) {
      return { currentGrade, suggestedGrade: currentGrade, change: "keep", reasons: [...reasons, { key: "credit.reason.alreadyBest", params: { grade: currentGrade ?? "" } }] };
    }
    // rank is above 0 here, so the next grade up exists
    return { currentGrade, suggestedGrade: (policy.grades[rank - 1] as CreditGrade).code, change: "promote", reasons };
  }

  const reasons: CreditReason[] = [];
  for (const { rule, holds } of results) {
    if (holds === false) reasons.push(ruleReason("credit.reason.promotionMissed", rule, metrics));
    if (holds === null) reasons.push({ key: "credit.reason.noData", params: { metricKey: `credit.metric.${rule.metric}` } });
  }
  if (reasons.length === 0) reasons.push({ key: "credit.reason.keep", params: {} });
  return { currentGrade, suggestedGrade: currentGrade, change: "keep", reasons };
}

// ---------------------------------------------------------------------------------------------
// Measuring the ledger.

/** One customer's documents (any dates). */
export interface CustomerDocuments {
  invoices: readonly InvoiceRecord[];
  payments: readonly PaymentRecord[];
  adjustments: readonly AdjustmentRecord[];
}

export interface InvoiceSettlement {
  invoice: InvoiceRecord;
  /** open amount at D */
  openAmount: number;
  /** the paid date (see the module comment); null while anything is open at D */
  paidDate: IsoDate | null;
}

/**
 * Every invoice issued <= D with its open amount at D and its paid date. Walks the days on which
 * anything happens, keeping the section 3 state incrementally (named remainders and the pool),
 * and re-applies the pool oldest first on each such day: O(event days x invoices).
 */
export function settleWithPaidDates(documents: CustomerDocuments, asOf: IsoDate): InvoiceSettlement[] {
  const invoices = documents.invoices.filter((invoice) => invoice.issueDate <= asOf);
  const byNo = new Map(invoices.map((invoice) => [invoice.invoiceNo, invoice]));
  const settlements = [...documents.payments, ...documents.adjustments]
    .filter((settlement) => settlement.date <= asOf)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const byIssue = [...invoices].sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
  const eventDays = [...new Set([...invoices.map((i) => i.issueDate), ...settlements.map((s) => s.date)])].sort();

  const namedSum = new Map<string, number>();
  const issued = new Set<string>();
  const ordered: InvoiceRecord[] = [];
  let unnamedPool = 0;
  // Pool money coming from documents that name an invoice: overflow when issued, all of it before.
  let namedPool = 0;
  const namedContribution = (invoiceNo: string) => {
    const sum = namedSum.get(invoiceNo) ?? 0;
    const invoice = byNo.get(invoiceNo);
    return invoice && issued.has(invoiceNo) ? Math.max(0, sum - invoice.amount) : sum;
  };
  const open = new Map<string, number>();
  const zeroSince = new Map<string, IsoDate | null>();

  let nextSettlement = 0;
  let nextIssue = 0;
  for (const day of eventDays) {
    for (let invoice = byIssue[nextIssue]; invoice && invoice.issueDate === day; invoice = byIssue[nextIssue]) {
      nextIssue += 1;
      const before = namedContribution(invoice.invoiceNo);
      issued.add(invoice.invoiceNo);
      namedPool += namedContribution(invoice.invoiceNo) - before;
      insertOrdered(ordered, invoice);
    }
    for (let settlement = settlements[nextSettlement]; settlement && settlement.date === day; settlement = settlements[nextSettlement]) {
      nextSettlement += 1;
      if (settlement.invoiceNo === null || !byNo.has(settlement.invoiceNo)) {
        unnamedPool += settlement.amount;
        continue;
      }
      const before = namedContribution(settlement.invoiceNo);
      namedSum.set(settlement.invoiceNo, (namedSum.get(settlement.invoiceNo) ?? 0) + settlement.amount);
      namedPool += namedContribution(settlement.invoiceNo) - before;
    }
    let pool = unnamedPool + namedPool;
    for (const invoice of ordered) {
      const left = Math.max(0, invoice.amount - (namedSum.get(invoice.invoiceNo) ?? 0));
      const fromPool = Math.min(pool, left);
      pool -= fromPool;
      const openAmount = left - fromPool;
      open.set(invoice.invoiceNo, openAmount);
      if (openAmount > 0) zeroSince.set(invoice.invoiceNo, null);
      else if (!zeroSince.get(invoice.invoiceNo)) zeroSince.set(invoice.invoiceNo, day);
    }
  }

  return ordered.map((invoice) => ({
    invoice,
    openAmount: open.get(invoice.invoiceNo) ?? invoice.amount,
    paidDate: zeroSince.get(invoice.invoiceNo) ?? null,
  }));
}

function insertOrdered(ordered: InvoiceRecord[], invoice: InvoiceRecord): void {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // lo <= mid < hi <= ordered.length
    if (compareInvoicesOldestFirst(ordered[mid] as InvoiceRecord, invoice) <= 0) lo = mid + 1;
    else hi = mid;
  }
  ordered.splice(lo, 0, invoice);
}

/** The first day of the trailing 12 months ending on D: W = (D - 12 months, D]. */
export function trailingYearStart(asOf: IsoDate): IsoDate {
  return addDays(addMonths(asOf, -12), 1);
}

export interface MeasureInput {
  documents: CustomerDocuments;
  asOf: IsoDate;
  /** minor units; null = no limit */
  creditLimit: number | null;
  /** broken promises and instalments due in the trailing 12 months (collection-actions/promises.ts) */
  brokenPromises: number;
}

export function measureCustomer({ documents, asOf, creditLimit, brokenPromises }: MeasureInput): CreditMetrics {
  const windowStart = trailingYearStart(asOf);
  const settled = settleWithPaidDates(documents, asOf);

  let weighted = 0n;
  let weight = 0n;
  let arTotal = 0;
  let overdueTotal = 0;
  for (const { invoice, openAmount, paidDate } of settled) {
    arTotal += openAmount;
    if (openAmount > 0 && days(invoice.dueDate, asOf) > 0) overdueTotal += openAmount;
    if (invoice.dueDate < windowStart || invoice.dueDate > asOf) continue;
    const late = Math.max(0, days(invoice.dueDate, paidDate ?? asOf));
    weighted += BigInt(invoice.amount) * BigInt(late);
    weight += BigInt(invoice.amount);
  }
  const writeOffs = documents.adjustments.filter(
    (adjustment) => adjustment.type === "write_off" && adjustment.date >= windowStart && adjustment.date <= asOf,
  ).length;

  return {
    avgDaysLate: weight > 0n ? { num: weighted, den: weight } : null,
    overdueRatio: arTotal > 0 ? { num: BigInt(overdueTotal), den: BigInt(arTotal) } : null,
    brokenPromises,
    writeOffs,
    utilisation: creditLimit !== null && creditLimit > 0 ? { num: BigInt(arTotal), den: BigInt(creditLimit) } : null,
  };
}

/** The grade definition of a code, when the policy has it. */
export function gradeOf(policy: CreditPolicy, code: string | null): CreditGrade | null {
  return policy.grades.find((grade) => grade.code === code) ?? null;
}
