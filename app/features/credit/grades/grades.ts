/**
 * Customer credit grades (客户信用管理等级分类) and the promotion / demotion rules, as data.
 *
 * The seed review asks for "明确各厂家还款过程中的晋级和降级规则，并根据不同等级给予一定信誉的优惠期":
 * explicit promotion and demotion rules, and a grace period (优惠期) that depends on the grade.
 * The demo ledger and the import already grade customers A (best) to D (worst), so the standard
 * set is A/B/C/D. Each grade carries its payment terms, grace days, the days overdue at which
 * shipments stop, how often it is reviewed and its limit policy. D is the seed's "不良和不稳定的
 * 企业": cash before delivery (款到发货).
 *
 * Rule semantics (evaluated in rules.ts):
 * - `to-grade`: a cap. When the condition holds the customer is at most that grade (a write-off
 *   sends anyone to D). Caps win over everything else, and no promotion goes above a cap.
 * - `demote`: any one demotion rule that holds moves the customer one grade down.
 * - `promote`: a customer moves one grade up only when EVERY promotion rule holds (a clean record
 *   on all counts), no demotion rule and no cap applies.
 *
 * Thresholds are in the metric's own unit: days, percent (ratios), or whole counts. Comparing a
 * measured ratio with a percent threshold is done exactly (rules.ts), never in floats.
 *
 * The form schema is in schema.ts; its messages are i18n keys (`credit.validation.*`).
 */
import { parseNestedFields } from "~/kernel/form-fields";

export const CREDIT_METRICS = ["avg_days_late", "overdue_ratio", "broken_promises", "write_offs", "utilisation"] as const;
export type CreditMetric = (typeof CREDIT_METRICS)[number];

/** The unit a threshold is entered in; counts are whole numbers. */
export const METRIC_UNIT: Record<CreditMetric, "days" | "percent" | "count"> = {
  avg_days_late: "days",
  overdue_ratio: "percent",
  broken_promises: "count",
  write_offs: "count",
  utilisation: "percent",
};

/** Largest sensible threshold per unit (utilisation may exceed 100%). */
export const METRIC_MAX: Record<CreditMetric, number> = {
  avg_days_late: 3650,
  overdue_ratio: 100,
  broken_promises: 1000,
  write_offs: 1000,
  utilisation: 1000,
};

export const COMPARATORS = ["lt", "lte", "gt", "gte"] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const RULE_ACTIONS = ["promote", "demote", "to-grade"] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** Strictest last: a worse grade may not get a looser policy than a better one. */
export const LIMIT_POLICIES = ["standard", "secured", "cash_before_delivery"] as const;
export type LimitPolicy = (typeof LIMIT_POLICIES)[number];

export interface CreditGrade {
  /** "A".."D"; the array order is the rank, best first */
  code: string;
  /** standard payment terms for the grade, days after the invoice date */
  paymentTermsDays: number;
  /** 优惠期: days past due before the overdue counts against the customer (holds, reviews) */
  graceDays: number;
  /** days past due at which shipments stop (停止发货); always more than the grace days */
  stopShipmentDays: number;
  /** a review every N months */
  reviewMonths: number;
  limitPolicy: LimitPolicy;
  /** credit limit guideline: months of average sales on top of the payment terms */
  limitMonthsOfSales: number;
}

export interface CreditRule {
  metric: CreditMetric;
  comparator: Comparator;
  /** in the metric's unit (METRIC_UNIT), at most 2 decimals */
  threshold: number;
  action: RuleAction;
  /** the cap of a `to-grade` rule; null otherwise */
  toGrade: string | null;
}

export interface CreditPolicy {
  grades: CreditGrade[];
  rules: CreditRule[];
}

/**
 * The standard set, from the seed's intent: better grades get longer terms, a longer grace
 * period and yearly reviews; worse grades are reviewed quarterly (the plan's quarterly credit
 * review) and D trades cash before delivery.
 */
