/**
 * The year's measures as the department recorded them in the app: collection actions by kind
 * (and what those customers paid afterwards), holds, grade changes, credit decisions, balance
 * confirmations, write-offs and offsets, the biggest collections. The figures come from
 * measures.server.ts; this file holds their shapes and the sentence each table gets in the
 * report, in the reader's language. Pure.
 */
import { formatAmount } from "~/kernel/money";
import type { IsoDate } from "~/kernel/ledger/types";
import { percentText, wanNumber } from "~/features/year-review/report-draft";

export const ACTION_KINDS = ["call", "visit", "email", "lawyer_letter", "repayment_agreement", "promise_to_pay"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const HOLD_KINDS = ["cash_before_delivery", "stop_shipment"] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];
export const DECISIONS = ["accept", "modify", "reject"] as const;
export type CreditDecision = (typeof DECISIONS)[number];
export const ADJUSTMENT_KINDS = ["write_off", "offset", "credit_note"] as const;
export type AdjustmentKind = (typeof ADJUSTMENT_KINDS)[number];

export interface ActionRow {
  kind: ActionKind;
  count: number;
  /** distinct customers with an action of this kind in the period */
  customers: number;
  /** payments and offsets those customers made from their first such action to the period's end */
  collectedAfter: number;
}

export interface HoldRow {
  kind: HoldKind;
  set: number;
  released: number;
  /** customers under this kind of hold at the period's end */
  heldAtEnd: number;
  /** the overdue at the period's end of the customers held at any time in it */
  overdueOfHeld: number;
}

export interface GradeChange {
  customerId: number;
  code: string;
  name: string;
  from: string;
  to: string;
  direction: "promoted" | "demoted";
  on: IsoDate;
}

export interface DecisionRow {
  decision: CreditDecision;
  count: number;
  approved: number;
  declined: number;
  waiting: number;
}

export interface ConfirmationCounts {
  /** the owner's or region's name; null: none recorded */
  name: string | null;
  total: number;
  sent: number;
  returned: number;
  matched: number;
  mismatched: number;
}

export interface AdjustmentRow {
  type: AdjustmentKind;
  count: number;
  amount: number;
}

export interface CollectionRow {
  customerId: number;
  code: string;
  name: string;
  payments: number;
  offsets: number;
  total: number;
}

export interface YearMeasures {
  from: IsoDate;
  to: IsoDate;
  actions: ActionRow[];
  holds: HoldRow[];
  grades: GradeChange[];
  decisions: DecisionRow[];
  confirmations: { all: ConfirmationCounts; byOwner: ConfirmationCounts[]; byRegion: ConfirmationCounts[] };
  adjustments: AdjustmentRow[];
  topCollections: CollectionRow[];
}

export const TOP_COLLECTIONS = 10;

export const ACTION_NAMES: Record<ActionKind, { en: string; zh: string }> = {
  call: { en: "calls", zh: "电话催收" },
  visit: { en: "visits", zh: "上门走访" },
  email: { en: "letters and e-mails", zh: "发函催收" },
  lawyer_letter: { en: "lawyer's letters", zh: "律师函" },
  repayment_agreement: { en: "repayment agreements", zh: "还款协议" },
  promise_to_pay: { en: "promises to pay", zh: "付款承诺" },
};
/** A sentence's first word: "Cash before delivery: …". */
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const HOLD_NAMES: Record<HoldKind, { en: string; zh: string }> = {
  cash_before_delivery: { en: "cash before delivery", zh: "款到发货" },
  stop_shipment: { en: "stop shipment", zh: "停止发货" },
};
export const ADJUSTMENT_NAMES: Record<AdjustmentKind, { en: string; zh: string }> = {
  write_off: { en: "write-offs", zh: "坏账核销" },
  offset: { en: "offsets", zh: "三方抹账" },
  credit_note: { en: "credit notes", zh: "折让冲减" },
};

type Language = "en" | "zh";

export const MEASURE_TABLES = ["actions", "holds", "grades", "decisions", "confirmations", "adjustments", "collections"] as const;
export type MeasureTable = (typeof MEASURE_TABLES)[number];

/** The sentences the draft's second section lists, one per measure that has records. */
export function measureSentences(measures: YearMeasures, currency: string, language: Language, wholeYear = true): string[] {
  const byTable = measureSentencesByTable(measures, currency, language, wholeYear);
  return MEASURE_TABLES.flatMap((table) => byTable[table]);
}

