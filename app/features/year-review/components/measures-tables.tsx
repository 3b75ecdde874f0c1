import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { type ConfirmationCounts, type YearMeasures, measureSentencesByTable } from "~/features/year-review/measures";

/*
 * The year's measures as tables, each with its generated sentence. Every count carries
 * `data-count` so the browser test reads the number the database gave.
 */

function MeasureTable({ id, title, sentences, children }: { id: string; title: string; sentences: string[]; children: ReactNode }) {
  return (
    <section className="report-measure" aria-labelledby={id} data-measure={id}>
      <h3 id={id}>{title}</h3>
      {sentences.map((sentence, index) => (
        <p key={index} className="report-measure__sentence">
          {sentence}
        </p>
      ))}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={title}>
        <table className="table">{children}</table>
      </div>
    </section>
  );
}

const Count = ({ value }: { value: number }) => <span data-count={value}>{value}</span>;

function ConfirmationRows({ rows, unnamed }: { rows: ConfirmationCounts[]; unnamed: string }) {
  return (
    <>
      {rows.map((row) => (
        <tr key={row.name ?? ""}>
          <th scope="row">{row.name ?? unnamed}</th>
          <td className="num"><Count value={row.total} /></td>
          <td className="num"><Count value={row.sent} /></td>
          <td className="num"><Count value={row.returned} /></td>
          <td className="num"><Count value={row.matched} /></td>
          <td className="num"><Count value={row.mismatched} /></td>
        </tr>
      ))}
    </>
  );
}

