import type { TFunction } from "i18next";

/** A reason as the domain words it: an i18n key and parameters (see app/features/credit/rules.ts). */
export interface ReasonLike {
  key: string;
  params: Record<string, string | number>;
}

/**
 * Renders a reason in the reader's language: a parameter `xKey` is an i18n key whose text becomes
 * `x`; a parameter `xMinor` is money in minor units that becomes `x` formatted for the locale;
 * `unit` (days / percent / count) writes `value` and `threshold` with their unit.
 */
export function reasonText(t: TFunction, formatAmount: (minor: number) => string, reason: ReasonLike): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(reason.params)) {
    if (name.endsWith("Key") && typeof value === "string") params[name.slice(0, -3)] = t(value);
    else if (name.endsWith("Minor") && typeof value === "number") params[name.slice(0, -5)] = formatAmount(value);
    else params[name] = value;
  }
  const unit = reason.params.unit;
  if (unit === "days" || unit === "percent" || unit === "count") {
    for (const name of ["value", "threshold"]) {
      if (name in params) params[name] = t(`credit.withUnit.${unit}`, { value: params[name] });
    }
  }
  return t(reason.key, params);
}
