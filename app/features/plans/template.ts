/**
 * The standard annual plan template, built from the department's own quarterly work plan
 * (seeds/003, "客户授信及应收管理工作计划，按季度分解"): the Chinese text follows the seed's
 * wording. A head starts a quarter from it and edits freely; nothing here is binding.
 */
import {
  addMonths,
  datePartsOf,
  daysInMonth,
  fiscalQuarter,
  isoDate,
  type QuarterNumber,
} from "~/kernel/dates";
import { kpiDefinition, type LocalizedText, type RegisterKey } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import type { PlanCategory } from "~/features/plans/categories";

/** When in the quarter an item is suggested to fall due: month 1-3 of the quarter, and a day. */
export interface DueInQuarter {
  month: 1 | 2 | 3;
  /** 1-28 (exists in every month) or the month's last day. */
  day: number | "last";
}

export interface SuggestedKpi {
  key: RegisterKey;
  better: "up" | "down";
}

export interface TemplateItem {
  /** Stable name of the template line, e.g. for tests and "added from template" history. */
  key: string;
  category: PlanCategory;
  title: LocalizedText;
  description: LocalizedText;
  due: DueInQuarter;
  kpi: SuggestedKpi | null;
}

// The direction always comes from the register, so the template cannot contradict it.
function kpi(key: RegisterKey): SuggestedKpi {
  return { key, better: kpiDefinition(key).better };
}

