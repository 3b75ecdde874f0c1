import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import type { YearProvisionMovement } from "~/features/provisions/movement";

/**
 * The year's bad-debt provision movement for the year review: opening, charge, reversal, written
 * off, closing, from the approved runs ending in the year (linked). Self-contained: the review
 * passes what its loader read, or null (staff, or no approved run), which says so.
 */
export function YearProvisionMovementTable({ data, year }: { data: YearProvisionMovement | null; year: number }) {
  const { t } = useTranslation();
  return (
    <section className="review-provisions" aria-labelledby="year-provisions">
      <h3 id="year-provisions">{t("provisions.year.title", { year })}</h3>
      {data === null ? (
        <p className="muted">{t("provisions.year.none")}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="ledger-table">
              <caption className="visually-hidden">{t("provisions.year.title", { year })}</caption>
              <tbody>
                {(
                  [
                    ["opening", data.movement.opening],
                    ["charge", data.movement.charge],
                    ["reversal", -data.movement.reversal],
                    ["writtenOff", -data.movement.writtenOff],
                    ["closing", data.movement.closing],
                  ] as const
                ).map(([key, minor]) => (
                  <tr key={key}>
                    <th scope="row">{t(`provisions.runs.${key}`)}</th>
                    <td className="num" data-testid={`year-provision-${key}`}>
                      <Amount minor={minor} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            {t("provisions.year.runs")}{" "}
            {data.runs.map((run, i) => (
              <span key={run.id}>
                {i > 0 ? ", " : null}
                <Link to={`/provisions/runs/${run.id}`}>{run.periodEnd}</Link>
              </span>
            ))}
          </p>
        </>
      )}
    </section>
  );
}
