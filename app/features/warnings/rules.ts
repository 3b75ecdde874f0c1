/**
 * Early warnings (风险预警): the rule kinds, their parameters and the pure evaluation of each over
 * figures already kept (month-end positions, the KPI summaries, promise statuses, open items and
 * limits). A rule kind is a key of `RuleParams`; a new kind (a forecast that misses a plan target)
 * adds its parameters here, its evaluation below and a row in `warning_rules`.
 */
import { addDays, days, monthStart } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

export const WARNING_KINDS = ["days_late_rising", "broken_promise", "over_limit", "invoice_61_90", "owner_overdue_growing", "forecast_misses_target"] as const;
export type WarningKind = (typeof WARNING_KINDS)[number];

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const WARNING_STATES = ["open", "acknowledged", "resolved"] as const;
export type WarningState = (typeof WARNING_STATES)[number];

/** Each kind's parameters. Money in minor units. */
export interface RuleParams {
  /** the customer's average days late rose in each of the last `months` complete months and is at least `minDays` */
  days_late_rising: { months: number; minDays: number };
  /** a promise or instalment due in the last `withinDays` days was broken */
  broken_promise: { withinDays: number };
  /** the balance is more than `percent` % above the credit limit */
  over_limit: { percent: number };
  /** an invoice with at least `amount` open is 61–90 days overdue */
  invoice_61_90: { amount: number };
  /** an owner's overdue grew by at least `minGrowthPercent` % in each of the last `months` complete months */
  owner_overdue_growing: { months: number; minGrowthPercent: number };
  /** a KPI-linked plan item's KPI, projected by the forecast to the item's due date, misses its target by more than `tolerancePercent` % */
  forecast_misses_target: { tolerancePercent: number };
}

export type WarningRule = {
  [K in WarningKind]: { kind: K; params: RuleParams[K]; severity: Severity; enabled: boolean };
}[WarningKind];

/** The bounds of every parameter (the form's schema reads them). */
export const PARAM_BOUNDS: { [K in WarningKind]: { [P in keyof RuleParams[K]]: { min: number; max: number; money?: true } } } = {
  days_late_rising: { months: { min: 2, max: 12 }, minDays: { min: 0, max: 365 } },
  broken_promise: { withinDays: { min: 1, max: 730 } },
  over_limit: { percent: { min: 0, max: 1000 } },
  invoice_61_90: { amount: { min: 0, max: 100_000_000_000, money: true } },
  owner_overdue_growing: { months: { min: 1, max: 12 }, minGrowthPercent: { min: 0, max: 1000 } },
  forecast_misses_target: { tolerancePercent: { min: 0, max: 100 } },
};

/** A reason in words: an i18n key and its values. Amounts (minor units) and dates are named in MONEY_PARAMS / DATE_PARAMS. */
export interface Reason {
  key: string;
  params: Record<string, string | number>;
}

/** Reason values that are amounts in minor units, formatted in the reader's unit. */
export const MONEY_PARAMS = ["amount", "balance", "limit", "from", "to", "projectedAmount", "targetAmount", "gapAmount"] as const;
/** Reason values that are dates, formatted in the reader's language. */
export const DATE_PARAMS = ["dueOn", "dueDate", "since"] as const;

/** What a rule found true of one subject on the business date. */
export interface Finding {
  kind: WarningKind;
  /** "customer:12", "invoice:345", "owner:3", "item:7": one warning per rule and subject */
  subjectKey: string;
  customerId: number | null;
  invoiceId: number | null;
  /** the owner to act */
  ownerId: number | null;
  reasons: Reason[];
}

// ---------------------------------------------------------------------------------------------
// Days late rising

export interface PaidInvoice {
  dueDate: IsoDate;
  paidOn: IsoDate;
  /** minor units */
  amount: number;
}

export interface CustomerPayments {
  customerId: number;
  ownerId: number | null;
  paid: readonly PaidInvoice[];
}

/**
 * The amount-weighted average days late (days past due, 0 when paid on time) of the invoices paid
 * in [start, end]; null when none was paid then.
 */
export function averageDaysLate(paid: readonly PaidInvoice[], start: IsoDate, end: IsoDate): number | null {
  let weight = 0;
  let weighted = 0;
  for (const invoice of paid) {
    if (invoice.paidOn < start || invoice.paidOn > end || invoice.amount <= 0) continue;
    weight += invoice.amount;
    weighted += invoice.amount * Math.max(0, days(invoice.dueDate, invoice.paidOn));
  }
  return weight === 0 ? null : weighted / weight;
}