export const STANDARD_CREDIT_POLICY: CreditPolicy = {
  grades: [
    { code: "A", paymentTermsDays: 90, graceDays: 15, stopShipmentDays: 90, reviewMonths: 12, limitPolicy: "standard", limitMonthsOfSales: 1.5 },
    { code: "B", paymentTermsDays: 60, graceDays: 10, stopShipmentDays: 60, reviewMonths: 6, limitPolicy: "standard", limitMonthsOfSales: 1.2 },
    { code: "C", paymentTermsDays: 30, graceDays: 5, stopShipmentDays: 45, reviewMonths: 3, limitPolicy: "secured", limitMonthsOfSales: 1 },
    { code: "D", paymentTermsDays: 30, graceDays: 0, stopShipmentDays: 30, reviewMonths: 3, limitPolicy: "cash_before_delivery", limitMonthsOfSales: 0.5 },
  ],
  rules: [
    { metric: "avg_days_late", comparator: "lte", threshold: 5, action: "promote", toGrade: null },
    { metric: "overdue_ratio", comparator: "lte", threshold: 10, action: "promote", toGrade: null },
    { metric: "broken_promises", comparator: "lte", threshold: 0, action: "promote", toGrade: null },
    { metric: "avg_days_late", comparator: "gt", threshold: 30, action: "demote", toGrade: null },
    { metric: "overdue_ratio", comparator: "gt", threshold: 40, action: "demote", toGrade: null },
    { metric: "broken_promises", comparator: "gte", threshold: 2, action: "demote", toGrade: null },
    { metric: "utilisation", comparator: "gt", threshold: 120, action: "demote", toGrade: null },
    { metric: "write_offs", comparator: "gte", threshold: 1, action: "to-grade", toGrade: "D" },
  ],
};

export const MAX_GRADES = 8;
export const MAX_RULES = 30;

/** 0 = best. -1 when the code is not a grade of the policy. */
export function gradeRank(grades: readonly Pick<CreditGrade, "code">[], code: string | null): number {
  return code === null ? -1 : grades.findIndex((grade) => grade.code === code);
}

// ---------------------------------------------------------------------------------------------
// Thresholds as intervals, to find contradictions.

/** A set of values `lo..hi`, each end open or closed; null = empty. */
export interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

/**
 * The values for which `metric comparator threshold` holds, within the metric's domain
 * (everything is >= 0). Counts are whole numbers, so `< 2` is `0..1` and `> 1` is `2..`: two
 * rules that leave no whole number between them do not overlap.
 */
export function ruleInterval(metric: CreditMetric, comparator: Comparator, threshold: number): Interval | null {
  const whole = METRIC_UNIT[metric] === "count";
  let interval: Interval;
  if (whole) {
    const below = comparator === "lt" ? Math.ceil(threshold) - 1 : comparator === "lte" ? Math.floor(threshold) : null;
    const above = comparator === "gt" ? Math.floor(threshold) + 1 : comparator === "gte" ? Math.ceil(threshold) : null;
    interval =
      below !== null
        ? { lo: 0, loOpen: false, hi: below, hiOpen: false }
        : { lo: above ?? 0, loOpen: false, hi: Infinity, hiOpen: true };
  } else if (comparator === "lt" || comparator === "lte") {
    interval = { lo: 0, loOpen: false, hi: threshold, hiOpen: comparator === "lt" };
  } else {
    interval = { lo: threshold, loOpen: comparator === "gt", hi: Infinity, hiOpen: true };
  }
  return isEmpty(interval) ? null : interval;
}

function isEmpty(interval: Interval): boolean {
  if (interval.lo > interval.hi) return true;
  return interval.lo === interval.hi && (interval.loOpen || interval.hiOpen);
}

export function intersect(a: Interval | null, b: Interval | null): Interval | null {
  if (!a || !b) return null;
  const [lo, loOpen] = a.lo > b.lo ? [a.lo, a.loOpen] : a.lo < b.lo ? [b.lo, b.loOpen] : [a.lo, a.loOpen || b.loOpen];
  const [hi, hiOpen] = a.hi < b.hi ? [a.hi, a.hiOpen] : a.hi > b.hi ? [b.hi, b.hiOpen] : [a.hi, a.hiOpen || b.hiOpen];
  const interval = { lo, loOpen, hi, hiOpen };
  return isEmpty(interval) ? null : interval;
}

