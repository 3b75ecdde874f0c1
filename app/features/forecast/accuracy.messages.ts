/**
 * Messages of forecast against actual on the forecast page (`forecastAccuracy.*`), one tree per
 * language with the same keys.
 */
import type { Widen } from "~/i18n/widen";

export const forecastAccuracyEn = {
  title: "Forecast against actual",
  intro: "Each Monday the forecast for the week ahead is frozen and kept. Here the past {{count}} weeks' forecasts stand beside what actually came in, so you can judge how far to trust the figures above.",
  wape: "Over the weeks with a kept forecast, the forecast made when the week started was off by {{wape}} of what came in (WAPE: the sum of the weekly errors ÷ the sum collected); {{inRange}} of {{weeks}} weeks came in inside the low–high range.",
  wapeAhead: "Made {{weeks}} weeks ahead, the forecast was off by {{wape}}.",
  noneYet: "No forecast has been kept for a past week yet: the first is kept on the Monday after the forecast inputs are built, and the comparison starts when that week has ended.",
  notKept: "Forecasts are kept for the company, each owner, region and credit grade, not for single customers.",
  reconstructed: "Weeks marked * were frozen after they had started (the server was not running on their Monday): worked out from the ledger as it stood on the Sunday before.",
  week: "Week",
  forecast: "Forecast at the week's start",
  range: "Low–high",
  actual: "Came in",
  error: "Error",
  errorShare: "Error %",
  ahead: "Forecast {{weeks}} weeks ahead",
  none: "—",
  tableLabel: "Weekly forecasts kept when each week started, beside what came in",
};

export const forecastAccuracyZhCN: Widen<typeof forecastAccuracyEn> = {
  title: "预测与实际对比",
  intro: "每周一会冻结并保存对未来一周的预测。这里将过去 {{count}} 周的预测与实际回款并列，帮助您判断上方数字的可信程度。",
  wape: "在保存了预测的各周中，周初所作预测与实际回款的偏差为 {{wape}}（WAPE：各周误差之和 ÷ 回款之和）；{{weeks}} 周中有 {{inRange}} 周的实际回款落在高低区间内。",
  wapeAhead: "提前 {{weeks}} 周所作的预测，偏差为 {{wape}}。",
  noneYet: "尚未保存过去任何一周的预测：预测输入生成后的第一个周一开始保存，该周结束后即可对比。",
  notKept: "预测按公司、每位负责人、区域和信用等级保存，不按单个客户保存。",
  reconstructed: "标有 * 的周是在该周开始后才冻结的（该周一服务器未运行）：按前一个周日的账簿状况推算。",
  week: "周",
  forecast: "周初预测",
  range: "低–高",
  actual: "实际回款",
  error: "误差",
  errorShare: "误差 %",
  ahead: "提前 {{weeks}} 周的预测",
  none: "—",
  tableLabel: "每周开始时保存的周预测与实际回款对比",
};
