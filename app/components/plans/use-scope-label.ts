import { useTranslation } from "react-i18next";

import { type KpiScope, parseScope } from "~/domain/kpi-scope";

/** "whole company", "region 华东", "owner li.wei@…", "customer C001", "grade A" in the viewer's language. */
export function useScopeLabel() {
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
        return t("plans.scope.owner", { name: scope.email });
      case "customer":
        return t("plans.scope.customer", { name: scope.code });
      case "grade":
        return t("plans.scope.grade", { name: scope.grade });
    }
  };
}
