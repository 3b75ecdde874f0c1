/**
 * Messages of the plan list, the plan board, approval and closing (`plans.*`), one tree per
 * language with the same keys (the i18n unit test checks).
 */
import type { Widen } from "../widen";

export const plansEn = {
  title: "Plans",
  nav: "Plans",
  error: {
    notFound: "No such plan or item.",
    exists: "There is already a plan for this quarter.",
    noPreviousPlan: "There is no plan for the quarter before to carry items over from.",
    checkFields: "Check the fields marked below.",
    conflict: "Someone else saved this item after you opened it. Their version is shown below; your changes were not saved.",
    planConflict: "The plan changed after you opened this page. Reload it and try again.",
    cancelInstead: "The plan is approved: cancel the item instead of deleting it.",
  },
  validation: {
    invalid: "Not a valid choice.",
    staleForm: "The form is out of date. Reload the page.",
    tooLong: "Too long.",
    category: "Choose a category.",
    date: "Enter a real date (YYYY-MM-DD).",
    kpi: "Choose a KPI from the list.",
    scope: "Choose a scope.",
    scopeValue: "Say which region, owner, customer or grade.",
    unknownScope: "No customers match this scope.",
    number: "Enter a number.",
    notNegative: "Must not be negative.",
    wholeNumber: "Enter a whole number.",
    status: "Choose a status.",
    year: "Enter a fiscal year such as 2027.",
    quarter: "Choose a quarter.",
    source: "Choose how to start the plan.",
    owner: "Choose an active head or staff member.",
    unknownCustomers: "Some customer codes are unknown.",
  },
} as const;

export const plansZhCN: Widen<typeof plansEn> = {
  title: "计划",
  nav: "季度计划",
  error: {
    notFound: "找不到该计划或事项。",
    exists: "该季度已有计划。",
    noPreviousPlan: "上一季度没有计划，无法结转未完成事项。",
    checkFields: "请检查下面标出的字段。",
    conflict: "在您打开此事项后，其他人已保存了修改。下方显示的是对方保存的版本；您的修改未保存。",
    planConflict: "在您打开此页面后计划已发生变化，请刷新后重试。",
    cancelInstead: "计划已批准：请取消该事项，而不是删除。",
  },
  validation: {
    invalid: "选择无效。",
    staleForm: "表单已过期，请刷新页面。",
    tooLong: "内容过长。",
    category: "请选择类别。",
    date: "请输入有效日期（YYYY-MM-DD）。",
    kpi: "请从列表中选择指标。",
    scope: "请选择范围。",
    scopeValue: "请指明区域、负责人、客户或信用等级。",
    unknownScope: "没有符合该范围的客户。",
    number: "请输入数字。",
    notNegative: "不能为负数。",
    wholeNumber: "请输入整数。",
    status: "请选择状态。",
    year: "请输入财年，例如 2027。",
    quarter: "请选择季度。",
    source: "请选择计划的起草方式。",
    owner: "请选择在职的部门负责人或员工。",
    unknownCustomers: "部分客户编码不存在。",
  },
};