export const PLAN_TEMPLATE: Record<QuarterNumber, readonly TemplateItem[]> = {
  1: [
    {
      key: "customer_files",
      category: "credit_review",
      title: { en: "Build customer information files", zh: "梳理现有客户名单，建立客户信息档案" },
      description: {
        en: "Go through the customer list and survey each customer's business, finances and payment history.",
        zh: "开展客户信用调研，收集客户经营状况、财务状况及历史信用记录等信息",
      },
      due: { month: 1, day: "last" },
      kpi: null,
    },
    {
      key: "annual_credit_evaluation",
      category: "credit_review",
      title: {
        en: "Annual credit evaluation of existing customers",
        zh: "完成对现有客户的授信评估，更新客户信用评级",
      },
      description: {
        en: "Evaluate every existing customer's credit and update their credit grade; start the credit investigation for new customers.",
        zh: "对现有客户进行年度信用评估；对于新增客户，启动授信调查和评估流程",
      },
      due: { month: 2, day: "last" },
      kpi: null,
    },
    {
      key: "credit_limits",
      category: "policy",
      title: { en: "Set credit limits by risk grade", zh: "根据评估结果设定客户授信额度" },
      description: {
        en: "Set each customer's credit limit from the evaluation, and complete the credit policy and its approval process.",
        zh: "根据调研结果，初步评估客户信用风险等级，并设定不同客户的授信额度；完成客户授信政策的制定与审批流程",
      },
      due: { month: 3, day: 15 },
      kpi: kpi("customers_over_limit"),
    },
    {
      key: "risk_early_warning",
      category: "risk_warning",
      title: { en: "Set up risk early warning", zh: "建立风险预警机制" },
      description: {
        en: "Warn early of potential risks on receivables and prepare a response plan to reduce possible losses.",
        zh: "建立风险预警机制，对潜在风险进行及时预警；制定风险应对预案，降低潜在损失",
      },
      due: { month: 3, day: "last" },
      kpi: kpi("overdue_total"),
    },
  ],
  2: [
    {
      key: "ledger_clean_up",
      category: "reconciliation",
      title: {
        en: "Clean up receivables and keep the ledger",
        zh: "对应收账款进行全面清理，建立应收账款台账",
      },
      description: {
        en: "Clear every receivable, match unapplied payments and keep the receivables ledger accurate.",
        zh: "加强应收账款的日常管理，确保账务准确无误，防范呆账、坏账风险",
      },
      due: { month: 1, day: "last" },
      kpi: kpi("unapplied_credit"),
    },
    {
      key: "aging_analysis",
      category: "risk_warning",
      title: { en: "Aging analysis", zh: "分析应收账款的结构、账龄及风险状况" },
      description: {
        en: "Analyse the receivables by structure, age and risk, set a response for each, and warn on long-aged items.",
        zh: "分析应收账款的结构、账龄及风险状况，制定相应的应对策略；定期对账龄较长的应收账款进行风险预警，并采取措施进行处置",
      },
      due: { month: 2, day: 15 },
      kpi: kpi("overdue_ratio"),
    },
    {
      key: "collection_drive",
      category: "collection",
      title: { en: "Collection drive", zh: "开展应收账款的催收工作，提高回款率" },
      description: {
        en: "Chase overdue accounts promptly; settle with customers in arrears by negotiation or legal means.",
        zh: "对于超过付款期限的账款，及时采取措施催收；对于拖欠款项的客户，通过协商或法律手段予以解决",
      },
      due: { month: 3, day: "last" },
      kpi: kpi("collection_rate"),
    },
    {
      key: "bad_debt_provision_estimate",
      category: "bad_debt_provision",
      title: { en: "Estimate the bad-debt provision", zh: "评估坏账风险，调整坏账准备" },
      description: {
        en: "Assess bad-debt risk from history and current market conditions, and adjust the provision accordingly.",
        zh: "根据历史数据和当前市场状况，评估坏账风险，并相应调整准备金",
      },
      due: { month: 3, day: 20 },
      kpi: null,
    },
  ],
  3: [
    {
      key: "limit_adjustment",
      category: "credit_review",
      title: { en: "Adjust credit limits", zh: "对原有客户授信额度进行动态调整" },
      description: {
        en: "Adjust existing customers' credit limits to their credit standing and the market.",
        zh: "根据客户信用状况及市场变化，对原有客户授信额度进行动态调整",
      },
      due: { month: 2, day: "last" },
      kpi: kpi("customers_over_limit"),
    },
    {
      key: "half_year_risk_review",
      category: "risk_warning",
      title: { en: "Half-year credit-risk review", zh: "半年度客户信用风险事件总结分析" },
      description: {
        en: "Review the credit-risk events of the half year and adjust the credit strategy.",
        zh: "对半年度内发生的客户信用风险事件进行总结分析，调整授信策略",
      },
      due: { month: 1, day: "last" },
      kpi: kpi("overdue_total"),
    },
    {
      key: "risk_training",
      category: "training",
      title: { en: "Credit-risk management training", zh: "组织信用风险管理培训" },
      description: {
        en: "Train the team in credit-risk management to raise its risk awareness and skills.",
        zh: "定期组织信用风险管理培训，提高团队风险管理水平",
      },
      due: { month: 2, day: 15 },
      kpi: null,
    },
    {
      key: "customer_survey",
      category: "other",
      title: { en: "Customer satisfaction survey", zh: "开展客户满意度调查" },
      description: {
        en: "Survey customers' satisfaction, collect their needs and suggestions, and improve the service.",
        zh: "开展客户满意度调查，了解客户需求，优化客户服务",
      },
      due: { month: 3, day: 15 },
      kpi: null,
    },
  ],
  4: [
    {
      key: "year_end_collection_push",
      category: "year_end_push",
      title: { en: "Year-end collection push", zh: "年末应收款冲刺" },
      description: {
        en: "Plan and run the year-end collection push to raise the recovery of receivables.",
        zh: "制定并实施针对年末的应收款冲刺计划，努力提高应收款项的回收率",
      },
      due: { month: 3, day: "last" },
      kpi: kpi("overdue_total"),
    },
    {
      key: "year_end_credit_review",
      category: "credit_review",
      title: { en: "Year-end credit review", zh: "落实年末的授信审查和风险评估工作" },
      description: {
        en: "Review credit and assess risk at year end, so that customers' credit standing is sound.",
        zh: "落实年末的授信审查和风险评估工作，确保客户信用状况良好",
      },
      due: { month: 2, day: "last" },
      kpi: kpi("customers_overdue"),
    },
    {
      key: "audit_preparation",
      category: "audit",
      title: { en: "Prepare for the annual audit", zh: "年度审计准备" },
      description: {
        en: "Prepare the financial records and documents for the coming annual audit; complete the year's receivables clearing.",
        zh: "为即将到来的年度审计做好准备工作，包括整理相关的财务记录和资料；完成年度应收账款清算工作，确保账务无误",
      },
      due: { month: 3, day: 15 },
      kpi: null,
    },
    {
      key: "annual_summary_next_year_plan",
      category: "other",
      title: { en: "Annual summary and next year's plan", zh: "年度工作总结及下一年度工作计划" },
      description: {
        en: "Summarise the year's credit and receivables work, its results and problems, and draft next year's plan and targets.",
        zh: "对全年授信及应收管理工作进行总结和评估，分析取得的成绩和存在的问题；预测下一年度应收账款规模，制定相应管理计划",
      },
      due: { month: 3, day: "last" },
      kpi: null,
    },
  ],
};

export interface TemplateItemInQuarter extends Omit<TemplateItem, "due"> {
  dueDate: IsoDate;
}

export type PlanTemplate = Record<QuarterNumber, readonly TemplateItem[]>;

/** The template's items for a concrete quarter, with real due dates (the standard one unless given). */
export function templateItemsFor(
  fiscalYear: number,
  quarter: QuarterNumber,
  fiscalStartMonth = 1,
  template: PlanTemplate = PLAN_TEMPLATE
): TemplateItemInQuarter[] {
  const { start } = fiscalQuarter(fiscalYear, quarter, fiscalStartMonth);
  return template[quarter].map(({ due, ...item }) => ({
    ...item,
    dueDate: dueDateIn(start, due),
  }));
}

function dueDateIn(quarterStart: IsoDate, due: DueInQuarter): IsoDate {
  const { year, month } = datePartsOf(addMonths(quarterStart, due.month - 1));
  return isoDate(year, month, due.day === "last" ? daysInMonth(year, month) : due.day);
}