/** One decimal, as the reasons show it. */
function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * `monthEnds`: the last `months + 1` complete month ends, oldest first. A customer is warned when
 * each of the last `months` months has a higher average than the month before (a month with no
 * payment breaks the run) and the last is at least `minDays`.
 */
export function daysLateRising(customers: readonly CustomerPayments[], monthEnds: readonly IsoDate[], params: RuleParams["days_late_rising"]): Finding[] {
  const ends = monthEnds.slice(-(params.months + 1));
  if (ends.length < params.months + 1) return [];
  const findings: Finding[] = [];
  for (const customer of customers) {
    const series = ends.map((end) => averageDaysLate(customer.paid, monthStart(end), end));
    if (!isRising(series) || (series[series.length - 1] ?? 0) < params.minDays) continue;
    const shown = series.map((value) => oneDecimal(value ?? 0));
    findings.push({
      kind: "days_late_rising",
      subjectKey: `customer:${customer.customerId}`,
      customerId: customer.customerId,
      invoiceId: null,
      ownerId: customer.ownerId,
      reasons: [{ key: "warnings.reason.daysLateRising", params: { months: params.months, series: shown.join(" → "), since: ends[0] ?? "" } }],
    });
  }
  return findings;
}

function isRising(series: readonly (number | null)[]): boolean {
  if (series.length < 2) return false;
  for (let i = 1; i < series.length; i += 1) {
    const before = series[i - 1];
    const now = series[i];
    if (before === null || before === undefined || now === null || now === undefined || !(now > before)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Broken promises

export interface PromiseOutcome {
  customerId: number;
  ownerId: number | null;
  dueOn: IsoDate;
  /** minor units */
  amount: number;
  paid: number;
  status: "pending" | "kept" | "broken";
}

/** A customer with a promise or instalment due in the last `withinDays` days (through `today`) that was broken. */
export function brokenPromises(promises: readonly PromiseOutcome[], today: IsoDate, params: RuleParams["broken_promise"]): Finding[] {
  const since = addDays(today, -params.withinDays);
  const byCustomer = new Map<number, PromiseOutcome[]>();
  for (const promise of promises) {
    if (promise.status !== "broken" || promise.dueOn <= since || promise.dueOn > today) continue;
    const list = byCustomer.get(promise.customerId);
    if (list) list.push(promise);
    else byCustomer.set(promise.customerId, [promise]);
  }
  return [...byCustomer.entries()]
    .sort(([a], [b]) => a - b)
    .map(([customerId, list]) => {
      const latest = list.reduce((max, p) => (p.dueOn > max ? p.dueOn : max), list[0]?.dueOn ?? today);
      const shortfall = list.reduce((sum, p) => sum + Math.max(0, p.amount - p.paid), 0);
      return {
        kind: "broken_promise" as const,
        subjectKey: `customer:${customerId}`,
        customerId,
        invoiceId: null,
        ownerId: list[0]?.ownerId ?? null,
        reasons: [{ key: "warnings.reason.brokenPromise", params: { count: list.length, amount: shortfall, dueOn: latest } }],
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Over the credit limit

export interface CustomerBalance {
  customerId: number;
  ownerId: number | null;
  /** null: no limit set, never over it */
  limit: number | null;
  /** minor units */
  balance: number;
}

/** Over when balance > limit × (1 + percent / 100), in whole minor units (no rounding). */
/**
 * How far over its limit a balance is, in percent to one decimal, rounded down but never shown as
 * 0 (a balance one cent over is "0.1 % over", not "0 % over").
 */
export function overLimitPercent(balance: number, limit: number): number {
  return Math.max(0.1, Math.floor(((balance - limit) * 1000) / limit) / 10);
}

export function overLimit(customers: readonly CustomerBalance[], params: RuleParams["over_limit"]): Finding[] {
  const findings: Finding[] = [];
  for (const customer of customers) {
    if (customer.limit === null || customer.limit <= 0) continue;
    if (customer.balance * 100 <= customer.limit * (100 + params.percent)) continue;
    findings.push({
      kind: "over_limit",
      subjectKey: `customer:${customer.customerId}`,
      customerId: customer.customerId,
      invoiceId: null,
      ownerId: customer.ownerId,
      reasons: [
        {
          key: "warnings.reason.overLimit",
          params: { balance: customer.balance, limit: customer.limit, percent: overLimitPercent(customer.balance, customer.limit) },
        },
      ],
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// An invoice entering 61–90 days overdue

export interface OpenInvoice {
  invoiceId: number;
  invoiceNo: string;
  customerId: number;
  ownerId: number | null;
  dueDate: IsoDate;
  /** minor units */
  openAmount: number;
}

/** Days overdue on `today` = days(due date, today); warned from day 61 to day 90 when at least `amount` is open. */
export function invoicesEntering61To90(invoices: readonly OpenInvoice[], today: IsoDate, params: RuleParams["invoice_61_90"]): Finding[] {
  const findings: Finding[] = [];
  for (const invoice of invoices) {
    const overdue = days(invoice.dueDate, today);
    if (overdue < 61 || overdue > 90 || invoice.openAmount <= 0 || invoice.openAmount < params.amount) continue;
    findings.push({
      kind: "invoice_61_90",
      subjectKey: `invoice:${invoice.invoiceId}`,
      customerId: invoice.customerId,
      invoiceId: invoice.invoiceId,
      ownerId: invoice.ownerId,
      reasons: [
        { key: "warnings.reason.invoice6190", params: { invoiceNo: invoice.invoiceNo, amount: invoice.openAmount, days: overdue, dueDate: invoice.dueDate } },
      ],
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// An owner's overdue growing

export interface OwnerOverdue {
  ownerId: number;
  /** overdue (minor units) at each month end, aligned with the month ends; null: no figure then */
  overdue: readonly (number | null)[];
}

/**
 * `monthEnds`: the last `months + 1` complete month ends, oldest first (aligned with each owner's
 * `overdue`). Warned when each of the last `months` month ends is above the one before by more than
 * nothing and by at least `minGrowthPercent` %.
 */
export function ownerOverdueGrowing(owners: readonly OwnerOverdue[], monthEnds: readonly IsoDate[], params: RuleParams["owner_overdue_growing"]): Finding[] {
  const count = params.months + 1;
  if (monthEnds.length < count) return [];
  const findings: Finding[] = [];
  for (const owner of owners) {
    const series = owner.overdue.slice(-count);
    if (series.length < count) continue;
    let growing = true;
    for (let i = 1; i < series.length && growing; i += 1) {
      const before = series[i - 1];
      const now = series[i];
      growing = before !== null && before !== undefined && now !== null && now !== undefined && now > before && now * 100 >= before * (100 + params.minGrowthPercent);
    }
    if (!growing) continue;
    const from = series[0] ?? 0;
    const to = series[series.length - 1] ?? 0;
    findings.push({
      kind: "owner_overdue_growing",
      subjectKey: `owner:${owner.ownerId}`,
      customerId: null,
      invoiceId: null,
      ownerId: owner.ownerId,
      reasons: [{ key: "warnings.reason.ownerOverdueGrowing", params: { months: params.months, from, to, since: monthEnds[monthEnds.length - count] ?? "" } }],
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// A forecast that misses a plan target

/** A KPI-linked plan item of a plan in force, with its KPI as the forecast projects it to the item's due date. */
export interface ProjectedItem {
  itemId: number;
  planId: number;
  title: string;
  ownerId: number | null;
  /** the KPIs the forecast projects */
  kpi: "overdue_total" | "ar_total" | "dso";
  better: "up" | "down";
  /** engine units: minor units, or days for DSO */
  target: number;
  dueDate: IsoDate;
  /** null: the forecast cannot project it (DSO without sales) */
  projected: number | null;
}

/** The reason in words by KPI: money in whole minor units, DSO in days with one decimal. */
const REASON_KEY = { overdue_total: "warnings.reason.forecastOverdue", ar_total: "warnings.reason.forecastReceivables", dso: "warnings.reason.forecastDso" } as const;

/**
 * Warned when the projected value is on the wrong side of the target by more than
 * `tolerancePercent` % of the target (down is better: above target × (1 + tolerance); up is
 * better: below target × (1 − tolerance)). A target of zero is missed by anything on the wrong side.
 */
export function forecastMissesTarget(items: readonly ProjectedItem[], params: RuleParams["forecast_misses_target"]): Finding[] {
  const findings: Finding[] = [];
  for (const item of items) {
    if (item.projected === null) continue;
    const allowed = Math.abs(item.target) * (params.tolerancePercent / 100);
    const gap = item.better === "down" ? item.projected - item.target : item.target - item.projected;
    if (!(gap > 0) || gap <= allowed) continue;
    const money = item.kpi !== "dso";
    const shown = (value: number) => (money ? Math.round(value) : oneDecimal(value));
    const values: Record<string, number> = money
      ? { projectedAmount: shown(item.projected), targetAmount: shown(item.target), gapAmount: shown(gap) }
      : { projected: shown(item.projected), target: shown(item.target), gap: shown(gap) };
    findings.push({
      kind: "forecast_misses_target",
      subjectKey: `item:${item.itemId}`,
      customerId: null,
      invoiceId: null,
      ownerId: item.ownerId,
      // planId and itemId name the item to link to; the words use the title
      reasons: [{ key: REASON_KEY[item.kpi], params: { item: item.title, planId: item.planId, itemId: item.itemId, dueDate: item.dueDate, ...values } }],
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// The sweep: what to raise, refresh and close

/** The latest stored warning of a rule and subject, as the sweep compares it. */
export interface StoredWarning {
  id: number;
  kind: string;
  subjectKey: string;
  state: WarningState;
  resolution: "person" | "cleared" | "rule_off" | null;
  clearedOn: IsoDate | null;
  severity: Severity;
  reasons: string;
  ownerId: number | null;
}

export interface SweepPlan {
  raise: (Finding & { severity: Severity })[];
  /** still true: its reasons, severity or owner changed, or only its last-seen day moves */
  refresh: { id: number; finding: Finding; severity: Severity }[];
  /** open or acknowledged and no longer true (or its rule is off): closed by the sweep */
  close: { id: number; resolution: "cleared" | "rule_off" }[];
  /** resolved by a person and now no longer true: the rule may raise it again */
  markCleared: number[];
}

/**
 * Compares what the rules find today with the latest warning of each rule and subject: a finding
 * with an open or acknowledged warning refreshes it; one whose latest warning was resolved by a
 * person is not raised again until it has been seen no longer true; otherwise it is raised.
 * Open or acknowledged warnings not found are closed (`rule_off` when their rule is off).
 */
export function planSweep(latest: readonly StoredWarning[], findings: readonly Finding[], rules: readonly WarningRule[]): SweepPlan {
  const ruleOf = new Map<string, WarningRule>(rules.map((rule) => [rule.kind, rule]));
  const stored = new Map(latest.map((warning) => [`${warning.kind}|${warning.subjectKey}`, warning]));
  const plan: SweepPlan = { raise: [], refresh: [], close: [], markCleared: [] };
  const found = new Set<string>();
  for (const finding of findings) {
    const rule = ruleOf.get(finding.kind);
    if (!rule?.enabled) continue;
    const key = `${finding.kind}|${finding.subjectKey}`;
    if (found.has(key)) continue;
    found.add(key);
    const warning = stored.get(key);
    if (warning && warning.state !== "resolved") plan.refresh.push({ id: warning.id, finding, severity: rule.severity });
    else if (warning && warning.resolution === "person" && warning.clearedOn === null) continue;
    else plan.raise.push({ ...finding, severity: rule.severity });
  }
  for (const warning of latest) {
    const key = `${warning.kind}|${warning.subjectKey}`;
    if (found.has(key)) continue;
    if (warning.state !== "resolved") plan.close.push({ id: warning.id, resolution: ruleOf.get(warning.kind)?.enabled ? "cleared" : "rule_off" });
    else if (warning.resolution === "person" && warning.clearedOn === null) plan.markCleared.push(warning.id);
  }
  return plan;
}

/**
 * The rules' version as the form carries it: a fingerprint of the rules (FNV-1a twice, 64 bits in
 * hex), so a save based on rules someone changed since is refused without a stored counter.
 */
export function rulesVersion(rules: readonly WarningRule[]): string {
  const text = JSON.stringify(rules.map(({ kind, severity, enabled, params }) => ({ kind, severity, enabled, params })));
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x0100019d) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** The reasons as stored (JSON [{ key, params }]); anything else reads as no reasons. */
export function parseReasons(text: string): Reason[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null || !("key" in item) || typeof item.key !== "string") return [];
    const params: Record<string, string | number> = {};
    if ("params" in item && typeof item.params === "object" && item.params !== null) {
      for (const [name, value] of Object.entries(item.params)) if (typeof value === "string" || typeof value === "number") params[name] = value;
    }
    return [{ key: item.key, params }];
  });
}
