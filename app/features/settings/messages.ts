/** Messages of the administrator's installation settings page (`installation.*`). */
import type { Widen } from "~/i18n/widen";

export const installationEn = {
  nav: "Installation",
  title: "Installation settings",
  lead: "Settings that apply to everyone using this installation.",
  fiscalStartMonth: "First month of the fiscal year",
  fiscalStartMonthHelp: "Q1 starts in this month; new plans, quarter figures and year reviews follow it.",
  plansExist:
    "There are already {{count}} quarterly plans. They keep their names and dates; new plans follow the new month, and a quarter that shares days with an existing plan cannot get a plan of its own.",
  month: {
    "1": "January",
    "2": "February",
    "3": "March",
    "4": "April",
    "5": "May",
    "6": "June",
    "7": "July",
    "8": "August",
    "9": "September",
    "10": "October",
    "11": "November",
    "12": "December",
  },
  invalidMonth: "Choose a month.",
  staleForm: "This form is out of date. Reload the page and make your change again.",
  conflict: "Another administrator changed this setting while you were editing it. It now reads as they left it; make your change again if it is still needed.",
  save: "Save",
  saved: "Installation settings saved.",
} as const;

export const installationZhCN: Widen<typeof installationEn> = {
  nav: "系统设置",
  title: "系统设置",
  lead: "对本系统所有用户生效的设置。",
  fiscalStartMonth: "财年起始月份",
  fiscalStartMonthHelp: "第1季度从该月开始；新建计划、季度数据和年度总结均以此为准。",
  plansExist: "系统中已有 {{count}} 份季度计划。这些计划保留原有名称和起止日期；新计划按新的起始月份划分季度，与已有计划日期重叠的季度不能再建计划。",
  month: {
    "1": "1月",
    "2": "2月",
    "3": "3月",
    "4": "4月",
    "5": "5月",
    "6": "6月",
    "7": "7月",
    "8": "8月",
    "9": "9月",
    "10": "10月",
    "11": "11月",
    "12": "12月",
  },
  invalidMonth: "请选择月份。",
  staleForm: "此表单已过期。请刷新页面后重新修改。",
  conflict: "在您编辑期间，另一位管理员修改了此设置。现在显示的是其保存的内容；如仍需修改，请重新操作。",
  save: "保存",
  saved: "系统设置已保存。",
};
