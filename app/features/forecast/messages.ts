/**
 * Messages of the collections forecast (`forecast.*`), one tree per language with the same keys
 * (the i18n unit test checks).
 */
import type { Widen } from "~/i18n/widen";

export const forecastEn = {
  rollRates: {
    badRow: "The monthly shares of aging band {{band}} must be between 0 and 1 and add up to 100 %.",
    badBalances: "Give one balance for each aging band.",
    neverAbsorbed: "Some balance would stay in an aging band for ever: no share of it is ever paid or written off.",
  },
};

export const forecastZhCN: Widen<typeof forecastEn> = {
  rollRates: {
    badRow: "账龄段 {{band}} 的月度比例须在 0 到 1 之间，且合计为 100%。",
    badBalances: "请为每个账龄段给出一个余额。",
    neverAbsorbed: "有余额会永远停留在某个账龄段：它既不会被收回，也不会被核销。",
  },
};
