import { useTranslation } from "react-i18next";

import { type KpiScope, parseScope, scopeText } from "~/features/kpi";

/**
 * "whole company", "region 华东", "owner Li Wei", "customer C001 …", "grade A" in the viewer's
 * language. `names` (from the loader, by scope text) names owners and customers as people call
 * them; without it the scope's own words are shown.
 */
export function useScopeLabel(names: Record<string, string> = {}) {
  const { t } = useTranslation();
  return (given: KpiScope | string): string => {
    let scope: KpiScope;
    if (typeof given === "string") {
      const parsed = parseScope(given);
      if (!parsed.ok) return given;
      scope = parsed.scope;
    } else scope = given;
    switch (scope.type) {
      case "company":
        return t("plans.scope.company");
      case "region":
        return t("plans.scope.region", { name: scope.name });
      case "owner":
        return t("plans.scope.owner", { name: names[scopeText(scope)] ?? scope.email });
      case "customer":
        return t("plans.scope.customer", { name: names[scopeText(scope)] ?? scope.code });
      case "grade":
        return t("plans.scope.grade", { name: scope.grade });
    }
  };
}
