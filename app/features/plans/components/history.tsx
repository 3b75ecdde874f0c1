import { useTranslation } from "react-i18next";

import { useKpiText } from "~/features/dashboard/components";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { isLinkableKpiKey, kpiDefinition } from "~/features/kpi";
import { parseScope } from "~/features/kpi";
import { ITEM_STATUS_NAMES, PLAN_CATEGORY_NAMES, isItemStatus, isPlanCategory } from "~/features/plans/categories";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useScopeLabel } from "./use-scope-label";

/** One audit entry of an item, as the loader sends it (app/features/plans/items.server.ts `itemHistory`). */
export interface HistoryEntryView {
  id: number;
  at: string;
  action: string;
  who: string | null;
  changes: { field: string; before: string | number | null; after: string | number | null }[];
  text: string | null;
  kpiKey: string | null;
}

const KNOWN_ACTIONS = ["created", "updated", "changed", "status", "note", "comment", "deleted"];

/** A field's stored value in words: names for categories, statuses and KPIs, dates, amounts. */
function useValueText(scopeNames: Record<string, string>) {
  const { t } = useTranslation();
  const locale = useLocale();
  const language = locale === "zh-CN" ? "zh" : "en";
  const formatDate = useFormatDate();
  const kpiText = useKpiText();
  const scopeText = useScopeLabel(scopeNames);
  return (field: string, value: string | number | null, kpiKey: string | null): string => {
    if (value === null) return t("planItems.history.empty");
    switch (field) {
      case "category":
        return isPlanCategory(value) ? PLAN_CATEGORY_NAMES[value][language] : String(value);
      case "status":
        return isItemStatus(value) ? ITEM_STATUS_NAMES[value][language] : String(value);
      case "due_date":
        return typeof value === "string" ? formatDate(value) : String(value);
      case "kpi_key":
        return isLinkableKpiKey(value) ? kpiDefinition(value).name[language] : String(value);
      case "kpi_scope": {
        const scope = parseScope(String(value));
        return scope.ok ? scopeText(scope.scope) : String(value);
      }
      case "kpi_target":
        return typeof value === "number" && isLinkableKpiKey(kpiKey) ? kpiText.value(value, kpiDefinition(kpiKey).unit) : String(value);
      default:
        return String(value);
    }
  };
}

/** The item's full history, newest first: who, when (installation time zone), what changed. */
export function ItemHistory({ entries, scopeNames = {} }: { entries: HistoryEntryView[]; scopeNames?: Record<string, string> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const valueText = useValueText(scopeNames);
  if (entries.length === 0) return <p className="muted">{t("planItems.history.none")}</p>;
  return (
    <ol className="history">
      {entries.map((entry) => (
        <li key={entry.id} className="history__entry">
          <p className="history__head">
            <time dateTime={entry.at}>{formatDateTime(entry.at, locale, timeZone)}</time>
            {" · "}
            <strong>{entry.who ?? t("planItems.history.system")}</strong>{" "}
            {t(`planItems.history.action.${KNOWN_ACTIONS.includes(entry.action) ? entry.action : "other"}`)}
          </p>
          {entry.changes.length > 0 ? (
            <ul className="history__changes">
              {entry.changes.map((change) => (
                <li key={change.field}>
                  <span className="history__field">{t(`planItems.field.${change.field}`, { defaultValue: change.field })}</span>
                  {": "}
                  {entry.action === "created" ? (
                    valueText(change.field, change.after, entry.kpiKey)
                  ) : entry.action === "deleted" ? (
                    valueText(change.field, change.before, entry.kpiKey)
                  ) : (
                    <>
                      <del>{valueText(change.field, change.before, entry.kpiKey)}</del>
                      {" → "}
                      <ins>{valueText(change.field, change.after, entry.kpiKey)}</ins>
                    </>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
          {entry.text ? <blockquote className="history__text">{entry.text}</blockquote> : null}
        </li>
      ))}
    </ol>
  );
}
