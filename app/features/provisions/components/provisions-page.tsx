import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { useErrorText } from "~/ui/field";
import type { ProvisionResult } from "~/features/provisions/provision.server";
import type { ProvisionPageData } from "~/features/provisions/page.server";

const percent = (fraction: number) => `${(fraction * 100).toFixed(2)} %`;

function BandLabel({ from, to, first, basis }: { from: number; to: number | null; first: boolean; basis: string }) {
  const { t } = useTranslation();
  if (to === null) return <>{t("provisions.page.over", { days: from - 1 })}</>;
  if (first && basis === "due") return <>{t("provisions.page.range", { from: "≤ 0", to })}</>;
  return <>{t("provisions.page.range", { from, to })}</>;
}

/** The ladder and the matrix band by band, with the difference (what auditors ask about). */
export function SideBySide({ ladder, matrix }: { ladder: ProvisionResult; matrix: ProvisionResult }) {
  const { t } = useTranslation();
  const groupedLadder = ladder.bands.reduce((sum, band) => sum + band.provision, 0);
  const groupedMatrix = matrix.bands.reduce((sum, band) => sum + band.provision, 0);
  return (
    <div className="table-wrap">
      <table className="ledger-table stack-table">
        <caption>{t("provisions.page.grouped")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("provisions.page.band")}</th>
            <th scope="col" className="num">{t("provisions.page.balance")}</th>
            <th scope="col" className="num">{t("provisions.page.rate")}</th>
            <th scope="col" className="num">{t("provisions.page.ladder")}</th>
            <th scope="col" className="num">{t("provisions.page.lossRate")}</th>
            <th scope="col" className="num">{t("provisions.page.matrix")}</th>
            <th scope="col" className="num">{t("provisions.page.difference")}</th>
          </tr>
        </thead>
        <tbody>
          {ladder.bands.map((band, i) => {
            const other = matrix.bands[i];
            return (
              <tr key={band.fromDays}>
                <th scope="row" className="nowrap">
                  <BandLabel from={band.fromDays} to={band.toDays} first={i === 0} basis={ladder.basis} />
                </th>
                <td className="num" data-label={t("provisions.page.balance")}><Amount minor={band.balance} /></td>
                <td className="num" data-label={t("provisions.page.rate")}>{percent(band.rate)}</td>
                <td className="num" data-label={t("provisions.page.ladder")}><Amount minor={band.provision} /></td>
                <td className="num" data-label={t("provisions.page.lossRate")}>{other && other.toDays === band.toDays ? percent(other.rate) : "—"}</td>
                <td className="num" data-label={t("provisions.page.matrix")}>{other && other.toDays === band.toDays ? <Amount minor={other.provision} /> : "—"}</td>
                <td className="num" data-label={t("provisions.page.difference")}>
                  {other && other.toDays === band.toDays ? <Amount minor={other.provision - band.provision} /> : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("provisions.page.groupedTotal")}</th>
            <td className="num" data-label={t("provisions.page.balance")}><Amount minor={ladder.bands.reduce((sum, band) => sum + band.balance, 0)} /></td>
            <td />
            <td className="num" data-label={t("provisions.page.ladder")}><Amount minor={groupedLadder} /></td>
            <td />
            <td className="num" data-label={t("provisions.page.matrix")}><Amount minor={groupedMatrix} /></td>
            <td className="num" data-label={t("provisions.page.difference")}><Amount minor={groupedMatrix - groupedLadder} /></td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function SpecificTable({ result }: { result: ProvisionResult }) {
  const { t } = useTranslation();
  if (result.specific.length === 0) return <p className="muted">{t("provisions.page.specificNone")}</p>;
  return (
    <div className="table-wrap">
      <table className="ledger-table stack-table">
        <caption>{t("provisions.page.specificTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("provisions.page.customer")}</th>
            <th scope="col" className="num">{t("provisions.page.balance")}</th>
            <th scope="col" className="num">{t("provisions.page.provision")}</th>
            <th scope="col">{t("provisions.page.reason")}</th>
            <th scope="col">{t("provisions.page.evidence")}</th>
          </tr>
        </thead>
        <tbody>
          {result.specific.map((entry) => (
            <tr key={entry.customerId}>
              <th scope="row">{entry.customerCode} {entry.customerName}</th>
              <td className="num" data-label={t("provisions.page.balance")}><Amount minor={entry.balance} /></td>
              <td className="num" data-label={t("provisions.page.provision")}><Amount minor={entry.provision} /></td>
              <td data-label={t("provisions.page.reason")}>{t(`provisions.reasons.${entry.reason}`)}</td>
              <td data-label={t("provisions.page.evidence")}>{entry.evidence}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Totals({ ladder, matrix }: { ladder: ProvisionResult; matrix: ProvisionResult }) {
  const { t } = useTranslation();
  const rows = [
    { key: "ladder", label: t("provisions.page.ladder"), result: ladder },
    { key: "matrix", label: t("provisions.page.matrix"), result: matrix },
  ];
  return (
    <div className="table-wrap">
      <table className="ledger-table stack-table">
        <caption>{t("provisions.page.total")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("provisions.page.total")}</th>
            <th scope="col" className="num">{t("provisions.page.grossReceivables")}</th>
            <th scope="col" className="num">{t("provisions.page.provision")}</th>
            <th scope="col" className="num">{t("provisions.page.ratio")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, label, result }) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td className="num" data-label={t("provisions.page.grossReceivables")}><Amount minor={result.grossReceivables} /></td>
              <td className="num" data-label={t("provisions.page.provision")}><Amount minor={result.total} /></td>
              <td className="num" data-label={t("provisions.page.ratio")}>{result.ratio === null ? "—" : percent(result.ratio)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Errors = Record<string, string[] | undefined> | undefined;

function FieldError({ errors, name }: { errors: Errors; name: string }) {
  const text = useErrorText()(errors?.[name]?.[0]);
  return text ? <p className="field__error" id={`${name}-error`}>{text}</p> : null;
}

export function EditForms({ data, errors, intent }: { data: ProvisionPageData; errors: Errors; intent: string | null }) {
  const { t } = useTranslation();
  const mine = (name: string) => (errors && intent === name ? errors : undefined);
  return (
    <>
      <section aria-labelledby="tables-title">
        <h2 id="tables-title">{t("provisions.page.tablesTitle")}</h2>
        <p className="muted">{t("provisions.page.tablesIntro")}</p>
        {data.tables.length ? (
          <ul>
            {data.tables.map((table) => (
              <li key={table.id}>
                {table.effectiveFrom}: {table.upperDays.join(", ")} → {table.ratesPpm.map((ppm) => `${ppm / 10_000}%`).join(", ")} {table.note}
              </li>
            ))}
          </ul>
        ) : null}
        {data.canEdit ? (
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="rate-table" />
            <input type="hidden" name="version" value="0" />
            <label>
              {t("provisions.page.effectiveFrom")} <input name="effectiveFrom" type="date" required />
            </label>
            <FieldError errors={mine("rate-table")} name="effectiveFrom" />
            <label>
              {t("provisions.page.basis")}{" "}
              <select name="basis" defaultValue="issue">
                <option value="issue">{t("provisions.page.basisIssue")}</option>
                <option value="due">{t("provisions.page.basisDue")}</option>
              </select>
            </label>
            <label>
              {t("provisions.page.bands")} <input name="bands" defaultValue="365,730,1095,1460,1825" />
            </label>
            <FieldError errors={mine("rate-table")} name="bands" />
            <label>
              {t("provisions.page.rates")} <input name="rates" defaultValue="5,10,20,50,80,100" />
            </label>
            <FieldError errors={mine("rate-table")} name="rates" />
            <label>
              {t("provisions.page.note")} <input name="note" />
            </label>
            <FieldError errors={mine("rate-table")} name="form" />
            <button type="submit" className="button">{t("provisions.page.saveTable")}</button>
          </Form>
        ) : null}
      </section>
      {data.canEdit ? (
        <section aria-labelledby="specific-form-title">
          <h2 id="specific-form-title">{t("provisions.page.specificForm")}</h2>
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="specific" />
            <input type="hidden" name="id" value="" />
            <input type="hidden" name="version" value="0" />
            <label>
              {t("provisions.page.customerCode")} <input name="customerCode" required />
            </label>
            <FieldError errors={mine("specific")} name="customerCode" />
            <label>
              {t("provisions.page.effectiveFrom")} <input name="effectiveFrom" type="date" required defaultValue={data.asOf} />
            </label>
            <label>
              {t("provisions.page.kind")}{" "}
              <select name="kind" defaultValue="percent">
                <option value="percent">{t("provisions.page.kindPercent")}</option>
                <option value="amount">{t("provisions.page.kindAmount")}</option>
              </select>
            </label>
            <label>
              {t("provisions.page.value")} <input name="value" required />
            </label>
            <FieldError errors={mine("specific")} name="value" />
            <label>
              {t("provisions.page.reason")}{" "}
              <select name="reason" defaultValue="lawyer_letter">
                {(["lawyer_letter", "litigation", "bankruptcy", "other"] as const).map((reason) => (
                  <option key={reason} value={reason}>{t(`provisions.reasons.${reason}`)}</option>
                ))}
              </select>
            </label>
            <label>
              {t("provisions.page.evidence")} <textarea name="evidence" required />
            </label>
            <FieldError errors={mine("specific")} name="evidence" />
            <label>
              {t("provisions.page.actionIds")} <input name="actionIds" inputMode="numeric" />
            </label>
            <FieldError errors={mine("specific")} name="actionIds" />
            <button type="submit" className="button">{t("provisions.page.saveSpecific")}</button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="adjustments-title">
        <h2 id="adjustments-title">{t("provisions.page.adjustmentsTitle")}</h2>
        <p className="muted">{t("provisions.page.adjustmentsIntro")}</p>
        <ul>
          {data.adjustments.map((adjustment) => (
            <li key={adjustment.id}>
              {adjustment.effectiveFrom}: {adjustment.ppm / 10_000} % · {adjustment.reason} ·{" "}
              {adjustment.approvedAt ? t("provisions.page.approved", { date: adjustment.approvedAt.slice(0, 10) }) : t("provisions.page.waiting")}
              {!adjustment.approvedAt && data.canApprove ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="approve-adjustment" />
                  <input type="hidden" name="id" value={adjustment.id} />
                  <input type="hidden" name="version" value={adjustment.version} />
                  <button type="submit" className="button button--small">{t("provisions.page.approve")}</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {data.canEdit ? (
          <Form method="post" className="form-grid">
            <input type="hidden" name="intent" value="propose-adjustment" />
            <label>
              {t("provisions.page.effectiveFrom")} <input name="effectiveFrom" type="date" required defaultValue={data.asOf} />
            </label>
            <label>
              {t("provisions.page.percent")} <input name="percent" required />
            </label>
            <FieldError errors={mine("propose-adjustment")} name="percent" />
            <label>
              {t("provisions.page.adjustmentReason")} <textarea name="reason" required />
            </label>
            <FieldError errors={mine("propose-adjustment")} name="reason" />
            <button type="submit" className="button">{t("provisions.page.propose")}</button>
          </Form>
        ) : null}
      </section>
    </>
  );
}
