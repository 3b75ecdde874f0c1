/** Messages of the administrator's installation settings page (`installation.*`). */
import type { Widen } from "../widen";

export const installationEn = {
  nav: "Installation",
  title: "Installation settings",
  lead: "Settings that apply to everyone using this installation.",
  fiscalStartMonth: "First month of the fiscal year",
  fiscalStartMonthHelp: "Q1 starts in this month; plans, quarter figures and year reviews follow it.",
  plansExist: "There are already {{count}} quarterly plans. Changing the month moves the quarters they cover: their items keep their due dates.",
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
  save: "Save",
  saved: "Installation settings saved.",
} as const;

export const installationZhCN: Widen<typeof installationEn> = {
  nav: "系统设置",
  title: "系统设置",
  lead: "对本系统所有用户生效的设置。",
  fiscalStartMonth: "财年起始月份",
  fiscalStartMonthHelp: "第1季度从该月开始；计划、季度数据和年度总结均以此为准。",
  plansExist: "系统中已有 {{count}} 份季度计划。修改起始月份会改变这些计划所对应的季度；事项的截止日期不变。",
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
  save: "保存",
  saved: "系统设置已保存。",
};
