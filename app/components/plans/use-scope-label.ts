import { useTranslation } from "react-i18next";

import { parseScope } from "~/domain/kpi-scope";

/** "whole company", "region 华东", "owner li.wei@…", "customer C001", "grade A" in the viewer's language. */
export function useScopeLabel() {
  const { t } = useTranslation();
  return (text: string): string => {
    const parsed = parseScope(text);
    if (!parsed.ok) return text;
    const scope = parsed.scope;
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