/** The appendix of the report: the year's recorded measures. */
export function MeasuresTables({ measures, currency, period = "year" }: { measures: YearMeasures; currency: string; period?: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const lang = useLocale() === "zh-CN" ? "zh" : "en";
  const sentences = measureSentencesByTable(measures, currency, lang, period === "year");
  const m = "review.report.measures";
  const confirmationHead = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t(`${m}.confirmations.total`)}</th>
        <th scope="col">{t(`${m}.confirmations.sent`)}</th>
        <th scope="col">{t(`${m}.confirmations.returned`)}</th>
        <th scope="col">{t(`${m}.confirmations.matched`)}</th>
        <th scope="col">{t(`${m}.confirmations.mismatched`)}</th>
      </tr>
    </thead>
  );
  return (
    <section className="review-section report-measures" aria-labelledby="measures-title">
      <h2 id="measures-title">{t(period === "year" ? `${m}.title` : `${m}.titlePeriod`)}</h2>
      <p className="muted">{t(`${m}.lead`, { from: formatDate(measures.from), to: formatDate(measures.to) })}</p>

      <MeasureTable id="measure-actions" sentences={sentences.actions} title={t(`${m}.actions.title`)}>
        <thead>
          <tr>
            <th scope="col">{t(`${m}.actions.kind`)}</th>
            <th scope="col">{t(`${m}.actions.count`)}</th>
            <th scope="col">{t(`${m}.actions.customers`)}</th>
            <th scope="col">{t(`${m}.actions.collectedAfter`)}</th>
          </tr>
        </thead>
        <tbody>
          {measures.actions.map((row) => (
            <tr key={row.kind} data-kind={row.kind}>
              <th scope="row">{t(`${m}.actionKinds.${row.kind}`)}</th>
              <td className="num"><Count value={row.count} /></td>
              <td className="num"><Count value={row.customers} /></td>
              <td className="num"><Amount minor={row.collectedAfter} /></td>
            </tr>
          ))}
        </tbody>
      </MeasureTable>

      <MeasureTable id="measure-holds" sentences={sentences.holds} title={t(`${m}.holds.title`)}>
        <thead>
          <tr>
            <th scope="col">{t(`${m}.holds.kind`)}</th>
            <th scope="col">{t(`${m}.holds.set`)}</th>
            <th scope="col">{t(`${m}.holds.released`)}</th>
            <th scope="col">{t(`${m}.holds.heldAtEnd`)}</th>
            <th scope="col">{t(`${m}.holds.overdueOfHeld`)}</th>
          </tr>
        </thead>
        <tbody>
          {measures.holds.map((row) => (
            <tr key={row.kind} data-kind={row.kind}>
              <th scope="row">{t(`holds.kind.${row.kind}`)}</th>
              <td className="num"><Count value={row.set} /></td>
              <td className="num"><Count value={row.released} /></td>
              <td className="num"><Count value={row.heldAtEnd} /></td>
              <td className="num"><Amount minor={row.overdueOfHeld} /></td>
            </tr>
          ))}
        </tbody>
      </MeasureTable>

      <MeasureTable id="measure-grades" sentences={sentences.grades} title={t(`${m}.grades.title`)}>
        <thead>
          <tr>
            <th scope="col">{t(`${m}.grades.customer`)}</th>
            <th scope="col">{t(`${m}.grades.from`)}</th>
            <th scope="col">{t(`${m}.grades.to`)}</th>
            <th scope="col">{t(`${m}.grades.direction`)}</th>
            <th scope="col">{t(`${m}.grades.on`)}</th>
          </tr>
        </thead>
        <tbody>
          {measures.grades.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">{t(`${m}.none`)}</td>
            </tr>
          ) : (
            measures.grades.map((row, index) => (
              <tr key={index} data-direction={row.direction}>
                <th scope="row">{row.code} {row.name}</th>
                <td>{row.from}</td>
                <td>{row.to}</td>
                <td>{t(`${m}.grades.${row.direction}`)}</td>
                <td>{formatDate(row.on)}</td>
              </tr>
            ))
          )}
        </tbody>
      </MeasureTable>

      <MeasureTable id="measure-decisions" sentences={sentences.decisions} title={t(`${m}.decisions.title`)}>
        <thead>
          <tr>
            <th scope="col">{t(`${m}.decisions.decision`)}</th>
            <th scope="col">{t(`${m}.decisions.count`)}</th>
            <th scope="col">{t(`${m}.decisions.approved`)}</th>
            <th scope="col">{t(`${m}.decisions.declined`)}</th>
            <th scope="col">{t(`${m}.decisions.waiting`)}</th>
          </tr>
        </thead>
        <tbody>
          {measures.decisions.map((row) => (
            <tr key={row.decision} data-kind={row.decision}>
              <th scope="row">{t(`${m}.decisionKinds.${row.decision}`)}</th>
              <td className="num"><Count value={row.count} /></td>
              <td className="num"><Count value={row.approved} /></td>
              <td className="num"><Count value={row.declined} /></td>
              <td className="num"><Count value={row.waiting} /></td>
            </tr>
          ))}
        </tbody>
      </MeasureTable>

      <MeasureTable id="measure-confirmations-owner" sentences={sentences.confirmations} title={`${t(`${m}.confirmations.title`)} · ${t(`${m}.confirmations.byOwner`)}`}>
        {confirmationHead(t(`${m}.confirmations.owner`))}
        <tbody>
          <ConfirmationRows rows={measures.confirmations.byOwner} unnamed={t(`${m}.confirmations.unnamed`)} />
          <ConfirmationRows rows={[{ ...measures.confirmations.all, name: t(`${m}.confirmations.all`) }]} unnamed="" />
        </tbody>
      </MeasureTable>
      <MeasureTable id="measure-confirmations-region" sentences={[]} title={`${t(`${m}.confirmations.title`)} · ${t(`${m}.confirmations.byRegion`)}`}>
        {confirmationHead(t(`${m}.confirmations.region`))}
        <tbody>
          <ConfirmationRows rows={measures.confirmations.byRegion} unnamed={t(`${m}.confirmations.unnamed`)} />
        </tbody>
      </MeasureTable>

      <MeasureTable id="measure-adjustments" sentences={sentences.adjustments} title={t(`${m}.adjustments.title`)}>
        <thead>
          <tr>
            <th scope="col">{t(`${m}.adjustments.type`)}</th>
            <th scope="col">{t(`${m}.adjustments.count`)}</th>
            <th scope="col">{t(`${m}.adjustments.amount`)}</th>
          </tr>
        </thead>
        <tbody>
          {measures.adjustments.map((row) => (
            <tr key={row.type} data-kind={row.type}>
              <th scope="row">{t(`${m}.adjustmentKinds.${row.type}`)}</th>
              <td className="num"><Count value={row.count} /></td>
              <td className="num"><Amount minor={row.amount} /></td>
            </tr>
          ))}
        </tbody>
      </MeasureTable>

      <MeasureTable id="measure-collections" sentences={sentences.collections} title={t(`${m}.collections.title`)}>
        <thead>
          <tr>
            <th scope="col">{t(`${m}.collections.customer`)}</th>
            <th scope="col">{t(`${m}.collections.payments`)}</th>
            <th scope="col">{t(`${m}.collections.offsets`)}</th>
            <th scope="col">{t(`${m}.collections.total`)}</th>
          </tr>
        </thead>
        <tbody>
          {measures.topCollections.length === 0 ? (
            <tr>
              <td colSpan={4} className="muted">{t(`${m}.none`)}</td>
            </tr>
          ) : (
            measures.topCollections.map((row) => (
              <tr key={row.customerId}>
                <th scope="row">{row.code} {row.name}</th>
                <td className="num"><Amount minor={row.payments} /></td>
                <td className="num"><Amount minor={row.offsets} /></td>
                <td className="num"><Amount minor={row.total} /></td>
              </tr>
            ))
          )}
        </tbody>
      </MeasureTable>
    </section>
  );
}
