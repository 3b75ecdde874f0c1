import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { SelectField, TextAreaField, TextField, useErrorText } from "~/ui/field";
import { PROVISION_REASONS } from "~/features/provisions/schema";
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
            <th scope="col">{t("provisions.page.method")}</th>
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

/** A refusal that belongs to no one field (an outdated version, a forged post), above the form's fields. */
function FormError({ errors }: { errors: Errors }) {
  const text = useErrorText()(errors?.form?.[0]);
  return text ? <p className="alert alert--error" role="alert">{text}</p> : null;
}

export function EditForms({ data, errors, intent }: { data: ProvisionPageData; errors: Errors; intent: string | null }) {
  const { t } = useTranslation();
  const mine = (name: string) => (errors && intent === name ? errors : undefined);
  const table = mine("rate-table");
  const specific = mine("specific");
  const adjustment = mine("propose-adjustment");
  return (
    <>
      <section aria-labelledby="tables-title" className="section">
        <h2 id="tables-title">{t("provisions.page.tablesTitle")}</h2>
        <p className="muted">{t("provisions.page.tablesIntro")}</p>
        {data.tables.length ? (
          <ul>
            {data.tables.map((rateTable) => (
              <li key={rateTable.id}>
                {rateTable.effectiveFrom}: {rateTable.upperDays.join(", ")} → {rateTable.ratesPpm.map((ppm) => `${ppm / 10_000}%`).join(", ")} {rateTable.note}
              </li>
            ))}
          </ul>
        ) : null}
        {data.canEdit ? (
          <Form method="post" className="card" aria-labelledby="tables-title">
            <FormError errors={table} />
            <input type="hidden" name="intent" value="rate-table" />
            <input type="hidden" name="version" value="0" />
            <div className="form-grid">
              <TextField id="table-effectiveFrom" label={t("provisions.page.effectiveFrom")} name="effectiveFrom" type="date" required error={table?.effectiveFrom?.[0]} />
              <SelectField id="table-basis" label={t("provisions.page.basis")} name="basis" defaultValue="issue" error={table?.basis?.[0]}>
                <option value="issue">{t("provisions.page.basisIssue")}</option>
                <option value="due">{t("provisions.page.basisDue")}</option>
              </SelectField>
              <TextField id="table-bands" label={t("provisions.page.bands")} name="bands" defaultValue="365,730,1095,1460,1825" error={table?.bands?.[0]} />
              <TextField id="table-rates" label={t("provisions.page.rates")} name="rates" defaultValue="5,10,20,50,80,100" error={table?.rates?.[0]} />
              <TextField id="table-note" label={t("provisions.page.note")} name="note" error={table?.note?.[0]} />
              <div className="form-actions">
                <button type="submit" className="button button--primary">{t("provisions.page.saveTable")}</button>
              </div>
            </div>
          </Form>
        ) : null}
      </section>
      {data.canEdit ? (
        <section aria-labelledby="specific-form-title" className="section">
          <h2 id="specific-form-title">{t("provisions.page.specificForm")}</h2>
          <Form method="post" className="card" aria-labelledby="specific-form-title">
            <FormError errors={specific} />
            <input type="hidden" name="intent" value="specific" />
            <input type="hidden" name="id" value="" />
            <input type="hidden" name="version" value="0" />
            <div className="form-grid">
              <TextField id="specific-customerCode" label={t("provisions.page.customerCode")} name="customerCode" required error={specific?.customerCode?.[0]} />
              <TextField id="specific-effectiveFrom" label={t("provisions.page.effectiveFrom")} name="effectiveFrom" type="date" required defaultValue={data.asOf} error={specific?.effectiveFrom?.[0]} />
              <SelectField id="specific-kind" label={t("provisions.page.kind")} name="kind" defaultValue="percent" error={specific?.kind?.[0]}>
                <option value="percent">{t("provisions.page.kindPercent")}</option>
                <option value="amount">{t("provisions.page.kindAmount")}</option>
              </SelectField>
              <TextField id="specific-value" label={t("provisions.page.value")} name="value" required inputMode="decimal" error={specific?.value?.[0]} />
              <SelectField id="specific-reason" label={t("provisions.page.reason")} name="reason" defaultValue="lawyer_letter" error={specific?.reason?.[0]}>
                {PROVISION_REASONS.map((reason) => (
                  <option key={reason} value={reason}>{t(`provisions.reasons.${reason}`)}</option>
                ))}
              </SelectField>
              <TextField id="specific-actionIds" label={t("provisions.page.actionIds")} name="actionIds" inputMode="numeric" error={specific?.actionIds?.[0]} />
              <TextAreaField id="specific-evidence" label={t("provisions.page.evidence")} name="evidence" required error={specific?.evidence?.[0]} />
              <div className="form-actions">
                <button type="submit" className="button button--primary">{t("provisions.page.saveSpecific")}</button>
              </div>
            </div>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="adjustments-title" className="section">
        <h2 id="adjustments-title">{t("provisions.page.adjustmentsTitle")}</h2>
        <p className="muted">{t("provisions.page.adjustmentsIntro")}</p>
        <ul>
          {data.adjustments.map((entry) => (
            <li key={entry.id}>
              {entry.effectiveFrom}: {entry.ppm / 10_000} % · {entry.reason} ·{" "}
              {entry.approvedAt ? t("provisions.page.approved", { date: entry.approvedAt.slice(0, 10) }) : t("provisions.page.waiting")}
              {!entry.approvedAt && data.canApprove ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="approve-adjustment" />
                  <input type="hidden" name="id" value={entry.id} />
                  <input type="hidden" name="version" value={entry.version} />
                  <button type="submit" className="button button--small">{t("provisions.page.approve")}</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {data.canEdit ? (
          <Form method="post" className="card" aria-labelledby="adjustments-title">
            <FormError errors={adjustment} />
            <input type="hidden" name="intent" value="propose-adjustment" />
            <div className="form-grid">
              <TextField id="adjustment-effectiveFrom" label={t("provisions.page.effectiveFrom")} name="effectiveFrom" type="date" required defaultValue={data.asOf} error={adjustment?.effectiveFrom?.[0]} />
              <TextField id="adjustment-percent" label={t("provisions.page.percent")} name="percent" required inputMode="decimal" error={adjustment?.percent?.[0]} />
              <TextAreaField id="adjustment-reason" label={t("provisions.page.adjustmentReason")} name="reason" required error={adjustment?.reason?.[0]} />
              <div className="form-actions">
                <button type="submit" className="button button--primary">{t("provisions.page.propose")}</button>
              </div>
            </div>
          </Form>
        ) : null}
      </section>
    </>
  );
}
