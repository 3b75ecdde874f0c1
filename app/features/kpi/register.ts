/**
 * The register of KPI definitions (KPIS.md section 4) that the dashboard, the plan-item KPI
 * links and the help page read. The formulas are written for finance users and state the
 * conventions the engine (kpis.ts) follows, so the help page and the numbers cannot drift.
 */
import { CREDIT_KPI_KEYS, type CreditKpiKey } from "~/features/credit";
import { KPI_KEYS, type KpiKey } from "~/features/kpi/kpis";
import { PROVISION_KPI_KEYS, type ProvisionKpiKey } from "~/features/provisions";

/** A KPI the register defines: the ledger KPIs of KPIS.md section 4, the credit-management and the provision ones. */
export type RegisterKey = KpiKey | CreditKpiKey | ProvisionKpiKey;

export type KpiUnit = "money" | "ratio" | "percent" | "days" | "count";

export interface LocalizedText {
  en: string;
  zh: string;
}

export interface KpiDefinition {
  key: RegisterKey;
  name: LocalizedText;
  /** money: minor units in the engine; ratio: a fraction shown as %; percent: already x100. */
  unit: KpiUnit;
  /** a part of a whole, never above 100 % (a target above it is a typo); absent for other rates, e.g. the collection rate, whose collections may exceed billing */
  share?: true;
  /** Which direction is an improvement. */
  better: "up" | "down";
  formula: LocalizedText;
  /** Whether a plan item can link to it with a target (composite breakdowns cannot). */
  linkable: boolean;
  /**
   * "ledger": KPIS.md section 4, in the CLI and API object; "credit": the department's own records;
   * "provision": the bad-debt provision (provisions/kpis.ts), in the CLI and API object too.
   */
  source: "ledger" | "credit" | "provision";
}

// Shared wording of the conventions, so every formula says them the same way.
const AS_OF = {
  en: "All figures are as of the end of the as-of day: every document dated on or before it counts.",
  zh: "所有数字均截至统计日当天结束：日期在统计日及之前的单据全部计入。",
};
const OPEN_AMOUNT = {
  en: "An invoice's open amount is what remains after the payments and adjustments that name it; money that names no invoice (or more than the invoice) is applied to the customer's oldest invoices first, by due date.",
  zh: "发票未清金额 = 发票金额减去指明该发票的收款和调整；未指明发票（或超出发票金额）的款项按到期日从早到晚冲抵该客户的发票。",
};
const NOT_OVERDUE_TODAY = {
  en: "An invoice due on the as-of day is not yet overdue.",
  zh: "到期日为统计日当天的发票不算逾期。",
};
const PERIOD = {
  en: "The period runs from its start (by default the first day of the current fiscal quarter) to the as-of day, both included.",
  zh: "统计期间从期初（默认本财季第一天）到统计日，首尾两天均包括在内。",
};
const OPENING = {
  en: "Opening receivables are the receivables total at the end of the day before the period starts.",
  zh: "期初应收 = 期间开始前一天结束时的应收账款总额。",
};
const WINDOW_90 = {
  en: "Credit sales of the last 90 days means invoices issued in the 90 days ending on the as-of day (the as-of day and the 89 days before it).",
  zh: "近90天赊销额 = 以统计日为最后一天的90天内（统计日及之前89天）开具的发票金额。",
};

function text(en: string[], zh: string[]): LocalizedText {
  return { en: en.join(" "), zh: zh.join("") };
}

