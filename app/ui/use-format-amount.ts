import { useRouteLoaderData } from "@remix-run/react";
import { useCallback } from "react";

import { formatAmount, wanUnitText } from "~/kernel/money";
import type { Locale } from "~/i18n";
import type { loader as rootLoader } from "~/root";
import { formatDate } from "~/ui/format";

/** The installation's base currency; the only one until the currency setting reaches the screens. */
const CURRENCY = "CNY";

function useRootData() {
  return useRouteLoaderData<typeof rootLoader>("root");
}

/** The viewer's language (root loader: the user's choice, else cookie or browser). */
export function useLocale(): Locale {
  return useRootData()?.locale ?? "en";
}

/**
 * Formats minor units for the viewer: their language, and 万元 when they chose it. The setting
 * reads "万元 (Chinese display only)", so English pages always show whole currency units.
 */
export function useFormatAmount(options: { unitInHeader?: boolean } = {}): (minor: number) => string {
  const root = useRootData();
  const locale = root?.locale ?? "en";
  const unit = locale === "zh-CN" ? root?.amountUnit ?? "yuan" : "yuan";
  const unitInHeader = options.unitInHeader ?? false;
  return useCallback((minor: number) => formatAmount(minor, { locale, currency: CURRENCY, unit, unitInHeader }), [locale, unit, unitInHeader]);
}

/**
 * The unit a table states once in its header when its cells leave it out (useFormatAmount with
 * unitInHeader): "万元" in 万元 mode; null in yuan, where every amount keeps its currency sign.
 */
export function useAmountUnitText(): string | null {
  const root = useRootData();
  const locale = root?.locale ?? "en";
  return locale === "zh-CN" && root?.amountUnit === "wan" ? wanUnitText(CURRENCY) : null;
}

/** Formats an ISO date for the viewer's language. */
export function useFormatDate(): (iso: string) => string {
  const locale = useLocale();
  return useCallback((iso: string) => formatDate(iso, locale), [locale]);
}
