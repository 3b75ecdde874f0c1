import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { PeriodScoring } from "~/features/year-review/report-scoring";

const s = "review.report.scoring";

/**
 * The period's staff scoring (考核) as a ranked table: points, rank and warning per owner, the
 * four measures' shares beside them; the rules stated above it, as the scoreboard states them.
 */
export function ScoringTable({ scoring, headingId = "report-scoring" }: { scoring: PeriodScoring; headingId?: string }) {
  const { t } = useTranslation();
  const percent = (share: number | null) => (share === null ? "—" : `${(Math.round(share * 1000) / 10).toFixed(1)}%`);
  return (
    <section className="review-section report-scoring" aria-labelledby={headingId} data-measure="scoring">
      <h2 id={headingId}>{t(`${s}.title`)}</h2>
      <p className="muted">{t(`${s}.lead`, { from: scoring.from, to: scoring.to, warnBelow: scoring.warnBelow })}</p>
      <p className="muted small">
        {t("scoreboard.scoring.rule", { ...scoring.weights, warnBelow: scoring.warnBelow })}{" "}
        <Link to="/scoreboard/rules" className="no-print">
          {t(`${s}.rules`)}
        </Link>
      </p>
      {scoring.lines.length === 0 ? (
        <p className="muted">{t(`${s}.none`)}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t(`${s}.title`)}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t(`${s}.rank`)}</th>
                <th scope="col">{t(`${s}.owner`)}</th>
                <th scope="col" className="num">
                  {t(`${s}.points`)}
                </th>
                <th scope="col" className="num">
                  {t("scoreboard.scoring.measure.collectionRate")}
                </th>
                <th scope="col" className="num">
                  {t("scoreboard.scoring.measure.overdueReduction")}
                </th>
                <th scope="col" className="num">
                  {t("scoreboard.scoring.measure.promisesKept")}
                </th>
                <th scope="col" className="num">
                  {t("scoreboard.scoring.measure.itemsOnTime")}
                </th>
                <th scope="col">{t(`${s}.warning`)}</th>
              </tr>
            </thead>
            <tbody>
              {scoring.lines.map((line) => (
                <tr key={line.ownerId} data-owner={line.ownerId} data-warning={line.warning ? "yes" : "no"}>
                  <td>{line.rank ?? "—"}</td>
                  <th scope="row">
                    {line.name}
                    {line.active ? null : <span className="muted small"> ({t(`${s}.inactive`)})</span>}
                  </th>
                  <td className="num" data-points={line.points ?? ""}>
                    {line.points === null ? t(`${s}.notScored`) : line.points.toFixed(1)}
                  </td>
                  <td className="num">{percent(line.shares.collectionRate)}</td>
                  <td className="num">{percent(line.shares.overdueReduction)}</td>
                  <td className="num">{percent(line.shares.promisesKept)}</td>
                  <td className="num">{percent(line.shares.itemsOnTime)}</td>
                  <td>{line.warning ? <span className="badge badge--warn">{t(`${s}.warned`, { warnBelow: scoring.warnBelow })}</span> : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