const DEFINITIONS: Record<KpiKey, Omit<KpiDefinition, "key" | "source">> = {
  ar_total: {
    name: { en: "Accounts receivable total", zh: "应收账款总额" },
    unit: "money",
    better: "down",
    formula: text(
      [
        "The sum of the open amounts of all invoices issued on or before the as-of day (gross: unapplied credit is not deducted).",
        OPEN_AMOUNT.en,
        AS_OF.en,
      ],
      [
        "截至统计日已开具的全部发票未清金额之和（总额口径，不扣除未核销预收款）。",
        OPEN_AMOUNT.zh,
        AS_OF.zh,
      ]
    ),
    linkable: true,
  },
  unapplied_credit: {
    name: { en: "Unapplied credit", zh: "未核销预收款" },
    unit: "money",
    better: "down",
    formula: text(
      [
        "Money received or credited that is left over after covering every open invoice of its customer (prepayments, overpayments), summed over customers.",
        AS_OF.en,
      ],
      ["客户的收款和调整冲抵完其全部未清发票后剩余的金额（预收款、多付款），按客户汇总。", AS_OF.zh]
    ),
    linkable: true,
  },
  current: {
    name: { en: "Current (not yet due) receivables", zh: "未到期应收账款" },
    unit: "money",
    better: "up",
    formula: text(
      [
        "The sum of open amounts of invoices whose due date is the as-of day or later.",
        NOT_OVERDUE_TODAY.en,
        AS_OF.en,
      ],
      ["到期日在统计日当天或之后的发票未清金额之和。", NOT_OVERDUE_TODAY.zh, AS_OF.zh]
    ),
    linkable: true,
  },
  overdue_total: {
    name: { en: "Overdue amount", zh: "逾期金额" },
    unit: "money",
    better: "down",
    formula: text(
      [
        "The sum of open amounts of invoices whose due date is before the as-of day.",
        NOT_OVERDUE_TODAY.en,
        AS_OF.en,
      ],
      ["到期日早于统计日的发票未清金额之和。", NOT_OVERDUE_TODAY.zh, AS_OF.zh]
    ),
    linkable: true,
  },
  overdue_ratio: {
    name: { en: "Overdue ratio", zh: "逾期率" },
    unit: "ratio",
    share: true,
    better: "down",
    formula: text(
      [
        "Overdue amount divided by the accounts receivable total. Empty when there are no receivables.",
      ],
      ["逾期金额 ÷ 应收账款总额。应收账款总额为零时不计算。"]
    ),
    linkable: true,
  },
  aging: {
    name: { en: "Aging by days past due", zh: "账龄分析（按逾期天数）" },
    unit: "money",
    better: "down",
    formula: text(
      [
        "Open amounts grouped by days past due (the as-of day minus the due date): current (0 or less), 1-30, 31-60, 61-90, 91-180, 181-365 and over 365 days.",
        NOT_OVERDUE_TODAY.en,
      ],
      [
        "按逾期天数（统计日减到期日）分组的发票未清金额：未到期（0天及以下）、1-30、31-60、61-90、91-180、181-365天和365天以上。",
        NOT_OVERDUE_TODAY.zh,
      ]
    ),
    linkable: false,
  },
  aging_by_issue: {
    name: { en: "Aging by invoice date", zh: "账龄分析（按开票日期）" },
    unit: "money",
    better: "down",
    formula: text(
      [
        "Open amounts grouped by days since the invoice was issued (the as-of day minus the issue date): 0-365, 366-730, 731-1095 and over 1095 days. These are the age bands used for bad-debt provisioning.",
      ],
      [
        "按开票以来天数（统计日减开票日）分组的发票未清金额：0-365、366-730、731-1095天和1095天以上，即计提坏账准备所用的账龄段。",
      ]
    ),
    linkable: false,
  },
  credit_sales_90d: {
    name: { en: "Credit sales, last 90 days", zh: "近90天赊销额" },
    unit: "money",
    better: "up",
    formula: text([WINDOW_90.en], [WINDOW_90.zh]),
    linkable: true,
  },
  dso: {
    name: { en: "Days sales outstanding (DSO)", zh: "应收账款周转天数 DSO" },
    unit: "days",
    better: "down",
    formula: text(
      [
        "Accounts receivable total divided by credit sales of the last 90 days, times 90. Empty when there were no sales in those 90 days.",
        WINDOW_90.en,
      ],
      ["应收账款总额 ÷ 近90天赊销额 × 90。近90天没有销售时不计算。", WINDOW_90.zh]
    ),
    linkable: true,
  },
  dso_countback: {
    name: { en: "DSO, countback method", zh: "应收账款周转天数（倒推法）" },
    unit: "days",
    better: "down",
    formula: text(
      [
        "Start from the accounts receivable total and take away each calendar month's sales, newest first: first the current month from its 1st to the as-of day, then whole earlier months.",
        "Each month fully used counts all its days; the month whose sales exceed what is left counts the matching share of its days, and the count stops there (or when nothing is left).",
        "At most 36 months are counted. Zero when there are no receivables.",
      ],
      [
        "从应收账款总额开始，按自然月从近到远依次减去当月销售额：先是本月1日至统计日，再是之前的整月。",
        "被全部减去的月份计入该月全部天数；销售额超过剩余应收的月份按比例计入天数，计算到此为止（剩余为零时也停止）。",
        "最多倒推36个月。没有应收账款时为零。",
      ]
    ),
    linkable: true,
  },
  bpdso: {
    name: { en: "Best possible DSO (BPDSO)", zh: "最佳应收账款周转天数 BPDSO" },
    unit: "days",
    better: "down",
    formula: text(
      [
        "Current (not yet due) receivables divided by credit sales of the last 90 days, times 90: the DSO if every customer paid on time. Empty when there were no sales in those 90 days.",
      ],
      ["未到期应收账款 ÷ 近90天赊销额 × 90，即客户全部按期付款时的 DSO。近90天没有销售时不计算。"]
    ),
    linkable: true,
  },
  add: {
    name: { en: "Average days delinquent (ADD)", zh: "平均逾期天数 ADD" },
    unit: "days",
    better: "down",
    formula: text(
      [
        "DSO minus best possible DSO: how many days of sales are tied up in overdue receivables. Empty when there were no sales in the last 90 days.",
      ],
      ["DSO 减最佳 DSO，即逾期应收占用的销售天数。近90天没有销售时不计算。"]
    ),
    linkable: true,
  },
  billed: {
    name: { en: "Billed in period", zh: "本期开票额" },
    unit: "money",
    better: "up",
    formula: text(
      ["The sum of invoices issued in the period.", PERIOD.en],
      ["期间内开具的发票金额之和。", PERIOD.zh]
    ),
    linkable: true,
  },
  collected: {
    name: { en: "Collected in period", zh: "本期回款额" },
    unit: "money",
    better: "up",
    formula: text(
      [
        "Payments plus offsets (three-party netting) dated in the period. Credit notes and write-offs are not collections.",
        PERIOD.en,
      ],
      ["期间内的收款加抹账冲抵金额。红字发票/折让和坏账核销不算回款。", PERIOD.zh]
    ),
    linkable: true,
  },
  collection_rate: {
    name: { en: "Collection rate", zh: "回款率" },
    unit: "ratio",
    better: "up",
    formula: text(
      [
        "Collected in period divided by (opening receivables + billed in period). Empty when both are zero.",
        OPENING.en,
        PERIOD.en,
      ],
      ["本期回款额 ÷（期初应收 + 本期开票额）。两者均为零时不计算。", OPENING.zh, PERIOD.zh]
    ),
    linkable: true,
  },
  cei: {
    name: { en: "Collection effectiveness index (CEI)", zh: "催收效率指数 CEI" },
    unit: "percent",
    better: "up",
    formula: text(
      [
        "(Opening receivables + billed in period - receivables total at the as-of day) divided by (opening receivables + billed in period - current receivables at the as-of day), times 100.",
        "It compares what was collected or settled with what could have been collected; 100 is perfect. Empty when the divisor is zero.",
        OPENING.en,
      ],
      [
        "（期初应收 + 本期开票额 − 统计日应收账款总额）÷（期初应收 + 本期开票额 − 统计日未到期应收）× 100。",
        "衡量实际收回与应收回金额之比，100 为最佳。除数为零时不计算。",
        OPENING.zh,
      ]
    ),
    linkable: true,
  },
  written_off: {
    name: { en: "Written off in period", zh: "本期坏账核销额" },
    unit: "money",
    better: "down",
    formula: text(
      ["The sum of write-off adjustments dated in the period.", PERIOD.en],
      ["期间内坏账核销调整金额之和。", PERIOD.zh]
    ),
    linkable: true,
  },
  bad_debt_ratio: {
    name: { en: "Bad-debt ratio", zh: "坏账率" },
    unit: "ratio",
    share: true,
    better: "down",
    formula: text(
      ["Written off in period divided by billed in period. Empty when nothing was billed."],
      ["本期坏账核销额 ÷ 本期开票额。本期未开票时不计算。"]
    ),
    linkable: true,
  },
  overdue_at_baseline: {
    name: { en: "Overdue amount at baseline", zh: "基准日逾期金额" },
    unit: "money",
    better: "down",
    formula: text(
      [
        "The overdue amount as of the end of the baseline day (by default the last day of the previous fiscal year), computed with the same rules as the overdue amount.",
      ],
      ["按逾期金额同样规则计算的基准日（默认上一财年最后一天）结束时的逾期金额。"]
    ),
    // A fixed reference point: nothing a plan can move.
    linkable: false,
  },
  overdue_reduction: {
    name: { en: "Overdue reduction since baseline", zh: "逾期压降率" },
    unit: "ratio",
    share: true,
    better: "up",
    formula: text(
      [
        "(Overdue amount at baseline - overdue amount now) divided by the overdue amount at baseline. Negative when overdue has grown. Empty when nothing was overdue at the baseline.",
      ],
      [
        "（基准日逾期金额 − 当前逾期金额）÷ 基准日逾期金额。逾期增加时为负数。基准日无逾期时不计算。",
      ]
    ),
    linkable: true,
  },
  customers_overdue: {
    name: { en: "Customers with overdue", zh: "逾期客户数" },
    unit: "count",
    better: "down",
    formula: text(
      ["The number of customers with an overdue amount above zero.", NOT_OVERDUE_TODAY.en],
      ["逾期金额大于零的客户数。", NOT_OVERDUE_TODAY.zh]
    ),
    linkable: true,
  },
  customers_over_limit: {
    name: { en: "Customers over credit limit", zh: "超信用额度客户数" },
    unit: "count",
    better: "down",
    formula: text(
      [
        "The number of customers with a credit limit above zero whose accounts receivable total exceeds that limit. Customers without a limit are not counted.",
      ],
      ["设有信用额度（大于零）且应收账款总额超过该额度的客户数。未设额度的客户不计入。"]
    ),
    linkable: true,
  },
};

