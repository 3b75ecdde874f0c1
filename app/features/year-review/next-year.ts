/**
 * Next year's receivables, month by month: the projection the review's "next year's measures"
 * section shows (and the workbook exports). Pure: next-year.server.ts reads the kept figures (the
 * KPI summaries' running sales, the forecast's payment behaviour, the customers' status
 * positions); this only works them out.
 *
 * The method, in the order it runs:
 *
 * 1. Seasonality. Each past fiscal year with sales gives every month its share of the year's
 *    credit sales; a month's seasonal share is the average of its shares over those years
 *    (1/12 each without any sales). The shares add up to 1.
 * 2. Sales. Next year's total is the reviewed year's total × (1 + growth %), split over the
 *    months by the shares (rounded on the running total, so the months add up to the year). Each
 *    month's sales are issued evenly over its days.
 * 3. The collection cycle. An invoice is expected paid after its payment terms (days from issue
 *    to due date) plus its customer's days late, both amount-weighted averages over the invoices
 *    the customer paid in the reviewed year — the forecast's behaviour, with its fallbacks to the
 *    grade's and the company's when the customer paid nothing. The customers' cycles are averaged
 *    weighted by their sales in the reviewed year, and rounded to whole days (0–365): D.
 * 4. Collections. A day's sales come in D days later. The opening balance (the receivables at the
 *    reviewed year's end, from the KPI service) runs off as the sales of the reviewed year's last
 *    D days would: each of those days' share of their total is collected D days after it was
 *    issued (evenly over D days when those days had no sales; at once when D is 0). So the whole
 *    opening balance is expected in within D days: balances older than the cycle are not kept
 *    apart (the forecast's roll rates do that for the coming weeks).
 * 5. Each month end: receivables = opening + sales to date − collections to date; DSO =
 *    receivables ÷ the sales of the 90 days to that day × 90 (the reviewed year's sales fill the
 *    first months' 90 days), as the KPI register counts it. With a DSO target, the receivables
 *    the target allows are target × those 90 days' sales ÷ 90 and the gap is what the projection
 *    leaves above them: the push planner's formulas (forecast/push.ts).
 *
 * Amounts are integer minor units at the month ends (fractional inside); a month's collections
 * are its sales less the change in receivables, so every month adds up exactly.
 */
import { addDays, addMonths, datePartsOf, days, daysInMonth, monthEnd } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { type PaymentBehaviour, dsoReductionNeeded, latenessOf, receivablesAtDso } from "~/features/forecast";
import { formatAmount } from "~/kernel/money";
import { wanNumber } from "~/features/year-review/report-draft";

export const MAX_GROWTH_PCT = 500;
export const MIN_GROWTH_PCT = -100;
export const MAX_DSO_TARGET = 365;
const DSO_WINDOW = 90;
const MAX_CYCLE = 365;

/** A customer's sales in the reviewed year and where its payment behaviour is looked up. */
export interface CycleCustomer {
  id: number;
  grade: string | null;
  sales: number;
}

export interface CycleInputs {
  customers: readonly CycleCustomer[];
  behaviour: ReadonlyMap<number, PaymentBehaviour>;
  gradeBehaviour: ReadonlyMap<string, PaymentBehaviour>;
  companyBehaviour: PaymentBehaviour;
}

export interface CollectionCycle {
  /** amount-weighted days from issue to due date */
  termsDays: number;
  /** amount-weighted days from due date to payment (negative: early) */
  lateDays: number;
  /** whole days from issue to payment the projection uses (0–365) */
  days: number;
  /** false when no paid invoice was found at all: the cycle is 0 and says nothing */
  measured: boolean;
}

/** The payment terms of a behaviour: Σ amount × (issue→payment − due→payment) ÷ Σ amount. */
function termsOf(behaviour: PaymentBehaviour): number {
  return (behaviour.payAmountDays - behaviour.lateAmountDays) / behaviour.paidAmount;
}

/**
 * The collection cycle (step 3): each customer with sales takes its own behaviour, else its
 * grade's, else the company's (the forecast's `latenessOf` order), weighted by its sales.
 */
