import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { SelectField, TextField } from "~/ui/field";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";
import type { RunPageData } from "~/features/provisions/runs.server";

const percent = (fraction: number) => `${(fraction * 100).toFixed(2)} %`;

export interface RunListItem {
  id: number;
  periodEnd: string;
  kind: "month" | "quarter" | "year";
  status: "draft" | "approved";
  ladderTotal: number;
  matrixTotal: number;
}

/** The schedule's downloads: by band and by customer, XLSX and CSV. */
export function ExportLinks({ asOf, basis }: { asOf: string; basis: string }) {
  const { t } = useTranslation();
  const href = (table: string, format: string) => `/provisions/export?table=${table}&format=${format}&asOf=${asOf}&basis=${basis}`;
  return (
    <p className="export-links">
      {t("provisions.page.labelled", { label: t("provisions.export.byBand") })} <a href={href("bands", "xlsx")} download>XLSX</a> · <a href={href("bands", "csv")} download>CSV</a>
      {" · "}
      {t("provisions.page.labelled", { label: t("provisions.export.byCustomer") })} <a href={href("customers", "xlsx")} download>XLSX</a> · <a href={href("customers", "csv")} download>CSV</a>
    </p>
  );
}

const PERIODS = ["month", "quarter", "year"] as const;

/** The runs list (all, or of one period kind), the movement table's downloads, and the head's draft form. */
export function RunList({
  runs,
  period,
  canDraft,
  draft,
  errors,
}: {
  runs: RunListItem[];
  period: RunListItem["kind"] | null;
  canDraft: boolean;
  /** the form's starting values, a choice the draft accepts */
  draft: { periodEnd: string; kind: RunListItem["kind"] };
  errors?: Partial<Record<string, string[]>>;
}) {
  const { t } = useTranslation();
  const movement = (format: string) => `/provisions/export?table=movement&format=${format}${period ? `&kind=${period}` : ""}`;
  return (
    <section aria-labelledby="runs-title" className="section">
      <h2 id="runs-title">{t("provisions.runs.title")}</h2>
      <p className="muted">{t("provisions.runs.intro")}</p>
      <nav aria-label={t("provisions.runs.kind")} className="export-links">
        {period === null ? <strong aria-current="page">{t("provisions.runs.allKinds")}</strong> : <Link to="?period=">{t("provisions.runs.allKinds")}</Link>}
        {PERIODS.map((kind) => (
          <span key={kind}>
            {" · "}
            {period === kind ? <strong aria-current="page">{t(`provisions.runs.kinds.${kind}`)}</strong> : <Link to={`?period=${kind}`}>{t(`provisions.runs.kinds.${kind}`)}</Link>}
          </span>
        ))}
      </nav>
      <p className="export-links">
        {t("provisions.page.labelled", { label: t("provisions.export.movement") })} <a href={movement("xlsx")} download>XLSX</a> · <a href={movement("csv")} download>CSV</a>
      </p>
      {runs.length === 0 ? (
        <p>{t("provisions.runs.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ledger-table stack-table">
            <thead>
              <tr>
                <th scope="col">{t("provisions.runs.periodEnd")}</th>
                <th scope="col">{t("provisions.runs.kind")}</th>
                <th scope="col">{t("provisions.runs.status")}</th>
                <th scope="col" className="num">{t("provisions.runs.ladderTotal")}</th>
                <th scope="col" className="num">{t("provisions.runs.matrixTotal")}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <th scope="row">
                    <Link to={`/provisions/runs/${run.id}`}>{run.periodEnd}</Link>
                  </th>
                  <td data-label={t("provisions.runs.kind")}>{t(`provisions.runs.kinds.${run.kind}`)}</td>
                  <td data-label={t("provisions.runs.status")}>{t(`provisions.runs.statuses.${run.status}`)}</td>
                  <td className="num" data-label={t("provisions.runs.ladderTotal")}><Amount minor={run.ladderTotal} /></td>
                  <td className="num" data-label={t("provisions.runs.matrixTotal")}><Amount minor={run.matrixTotal} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canDraft ? (
        <Form method="post" className="card" aria-labelledby="runs-title">
          {errors?.form?.[0] ? <p className="alert alert--error" role="alert">{t(errors.form[0])}</p> : null}
          <input type="hidden" name="intent" value="draft-run" />
          <input type="hidden" name="version" value="0" />
          <div className="form-grid">
            <TextField id="run-periodEnd" label={t("provisions.runs.periodEnd")} type="date" name="periodEnd" defaultValue={draft.periodEnd} required error={errors?.periodEnd?.[0]} />
            <SelectField id="run-kind" label={t("provisions.runs.kind")} name="kind" defaultValue={draft.kind} error={errors?.kind?.[0]}>
              <option value="month">{t("provisions.runs.kinds.month")}</option>
              <option value="quarter">{t("provisions.runs.kinds.quarter")}</option>
              <option value="year">{t("provisions.runs.kinds.year")}</option>
            </SelectField>
            <div className="form-actions">
              <button type="submit" className="button button--primary">{t("provisions.runs.draft")}</button>
            </div>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

/** A run: its totals, the movement, the aging check, the bands and customers as stored. */
export function RunView({ data, errors }: { data: RunPageData; errors?: Partial<Record<string, string[]>> }) {
  const { t } = useTranslation();
  const { run, movement, check, figures } = data;
  const locale = useLocale();
  const timeZone = useTimeZone();
  // a stored instant in the installation's time zone, as every other time the app shows
  const stamp = (at: string | null) => (at ? formatDateTime(at, locale, timeZone) : "");
  const rows: [string, number][] = [
    ["opening", movement.opening],
    ["charge", movement.charge],
    ["reversal", -movement.reversal],
    ["writtenOff", -movement.writtenOff],
  ];
  return (
    <>
      <p className={run.status === "approved" ? "alert alert--info" : "muted"}>
        {run.status === "approved" ? t("provisions.runs.frozen", { at: stamp(run.approvedAt) }) : t("provisions.runs.draftNote", { at: stamp(run.draftedAt) })}
      </p>
      <dl className="facts">
        <div><dt>{t("provisions.runs.kind")}</dt><dd>{t(`provisions.runs.kinds.${run.kind}`)}</dd></div>
        <div><dt>{t("provisions.runs.status")}</dt><dd>{t(`provisions.runs.statuses.${run.status}`)}</dd></div>
        <div><dt>{t("provisions.runs.gross")}</dt><dd><Amount minor={run.gross} /></dd></div>
        <div><dt>{t("provisions.runs.ladderTotal")}</dt><dd><Amount minor={run.ladderTotal} /></dd></div>
        <div><dt>{t("provisions.runs.matrixTotal")}</dt><dd><Amount minor={run.matrixTotal} /></dd></div>
        <div><dt>{t("provisions.runs.difference")}</dt><dd><Amount minor={run.difference} /></dd></div>
      </dl>

      {data.needsRedraft ? <p className="alert alert--warn" role="status">{t("provisions.runs.redraft")}</p> : null}
      <h2>{t("provisions.runs.movementTitle")}</h2>
      <p className="muted">{data.previous ? t("provisions.runs.movementSince", { date: data.previous.periodEnd }) : t("provisions.runs.movementFirst")}</p>
      <div className="table-wrap">
        <table className="ledger-table" data-testid="movement">
          <tbody>
            {rows.map(([key, amount]) => (
              <tr key={key}>
                <th scope="row">{t(`provisions.runs.${key}`)}</th>
                <td className="num"><Amount minor={amount} /></td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("provisions.runs.closing")}</th>
              <td className="num"><strong><Amount minor={movement.closing} /></strong></td>
            </tr>
          </tfoot>
        </table>
      </div>

      <h2>{t("provisions.runs.checkTitle")}</h2>
      {!check.applies ? (
        <p>{t("provisions.runs.checkNotApplicable")}</p>
      ) : check.flags.length === 0 ? (
        <p>{t("provisions.runs.checkClean", { date: check.against })}</p>
      ) : (
        <>
          <p className="alert alert--warn" role="status">{t("provisions.runs.checkFlags", { date: check.against })}</p>
          <ul data-testid="aging-flags">
            {check.flags.map((flag) => (
              <li key={flag.customerId}>
                {flag.code} {flag.name} · {t("provisions.page.labelled", { label: t("provisions.runs.checkBands") })} {flag.bands.map((band) => `${band}–${band + 1}`).join(", ")}
              </li>
            ))}
          </ul>
          {run.status === "approved" && run.flagsSeen ? <p>{t("provisions.runs.seenRecorded")}</p> : null}
        </>
      )}

      {data.canApprove || data.canRedraft ? (
        <div className="actions">
          {data.canApprove ? (
            <Form method="post">
              <input type="hidden" name="intent" value="approve-run" />
              <input type="hidden" name="id" value={run.id} />
              <input type="hidden" name="version" value={run.version} />
              {check.flags.length ? (
                <label>
                  <input type="checkbox" name="seen" aria-invalid={errors?.seen ? true : undefined} /> {t("provisions.runs.seen")}
                </label>
              ) : null}
              {errors?.seen ? <p className="field-error" role="alert">{t(errors.seen[0] ?? "")}</p> : null}
              <button type="submit" className="button">{t("provisions.runs.approve")}</button>
            </Form>
          ) : null}
          {data.canRedraft ? (
            <Form method="post">
              <input type="hidden" name="intent" value="draft-run" />
              <input type="hidden" name="periodEnd" value={run.periodEnd} />
              <input type="hidden" name="kind" value={run.kind} />
              <input type="hidden" name="version" value={run.version} />
              <button type="submit" className="button button--secondary">{t("provisions.runs.recompute")}</button>
            </Form>
          ) : null}
        </div>
      ) : null}

      <h2>{t("provisions.runs.bandsTitle")}</h2>
      <div className="table-wrap">
        <table className="ledger-table stack-table">
          <thead>
            <tr>
              <th scope="col">{t("provisions.page.band")}</th>
              <th scope="col" className="num">{t("provisions.page.balance")}</th>
              <th scope="col" className="num">{t("provisions.page.rate")}</th>
              <th scope="col" className="num">{t("provisions.page.ladder")}</th>
              <th scope="col" className="num">{t("provisions.page.lossRate")}</th>
              <th scope="col" className="num">{t("provisions.page.matrix")}</th>
            </tr>
          </thead>
          <tbody>
            {figures.ladder.map((band, i) => {
              const other = figures.matrix[i];
              return (
                <tr key={band.fromDays}>
                  <th scope="row">{band.toDays === null ? t("provisions.page.over", { days: band.fromDays - 1 }) : t("provisions.page.range", { from: band.fromDays, to: band.toDays })}</th>
                  <td className="num" data-label={t("provisions.page.balance")}><Amount minor={band.balance} /></td>
                  <td className="num" data-label={t("provisions.page.rate")}>{percent(band.rate)}</td>
                  <td className="num" data-label={t("provisions.page.ladder")}><Amount minor={band.provision} /></td>
                  <td className="num" data-label={t("provisions.page.lossRate")}>{other ? percent(other.rate) : "—"}</td>
                  <td className="num" data-label={t("provisions.page.matrix")}>{other ? <Amount minor={other.provision} /> : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h2>{t("provisions.runs.customersTitle")}</h2>
      <div className="table-wrap">
        <table className="ledger-table stack-table">
          <thead>
            <tr>
              <th scope="col">{t("provisions.runs.customer")}</th>
              <th scope="col" className="num">{t("provisions.page.balance")}</th>
              <th scope="col" className="num">{t("provisions.page.provision")}</th>
            </tr>
          </thead>
          <tbody>
            {figures.customers
              .filter((customer) => customer.balances.some((amount) => amount !== 0))
              .map((customer) => (
                <tr key={customer.customerId}>
                  <th scope="row">{customer.code} {customer.name}</th>
                  <td className="num" data-label={t("provisions.page.balance")}><Amount minor={customer.balances.reduce((sum, amount) => sum + amount, 0)} /></td>
                  <td className="num" data-label={t("provisions.page.provision")}><Amount minor={customer.provision} /></td>
                </tr>
              ))}
            {figures.specific.map((entry) => (
              <tr key={`s${entry.customerId}`}>
                <th scope="row">{entry.code} {entry.name} ({t(`provisions.reasons.${entry.reason}`)})</th>
                <td className="num" data-label={t("provisions.page.balance")}><Amount minor={entry.balance} /></td>
                <td className="num" data-label={t("provisions.page.provision")}><Amount minor={entry.provision} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