/** The generated sentences of each table (none for a table without records). */
export function measureSentencesByTable(measures: YearMeasures, currency: string, language: Language, wholeYear = true): Record<MeasureTable, string[]> {
  const zh = language === "zh";
  // a half-year's or quarter's report speaks of its period (本期, 期末), the year's of the year
  const [all, atEnd] = wholeYear ? ["全年", "年末"] : ["本期", "期末"];
  const amount = (minor: number) => (zh ? `${wanNumber(minor)}万元` : formatAmount(minor, { locale: "en", currency }));
  const out: Record<MeasureTable, string[]> = { actions: [], holds: [], grades: [], decisions: [], confirmations: [], adjustments: [], collections: [] };
  const actions = measures.actions.filter((row) => row.count > 0);
  if (actions.length > 0) {
    const parts = actions.map((row) => (zh ? `${ACTION_NAMES[row.kind].zh}${row.count}次` : `${ACTION_NAMES[row.kind].en} ${row.count}`));
    const total = actions.reduce((sum, row) => sum + row.count, 0);
    const best = [...actions].sort((a, b) => b.collectedAfter - a.collectedAfter)[0];
    out.actions.push(
      zh
        ? `${all}共记录催收措施${total}次：${parts.join("、")}${best && best.collectedAfter > 0 ? `；采取${ACTION_NAMES[best.kind].zh}的客户此后回款${amount(best.collectedAfter)}` : ""}。`
        : `${total} collection actions were recorded: ${parts.join(", ")}${best && best.collectedAfter > 0 ? `; the customers who got ${ACTION_NAMES[best.kind].en} paid ${amount(best.collectedAfter)} afterwards` : ""}.`,
    );
  }
  const holds = measures.holds.filter((row) => row.set > 0 || row.released > 0 || row.heldAtEnd > 0);
  for (const row of holds) {
    out.holds.push(
      zh
        ? `对逾期客户实行${HOLD_NAMES[row.kind].zh}${row.set}户次，解除${row.released}户次，${atEnd}仍有${row.heldAtEnd}户，涉及客户${atEnd}逾期${amount(row.overdueOfHeld)}。`
        : `${capitalised(HOLD_NAMES[row.kind].en)}: ${row.set === 1 ? "1 hold" : `${row.set} holds`} set and ${row.released} released; ${row.heldAtEnd === 1 ? "1 customer" : `${row.heldAtEnd} customers`} still held at the end, the customers held owing ${amount(row.overdueOfHeld)} overdue.`,
    );
  }
  const promoted = measures.grades.filter((change) => change.direction === "promoted").length;
  const demoted = measures.grades.length - promoted;
  if (measures.grades.length > 0) {
    out.grades.push(zh ? `按信用等级规则晋级${promoted}户、降级${demoted}户。` : `Credit grades: ${promoted} customers promoted, ${demoted} demoted.`);
  }
  const decided = measures.decisions.reduce((sum, row) => sum + row.count, 0);
  if (decided > 0) {
    const by = (decision: CreditDecision) => measures.decisions.find((row) => row.decision === decision)?.count ?? 0;
    out.decisions.push(
      zh
        ? `授信评审决定${decided}项：同意${by("accept")}项、调整${by("modify")}项、不同意${by("reject")}项。`
        : `${decided} credit decisions: ${by("accept")} accepted, ${by("modify")} modified, ${by("reject")} rejected.`,
    );
  }
  const confirmations = measures.confirmations.all;
  if (confirmations.total > 0) {
    const rate = confirmations.sent === 0 ? null : confirmations.returned / confirmations.sent;
    out.confirmations.push(
      zh
        ? `共发出对账函${confirmations.sent}份，收回${confirmations.returned}份${rate === null ? "" : `，收回率${percentText(rate)}`}，余额不符${confirmations.mismatched}份。`
        : `${confirmations.sent} balance confirmations were sent and ${confirmations.returned} returned${rate === null ? "" : ` (${percentText(rate)})`}; ${confirmations.mismatched} did not match.`,
    );
  }
  for (const row of measures.adjustments.filter((r) => r.count > 0 && r.type !== "credit_note")) {
    out.adjustments.push(
      zh ? `${ADJUSTMENT_NAMES[row.type].zh}${row.count}笔，金额${amount(row.amount)}。` : `${row.count} ${ADJUSTMENT_NAMES[row.type].en}, ${amount(row.amount)} in all.`,
    );
  }
  const top = measures.topCollections.slice(0, 3);
  if (top.length > 0) {
    const parts = top.map((row) => (zh ? `${row.name}付${amount(row.total)}` : `${row.name} paid ${amount(row.total)}`));
    out.collections.push(zh ? `回款较多的客户：${parts.join("，")}。` : `The biggest collections: ${parts.join("; ")}.`);
  }
  return out;
}