export function collectionCycle(inputs: CycleInputs): CollectionCycle {
  let weight = 0;
  let terms = 0;
  let late = 0;
  const pick = (customer: CycleCustomer | undefined): PaymentBehaviour | null => {
    const source = latenessOf(customer ? { id: customer.id, code: "", name: "", grade: customer.grade, apart: null } : undefined, inputs).source;
    if (source === "customer" && customer) return inputs.behaviour.get(customer.id) ?? null;
    if (source === "grade" && customer?.grade) return inputs.gradeBehaviour.get(customer.grade) ?? null;
    if (source === "company") return inputs.companyBehaviour;
    return null;
  };
  for (const customer of inputs.customers) {
    if (customer.sales <= 0) continue;
    const behaviour = pick(customer);
    if (!behaviour || behaviour.paidAmount <= 0) continue;
    weight += customer.sales;
    terms += customer.sales * termsOf(behaviour);
    late += customer.sales * (behaviour.lateAmountDays / behaviour.paidAmount);
  }
  if (weight === 0) {
    const company = pick(undefined);
    if (!company || company.paidAmount <= 0) return { termsDays: 0, lateDays: 0, days: 0, measured: false };
    weight = 1;
    terms = termsOf(company);
    late = company.lateAmountDays / company.paidAmount;
  }
  const termsDays = terms / weight;
  const lateDays = late / weight;
  return { termsDays, lateDays, days: cycleDays(termsDays + lateDays), measured: true };
}

/** Whole days from issue to payment, 0–365. */
export function cycleDays(value: number): number {
  return Math.min(MAX_CYCLE, Math.max(0, Math.round(Number.isFinite(value) ? value : 0)));
}

/** Step 1: each month's average share of its year's sales (fiscal order), over the years with sales. */
export function seasonality(years: readonly (readonly number[])[]): number[] {
  const withSales = years.filter((year) => year.reduce((a, b) => a + b, 0) > 0);
  if (withSales.length === 0) return Array.from({ length: 12 }, () => 1 / 12);
  return Array.from({ length: 12 }, (_, m) => {
    const sum = withSales.reduce((acc, year) => acc + (year[m] ?? 0) / year.reduce((a, b) => a + b, 0), 0);
    return sum / withSales.length;
  });
}

/** Step 2: the year's total split by the shares, rounded on the running total. */
export function splitByShares(total: number, shares: readonly number[]): number[] {
  let cumulative = 0;
  let before = 0;
  return shares.map((share) => {
    cumulative += share;
    const upTo = Math.round(total * cumulative);
    const month = upTo - before;
    before = upTo;
    return month;
  });
}

export interface NextYearInputs {
  /** next fiscal year's first day */
  start: IsoDate;
  /** credit sales by month (fiscal order, 12 each) of the past fiscal years, oldest first; the last is the reviewed year */
  years: readonly (readonly number[])[];
  /** receivables at the reviewed year's last day */
  opening: number;
  /** whole days from issue to payment (collectionCycle().days) */
  cycleDays: number;
}

export interface Scenario {
  /** sales growth over the reviewed year, in % (−100 to 500) */
  growthPct: number;
  /** days; null: no target */
  dsoTarget: number | null;
}

export interface NextYearMonth {
  /** "YYYY-MM" */
  month: string;
  monthEnd: IsoDate;
  sales: number;
  collections: number;
  receivables: number;
  /** receivables ÷ the last 90 days' sales × 90; null without sales in them */
  dso: number | null;
  /** sales of the 90 days to the month end (rounded) */
  sales90: number;
  /** what the DSO target allows; null without a target or without sales */
  targetReceivables: number | null;
  /** the receivables above what the target allows (0 when met); null as targetReceivables */
  gap: number | null;
}

export interface NextYearProjection {
  shares: number[];
  baseSales: number;
  totalSales: number;
  opening: number;
  cycleDays: number;
  months: NextYearMonth[];
  /** receivables at the year's last month end */
  closing: number;
}