const CREDIT_PERIOD = {
  en: "The period runs from its start (by default the first day of the current fiscal quarter) to the as-of day, both included.",
  zh: "统计期间从期初（默认本财季第一天）到统计日，首尾两天均包括在内。",
};

/** The credit-management KPIs (credit/kpis.ts): scoped like the others, not in the CLI / API object. */
const CREDIT_DEFINITIONS: Record<CreditKpiKey, Omit<KpiDefinition, "key" | "source">> = {
  promise_kept_rate: {
    name: { en: "Promise-kept rate", zh: "承诺兑现率" },
    unit: "ratio",
    share: true,
    better: "up",
    formula: text(
      [
        "Kept ÷ (kept + broken) among promises to pay and repayment-agreement instalments due in the period; pending ones are left out. Empty when none was kept or broken.",
        "A promise is kept when payments and offsets received from the day it was made reach its amount on or before its date, and broken when its date has passed without that. Each instalment counts once. A later payment does not mend a broken promise.",
        CREDIT_PERIOD.en,
      ],
      [
        "期间内到期的承诺付款和还款协议分期中：已兑现 ÷（已兑现 + 已违约），尚未到期判定的不计入。无兑现也无违约时不计算。",
        "自承诺之日起收到的回款和抹账在承诺日期当天或之前达到承诺金额即为兑现，过了日期仍未达到即为违约。每期分期单独计数。事后补付不改变违约。",
        CREDIT_PERIOD.zh,
      ]
    ),
    linkable: true,
  },
  confirmation_return_rate: {
    name: { en: "Confirmation return rate", zh: "对账函回函率" },
    unit: "ratio",
    share: true,
    better: "up",
    formula: text(
      [
        "Returned ÷ sent among balance confirmations sent in the period; a confirmation counts as returned when it came back on or before the as-of day. Empty when none was sent.",
        CREDIT_PERIOD.en,
      ],
      ["期间内发出的余额对账函中：回函数 ÷ 发函数；统计日当天或之前收回的算作已回函。未发函时不计算。", CREDIT_PERIOD.zh]
    ),
    linkable: true,
  },
  confirmation_mismatch_rate: {
    name: { en: "Confirmation mismatch rate", zh: "对账不符率" },
    unit: "ratio",
    share: true,
    better: "down",
    formula: text(
      [
        "Mismatched ÷ returned among the balance confirmations sent in the period and returned by the as-of day (a mismatch counts even after it is resolved). Empty when none was returned.",
        CREDIT_PERIOD.en,
      ],
      ["期间内发出且在统计日前收回的对账函中：余额不符数 ÷ 回函数（不符事项解决后仍计入）。无回函时不计算。", CREDIT_PERIOD.zh]
    ),
    linkable: true,
  },
  customers_on_hold: {
    name: { en: "Customers on hold", zh: "停发/款到发货客户数" },
    unit: "count",
    better: "down",
    formula: text(
      [
        "The number of customers with a shipment hold (cash before delivery or stop shipment) in force at the end of the as-of day: set on or before it and not released by then.",
      ],
      ["统计日结束时处于发货管控（款到发货或停止发货）中的客户数：在统计日当天或之前设置且当时尚未解除。"]
    ),
    linkable: true,
  },
};

