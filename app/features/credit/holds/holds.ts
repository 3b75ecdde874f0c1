/**
 * Shipment holds (seed: "对逾期厂家坚持履行款到发货的原则或是停止发货"; "对迟迟不肯还款或者不按协议履行的
 * 厂家，进行督促回款，发律师函以及停止发货"). The app only SUGGESTS a hold; the head sets or releases it,
 * with a reason (holds.server.ts).
 *
 * Rules, as of D, with the customer's grade (grades/grades.ts):
 * - overdue past the grade's grace days (some open invoice with days(due, D) > graceDays)
 *   → cash before delivery (款到发货);
 * - overdue past the grade's stop-shipment days, or overdue past grace while a repayment
 *   agreement or promise is broken (不按协议履行) → stop shipment (停止发货);
 * - gross receivables over a positive credit limit → cash before delivery (the same test as the
 *   `customers_over_limit` KPI, so the list and the KPI agree);
 * - a grade whose limit policy is cash before delivery (D, "不良和不稳定的企业") → cash before delivery.
 * The strongest suggestion wins (stop shipment > cash before delivery); every reason is listed.
 * An ungraded customer is measured against the worst grade's grace and stop-shipment days (no
 * grade, no favours), but that grade's own cash-before-delivery policy is not applied to them.
 */
import type { CreditGrade } from "~/features/credit/grades";
import type { CreditReason } from "~/features/credit/rules";
import { days } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

export const HOLD_KINDS = ["cash_before_delivery", "stop_shipment"] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** Higher is stronger. */
export function holdStrength(kind: HoldKind | null): number {
  return kind === null ? 0 : HOLD_KINDS.indexOf(kind) + 1;
}

export interface HoldInput {
  asOf: IsoDate;
  /** the customer's grade; null = ungraded (treated as the policy's worst grade) */
  grade: CreditGrade | null;
  /** the worst grade of the policy, for ungraded customers */
  worstGrade: CreditGrade;
  openInvoices: readonly { dueDate: IsoDate; openAmount: number }[];
  arTotal: number;
  /** minor units; null = no limit set */
  creditLimit: number | null;
  /** broken promises / instalments not yet made good */
  brokenPromises: number;
}

export interface HoldSuggestion {
  kind: HoldKind | null;
  reasons: CreditReason[];
  /** the largest days past due of an open invoice at D (0 when nothing is overdue) */
  maxDaysOverdue: number;
  /** open amount more than the grace days overdue, minor units */
  overduePastGrace: number;
  /** open amount more than the stop-shipment days overdue, minor units */
  overduePastStop: number;
}

export function suggestHold(input: HoldInput): HoldSuggestion {
  const grade = input.grade ?? input.worstGrade;
  let maxDaysOverdue = 0;
  let overduePastGrace = 0;
  let overduePastStop = 0;
  for (const invoice of input.openInvoices) {
    if (invoice.openAmount <= 0) continue;
    const dpd = days(invoice.dueDate, input.asOf);
    if (dpd > maxDaysOverdue) maxDaysOverdue = dpd;
    if (dpd > grade.graceDays) overduePastGrace += invoice.openAmount;
    if (dpd > grade.stopShipmentDays) overduePastStop += invoice.openAmount;
  }

  const reasons: CreditReason[] = [];
  let kind: HoldKind | null = null;
  const raise = (to: HoldKind) => {
    if (holdStrength(to) > holdStrength(kind)) kind = to;
  };
  const gradeParams = { grade: grade.code, graceDays: grade.graceDays, stopShipmentDays: grade.stopShipmentDays };

  if (overduePastStop > 0) {
    raise("stop_shipment");
    reasons.push({ key: "holds.reason.overduePastStop", params: { ...gradeParams, days: maxDaysOverdue, amountMinor: overduePastStop } });
  } else if (overduePastGrace > 0) {
    raise("cash_before_delivery");
    reasons.push({ key: "holds.reason.overduePastGrace", params: { ...gradeParams, days: maxDaysOverdue, amountMinor: overduePastGrace } });
  }
  if (overduePastGrace > 0 && input.brokenPromises > 0) {
    raise("stop_shipment");
    reasons.push({ key: "holds.reason.brokenPromises", params: { count: input.brokenPromises } });
  }
  if (input.creditLimit !== null && input.creditLimit > 0 && input.arTotal > input.creditLimit) {
    raise("cash_before_delivery");
    reasons.push({ key: "holds.reason.overLimit", params: { arMinor: input.arTotal, limitMinor: input.creditLimit } });
  }
  if (grade.limitPolicy === "cash_before_delivery" && input.grade !== null) {
    raise("cash_before_delivery");
    reasons.push({ key: "holds.reason.gradePolicy", params: { grade: grade.code } });
  }
  return { kind, reasons, maxDaysOverdue, overduePastGrace, overduePastStop };
}

export type HoldAdvice = "set" | "escalate" | "relax" | "release" | "keep" | "none";

/**
 * What the head is advised to do with the current hold: set one, make it stronger, relax it
 * (stop shipment → cash before delivery), release it, or nothing.
 */
export function holdAdvice(current: HoldKind | null, suggested: HoldKind | null): HoldAdvice {
  if (current === suggested) return current === null ? "none" : "keep";
  if (current === null) return "set";
  if (suggested === null) return "release";
  return holdStrength(suggested) > holdStrength(current) ? "escalate" : "relax";
}
