import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";
import { AHEAD_WEEKS, type Accuracy } from "../frozen";

/*
 * Forecast against actual: the past weeks' forecasts as they were frozen when each week started
 * (and four weeks before), beside what came in, with the error and its WAPE.
 */

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export function ForecastAccuracy({ accuracy, weeks }: { accuracy: Accuracy | null; weeks: number }) {
  const { t } = useTranslation();
  const format = useFormatAmount();
  const formatDate = useFormatDate();
  const none = t("forecastAccuracy.none");
  return (
    <section className="panel" aria-labelledby="forecast-accuracy">
      <h2 id="forecast-accuracy" className="panel__title">
        {t("forecastAccuracy.title")}
      </h2>
      <p className="muted">{t("forecastAccuracy.intro", { count: weeks })}</p>
      {accuracy === null ? (
        <p>{t("forecastAccuracy.notKept")}</p>
      ) : accuracy.weeksScored === 0 ? (
        <p>{t("forecastAccuracy.noneYet")}</p>
      ) : (
        <>
          <p data-testid="forecast-wape">
            <strong>
              {t("forecastAccuracy.wape", { wape: accuracy.wape === null ? none : percent(accuracy.wape), inRange: accuracy.weeksInRange, weeks: accuracy.weeksScored })}
            </strong>{" "}
            {accuracy.wapeAhead === null ? null : t("forecastAccuracy.wapeAhead", { weeks: AHEAD_WEEKS, wape: percent(accuracy.wapeAhead) })}
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t("forecastAccuracy.tableLabel")}>
            <table className="table">
              <caption className="visually-hidden">{t("forecastAccuracy.tableLabel")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("forecastAccuracy.week")}</th>
                  <th scope="col" className="num">{t("forecastAccuracy.forecast")}</th>
                  <th scope="col" className="num">{t("forecastAccuracy.range")}</th>
                  <th scope="col" className="num">{t("forecastAccuracy.actual")}</th>
                  <th scope="col" className="num">{t("forecastAccuracy.error")}</th>
                  <th scope="col" className="num">{t("forecastAccuracy.errorShare")}</th>
                  <th scope="col" className="num">{t("forecastAccuracy.ahead", { weeks: AHEAD_WEEKS })}</th>
                </tr>
              </thead>
              <tbody>
                {accuracy.rows.map((row) => (
                  <tr key={row.start}>
                    <th scope="row" style={{ whiteSpace: "nowrap" }}>
                      {formatDate(row.start)} – {formatDate(row.end)}
                      {row.reconstructed ? " *" : ""}
                    </th>
                    <td className="num">{row.forecast === null ? none : <Amount minor={row.forecast} />}</td>
                    <td className="num" style={{ whiteSpace: "nowrap" }}>
                      {row.low === null || row.high === null ? none : `${format(row.low)} – ${format(row.high)}`}
                    </td>
                    <td className="num">
                      <strong>
                        <Amount minor={row.actual} />
                      </strong>
                    </td>
                    <td className="num">{row.error === null ? none : <Amount minor={row.error} />}</td>
                    <td className="num" style={{ whiteSpace: "nowrap" }}>
                      {row.errorShare === null ? none : percent(row.errorShare)}
                    </td>
                    <td className="num">{row.ahead === null ? none : <Amount minor={row.ahead} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {accuracy.anyReconstructed ? <p className="muted">{t("forecastAccuracy.reconstructed")}</p> : null}
        </>
      )}
    </section>
  );
}
