/**
 * Messages of the review's next-year projection (`review.nextYear.*`), in both languages with the
 * same keys.
 */
import type { Widen } from "~/i18n/widen";

export const nextYearEn = {
  heading: "Next year's receivables, month by month",
  lead: "A projection of fiscal year {{year}}: sales shaped as the last years sold, each invoice paid after its payment terms and the customers' usual days late, starting from the receivables at the end of {{previous}}.",
  method:
    "Sales: {{base}} sold in {{previous}} × (1 + {{growth}} %) = {{total}}, split over the months by their average share of the year in {{seasonYears}}. Invoices are expected paid {{days}} days after issue: payment terms of {{terms}} days plus {{late}} days late on average (the forecast's behaviour, weighted by the customers' sales). The opening balance of {{opening}} comes in as the last {{days}} days' sales would.",
  unmeasured: "No invoice was paid in the year: the projection takes invoices as paid on the day they are issued.",
  pending: "The customers' payment behaviour is still being summed in the background: the projection shows in a minute or two.",
  running: "The projection starts from the receivables at the year's end: it shows once fiscal year {{year}} has ended.",
  closing: "Projected receivables on {{date}}: {{amount}} (DSO {{dso}} days).",
  form: {
    title: "Scenario",
    growth: "Sales growth (%)",
    growthHint: "0 % when empty",
    dsoTarget: "DSO target (days)",
    dsoHintPlan: "the year's plan target, {{target}} days, when empty",
    dsoHintNone: "no target when empty",
    submit: "Recalculate",
    reset: "Defaults",
  },
  month: "Month",
  sales: "Sales",
  collections: "Collections",
  receivables: "Receivables at month end",
  dso: "DSO (days)",
  target: "Receivables at the DSO target",
  gap: "Above the target",
  year: "Year",
  table: "Next year's receivables by month",
  chart: {
    title: "Projected receivables and DSO",
    label: "Projected receivables (bars) and DSO (line) from {{from}} to {{to}}",
    days: "days",
  },
  sheet: "Next year receivables",
  error: {
    growthNumber: "Enter the growth as a number of per cent, such as 5 or -2.5.",
    growthRange: "The growth must be between -100 % and 500 %.",
    dsoNumber: "Enter the DSO target as a number of days, such as 45.",
    dsoRange: "The DSO target must be more than 0 and at most 365 days.",
    shown: "The figures below use the default for the field in error.",
  },
};

export const nextYearZhCN: Widen<typeof nextYearEn> = {
  heading: "下一年度应收账款预测（按月）",
  lead: "预测{{year}}财年：销售按前几年的季节性分布，每张发票按付款条件加客户通常的逾期天数回款，从{{previous}}年末的应收账款余额出发。",
  method:
    "销售额：{{previous}}年销售 {{base}} ×（1 + {{growth}}%）= {{total}}，按{{seasonYears}}各月占全年比例的平均值分配到各月。发票预计在开票后 {{days}} 天回款：付款条件 {{terms}} 天，加平均逾期 {{late}} 天（回款预测的付款行为，按客户销售额加权）。期初余额 {{opening}} 按最后 {{days}} 天的销售回款节奏收回。",
  unmeasured: "本年度没有已回款的发票：预测按开票当日回款计算。",
  pending: "后台正在汇总客户的回款行为：预测将在一两分钟后显示。",
  running: "预测从年末应收账款余额出发：{{year}}财年结束后显示。",
  closing: "预计 {{date}} 日终应收账款 {{amount}}（DSO {{dso}} 天）。",
  form: {
    title: "情景假设",
    growth: "销售增长率（%）",
    growthHint: "留空为 0%",
    dsoTarget: "DSO 目标（天）",
    dsoHintPlan: "留空取本年度计划的目标 {{target}} 天",
    dsoHintNone: "留空为不设目标",
    submit: "重新计算",
    reset: "恢复默认",
  },
  month: "月份",
  sales: "销售额",
  collections: "回款额",
  receivables: "月末应收账款",
  dso: "DSO（天）",
  target: "DSO 目标对应应收",
  gap: "超出目标",
  year: "全年",
  table: "下一年度各月应收账款",
  chart: {
    title: "预计应收账款与 DSO",
    label: "{{from}}至{{to}}预计应收账款（柱）与 DSO（线）",
    days: "天",
  },
  sheet: "明年应收预测",
  error: {
    growthNumber: "请输入增长百分比数字，如 5 或 -2.5。",
    growthRange: "增长率须在 -100% 到 500% 之间。",
    dsoNumber: "请输入 DSO 目标天数，如 45。",
    dsoRange: "DSO 目标须大于 0 且不超过 365 天。",
    shown: "下表对出错的字段使用默认值。",
  },
};