/** Steps 2, 4 and 5: the twelve months of next year for a scenario. */
export function projectNextYear(inputs: NextYearInputs, scenario: Scenario): NextYearProjection {
  const reviewed = inputs.years[inputs.years.length - 1] ?? [];
  const baseSales = reviewed.reduce((a, b) => a + b, 0);
  const shares = seasonality(inputs.years);
  const totalSales = Math.max(0, Math.round(baseSales * (1 + scenario.growthPct / 100)));
  const monthSales = splitByShares(totalSales, shares);
  const D = cycleDays(inputs.cycleDays);
  const previousStart = addMonths(inputs.start, -12);
  const before = days(previousStart, inputs.start);
  const nextEnd = addDays(addMonths(inputs.start, 12), -1);
  const after = days(inputs.start, nextEnd) + 1;

  // daily sales from the reviewed year's first day (index 0) to next year's last; prefix sums
  const daily = new Float64Array(before + after);
  const spread = (first: IsoDate, offset: number, months: readonly number[]) => {
    let index = offset;
    for (let m = 0; m < 12; m++) {
      const { year, month } = datePartsOf(addMonths(first, m));
      const length = daysInMonth(year, month);
      for (let d = 0; d < length; d++) daily[index + d] = (months[m] ?? 0) / length;
      index += length;
    }
  };
  spread(previousStart, 0, reviewed);
  spread(inputs.start, before, monthSales);
  const prefix = new Float64Array(daily.length + 1);
  for (let i = 0; i < daily.length; i++) prefix[i + 1] = (prefix[i] ?? 0) + (daily[i] ?? 0);
  /** Σ daily over the day offsets [from, to] from next year's first day (clipped to the arrays) */
  const sum = (from: number, to: number) => {
    const a = Math.max(0, from + before);
    const b = Math.min(daily.length - 1, to + before);
    return b < a ? 0 : (prefix[b + 1] ?? 0) - (prefix[a] ?? 0);
  };
  const pipeline = sum(-D, -1);
  const openingCollected = (t: number) => {
    if (D === 0) return inputs.opening;
    const through = Math.min(t - D, -1);
    if (through < -D) return 0;
    return pipeline > 0 ? (inputs.opening * sum(-D, through)) / pipeline : (inputs.opening * (through + D + 1)) / D;
  };
  const receivablesAt = (t: number) => inputs.opening - openingCollected(t) + sum(0, t) - sum(0, t - D);

  const months: NextYearMonth[] = [];
  let previous = inputs.opening;
  for (let m = 0; m < 12; m++) {
    const first = addMonths(inputs.start, m);
    const end = monthEnd(first);
    const t = days(inputs.start, end);
    const receivables = Math.round(receivablesAt(t));
    const sales = monthSales[m] ?? 0;
    const sales90 = Math.round(sum(t - DSO_WINDOW + 1, t));
    const target = scenario.dsoTarget !== null && sales90 > 0 ? receivablesAtDso(scenario.dsoTarget, sales90) : null;
    months.push({
      month: first.slice(0, 7),
      monthEnd: end,
      sales,
      collections: sales + previous - receivables,
      receivables,
      dso: sales90 > 0 ? (receivables / sales90) * DSO_WINDOW : null,
      sales90,
      targetReceivables: target,
      gap: scenario.dsoTarget !== null ? dsoReductionNeeded(receivables, scenario.dsoTarget, sales90) : null,
    });
    previous = receivables;
  }
  return {
    shares,
    baseSales,
    totalSales,
    opening: inputs.opening,
    cycleDays: D,
    months,
    closing: months[months.length - 1]?.receivables ?? inputs.opening,
  };
}

/**
 * The report draft's sentence on next year (its "next year's measures"): the receivables projected
 * at next year's end at the reviewed year's sales (no growth, no target), in the report's language.
 */
export function projectionSentence(projection: NextYearProjection, nextFiscalYear: number, currency: string, language: "en" | "zh"): string {
  const last = projection.months[projection.months.length - 1];
  const dso = last?.dso == null ? null : (Math.round(last.dso * 10) / 10).toFixed(1);
  if (language === "zh") {
    return `按${nextFiscalYear - 1}年销售额、近三年各月销售分布、付款条件和客户回款行为测算，预计${nextFiscalYear}年末应收账款余额约${wanNumber(projection.closing)}万元${dso === null ? "" : `，DSO约${dso}天`}。`;
  }
  return `At ${nextFiscalYear - 1}'s sales, with the last three years' seasonality, the payment terms and the customers' payment behaviour, the receivables at the end of ${nextFiscalYear} are projected at ${formatAmount(projection.closing, { locale: "en", currency })}${dso === null ? "" : `, a DSO of about ${dso} days`}.`;
}