const PROVISION_BASIS = {
  en: "The provision is the one of the bad-debt provisions page: named customers at their own provision (a percentage or an amount), every other customer's open invoices by age with the rate table in force on the as-of day (ages from the invoice date unless the table says the due date).",
  zh: "坏账准备与坏账准备页面一致：单项计提客户按其单独计提（比例或金额），其余客户的未清发票按账龄适用统计日有效的计提比例表（除比例表另有规定外，账龄从开票日起算）。",
};
const GROSS = {
  en: "Gross receivables are the open amounts of all invoices (the accounts receivable total); unapplied credit is not deducted. Empty when there are no receivables.",
  zh: "应收账款余额为全部发票未清金额（应收账款总额），不扣除未核销预收款。没有应收账款时不计算。",
};

/** The provision KPIs (provisions/kpis.ts): scoped like the others, in the CLI and API object. */
const PROVISION_DEFINITIONS: Record<ProvisionKpiKey, Omit<KpiDefinition, "key" | "source">> = {
  provision_total: {
    name: { en: "Bad-debt provision", zh: "坏账准备余额" },
    unit: "money",
    better: "down",
    formula: text(
      ["The bad-debt provision by the aging ladder (账龄组合) plus the named customers' provisions (单项计提).", PROVISION_BASIS.en, AS_OF.en],
      ["按账龄组合计提的坏账准备加单项计提的坏账准备。", PROVISION_BASIS.zh, AS_OF.zh]
    ),
    linkable: true,
  },
  provision_ratio: {
    name: { en: "Provision ratio", zh: "坏账准备计提比例" },
    unit: "ratio",
    share: true,
    better: "down",
    formula: text(
      ["Bad-debt provision divided by gross receivables.", GROSS.en],
      ["坏账准备余额 ÷ 应收账款余额。", GROSS.zh]
    ),
    linkable: true,
  },
  expected_loss_rate: {
    name: { en: "Expected loss rate", zh: "预期信用损失率" },
    unit: "ratio",
    share: true,
    better: "down",
    formula: text(
      [
        "The provision by the migration-rate matrix (迁徙率: each age band's share still unpaid a period later, write-offs counted as unpaid, averaged over 3 yearly periods; a band's loss rate is the product of the migration rates from it on, the last band 100 %; the forward-looking adjustment applies once a leader has approved it), named customers at their own provision, divided by gross receivables.",
        GROSS.en,
        AS_OF.en,
      ],
      [
        "按迁徙率矩阵计算的坏账准备（各账龄段一期后仍未收回的比例，核销计为未收回，取3个年度期间的平均；某账龄段的损失率为其后各段迁徙率之积，最后一段为100%；前瞻性调整经领导批准后适用），单项计提客户按其单独计提，再除以应收账款余额。",
        GROSS.zh,
        AS_OF.zh,
      ]
    ),
    linkable: true,
  },
};