export interface RuleConflict {
  /** index into the rules array of the rule to flag */
  index: number;
  message: string;
}

/**
 * Contradictions between rules on the same metric:
 * - the promotion rules on one metric leave no value at all (promotion impossible);
 * - a value satisfies the promotion rules and also a demotion or cap rule (the customer would
 *   be promoted and demoted at once);
 * - a `to-grade` rule names no grade of the policy.
 * The later rule of a conflicting pair is flagged, so the form marks what was just typed.
 */
export function ruleConflicts(rules: readonly CreditRule[], gradeCodes: readonly string[]): RuleConflict[] {
  const conflicts: RuleConflict[] = [];
  rules.forEach((rule, index) => {
    // A missing grade is the schema's "required"; here only a grade the policy does not have.
    if (rule.action === "to-grade" && rule.toGrade !== null && !gradeCodes.includes(rule.toGrade)) {
      conflicts.push({ index, message: "credit.validation.unknownGrade" });
    }
  });
  for (const metric of CREDIT_METRICS) {
    const onMetric = rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.metric === metric);
    const promotions = onMetric.filter(({ rule }) => rule.action === "promote");
    let promoteRange: Interval | null = { lo: 0, loOpen: false, hi: Infinity, hiOpen: true };
    for (const { rule, index } of promotions) {
      promoteRange = intersect(promoteRange, ruleInterval(metric, rule.comparator, rule.threshold));
      if (promoteRange === null) {
        conflicts.push({ index, message: "credit.validation.promotionImpossible" });
        break;
      }
    }
    if (promoteRange === null || promotions.length === 0) continue;
    const lastPromotion = promotions[promotions.length - 1]?.index ?? 0;
    for (const { rule, index } of onMetric) {
      if (rule.action === "promote") continue;
      if (intersect(promoteRange, ruleInterval(metric, rule.comparator, rule.threshold))) {
        conflicts.push({ index: Math.max(index, lastPromotion), message: "credit.validation.overlappingThresholds" });
      }
    }
  }
  return conflicts;
}

/** A worse grade may not be more generous than the grade above it on any term. */
export function gradeOrderProblems(grades: readonly CreditGrade[]): { index: number; field: keyof CreditGrade }[] {
  const problems: { index: number; field: keyof CreditGrade }[] = [];
  grades.forEach((worse, i) => {
    const better = grades[i - 1];
    if (!better) return;
    const fields: (keyof CreditGrade)[] = ["paymentTermsDays", "graceDays", "stopShipmentDays", "limitMonthsOfSales"];
    for (const field of fields) {
      // field is one of the grade's numeric fields (the list above), so both values are numbers
      if ((worse[field] as number) > (better[field] as number)) problems.push({ index: i, field });
    }
    // Worse grades are watched at least as often.
    if (worse.reviewMonths > better.reviewMonths) problems.push({ index: i, field: "reviewMonths" });
    if (LIMIT_POLICIES.indexOf(worse.limitPolicy) < LIMIT_POLICIES.indexOf(better.limitPolicy)) {
      problems.push({ index: i, field: "limitPolicy" });
    }
  });
  return problems;
}

/** A flat form post (`grades.0.graceDays=15`) as the nested object the schema reads, bounded. */
export function unflattenForm(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  return parseNestedFields(entries);
}

/**
 * A policy's version as the form carries it: a fingerprint of its grades and rules (FNV-1a,
 * twice, 64 bits in hex). A save based on a policy someone has changed since is refused instead
 * of silently replacing their change; no stored counter is needed, and an unchanged save matches.
 */
export function policyVersion(policy: Pick<CreditPolicy, "grades" | "rules">): string {
  const text = JSON.stringify({ grades: policy.grades, rules: policy.rules });
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x0100019d) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}
