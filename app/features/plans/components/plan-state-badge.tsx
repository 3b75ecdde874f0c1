import { useTranslation } from "react-i18next";

import type { PlanState } from "~/features/plans/lifecycle";

const TONE: Record<PlanState, string> = {
  draft: "badge--muted",
  submitted: "badge--info",
  returned: "badge--warn",
  approved: "badge--ok",
  closed: "badge--muted",
};

/** The plan's state as a labelled badge (text, not colour alone). */
export function PlanStateBadge({ state }: { state: PlanState }) {
  const { t } = useTranslation();
  return <span className={`badge ${TONE[state]}`}>{t(`plans.state.${state}`)}</span>;
}