/** Every section-4 KPI, in the contract's order, then the credit-management KPIs, then the provision ones. */
export const KPI_REGISTER: readonly KpiDefinition[] = [
  ...KPI_KEYS.map((key) => ({ key, ...DEFINITIONS[key], source: "ledger" as const })),
  ...CREDIT_KPI_KEYS.map((key) => ({ key, ...CREDIT_DEFINITIONS[key], source: "credit" as const })),
  ...PROVISION_KPI_KEYS.map((key) => ({ key, ...PROVISION_DEFINITIONS[key], source: "provision" as const })),
];

/** The KPIs a plan item can link to with a target. */
export const LINKABLE_KPIS: readonly KpiDefinition[] = KPI_REGISTER.filter((definition) => definition.linkable);

const BY_KEY = new Map<string, KpiDefinition>(KPI_REGISTER.map((definition) => [definition.key, definition]));

export function isKpiKey(value: unknown): value is RegisterKey {
  return typeof value === "string" && BY_KEY.has(value);
}

export function isLinkableKpiKey(value: unknown): value is RegisterKey {
  return typeof value === "string" && BY_KEY.get(value)?.linkable === true;
}

export function kpiDefinition(key: RegisterKey): KpiDefinition {
  const definition = BY_KEY.get(key);
  if (!definition) throw new Error(`No KPI named ${key}`);
  return definition;
}
