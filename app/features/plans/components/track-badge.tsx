import { useTranslation } from "react-i18next";

import type { TrackStatus } from "~/features/plans/progress";

const TONE: Record<TrackStatus, string> = { on_track: "badge--ok", at_risk: "badge--warn", off_track: "badge--bad" };

/** On track / at risk / off track, as words on a coloured badge. */
export function TrackBadge({ track }: { track: TrackStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ${TONE[track]}`}>{t(`plans.track.${track}`)}</span>;
}
