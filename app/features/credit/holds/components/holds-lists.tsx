import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { HoldKindBadge, ReasonList, ReleaseHoldForm, SetHoldForm } from "~/features/credit/holds/components/hold-panel";
import type { HoldInForceRow, LimitRow, SuggestionRow } from "~/features/credit/holds/lists";
import type { PageInfo } from "~/kernel/paging";
import { Amount } from "~/ui/amount";
import { formatDateTime, formatPercent, useTimeZone } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { StackToggle } from "~/ui/stack-toggle";
import { useLocale } from "~/ui/use-format-amount";

/** The holds page's three lists: holds in force, suggestions, credit utilisation. */

function customerLink(code: string) {
  return <Link to={`/customers/${encodeURIComponent(code)}`}>{code}</Link>;
}

export function HoldsInForceSection({ holds, hrefFor }: { holds: { rows: HoldInForceRow[]; page: PageInfo }; hrefFor: (page: number) => string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const none = <span className="muted">—</span>;
  return (
  <section aria-labelledby="holds-in-force" className="section">
    <h2 id="holds-in-force">{t("holds.inForce.title")}</h2>
    {holds.page.total === 0 ? (
      <p className="muted">{t("holds.inForce.empty")}</p>
    ) : (
      <>
        <StackToggle />
        <div className="table-wrap">
          <table className="ledger-table holds-table stack-table">
            <caption>{t("holds.inForce.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("holds.columns.code")}</th>
                <th scope="col">{t("holds.columns.customer")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.owner")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.region")}</th>
                <th scope="col">{t("holds.columns.hold")}</th>
                <th scope="col">{t("holds.inForce.since")}</th>
                <th scope="col">{t("holds.inForce.reason")}</th>
                <th scope="col" className="cell--secondary">{t("holds.inForce.setBy")}</th>
                <th scope="col" className="num">
                  {t("holds.limits.ar")}
                </th>
              </tr>
            </thead>
            <tbody>
              {holds.rows.map((row) => (
                <tr key={row.code} className={row.kind === "stop_shipment" ? "holds-row--stop" : undefined}>
                  <td className="cell--title">{customerLink(row.code)}</td>
                  <td className="cell--title">{row.name}</td>
                  <td className="cell--secondary" data-label={t("holds.columns.owner")}>
                    {row.ownerName ?? none}
                  </td>
                  <td className="cell--secondary" data-label={t("holds.columns.region")}>
                    {row.region ?? none}
                  </td>
                  <td data-label={t("holds.columns.hold")}>
                    <HoldKindBadge kind={row.kind} />
                  </td>
                  <td data-label={t("holds.inForce.since")}>{formatDateTime(row.since, locale, timeZone)}</td>
                  <td className="user-text cell--block" data-label={t("holds.inForce.reason")}>
                    {row.reason}
                  </td>
                  <td className="cell--secondary" data-label={t("holds.inForce.setBy")}>
                    {row.setByName ?? none}
                  </td>
                  <td className="num" data-label={t("holds.limits.ar")}>
                    <Amount minor={row.arTotal} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    )}
    <Pagination
      info={holds.page}
      label={`${t("holds.pages")}: ${t("holds.inForce.title")}`}
      hrefFor={hrefFor}
    />
  </section>
  );
}

export function HoldSuggestionsSection({ suggestions, canChange, hrefFor }: { suggestions: { rows: SuggestionRow[]; page: PageInfo }; canChange: boolean; hrefFor: (page: number) => string }) {
  const { t } = useTranslation();
  const none = <span className="muted">—</span>;
  return (
  <section aria-labelledby="hold-suggestions" className="section">
    <h2 id="hold-suggestions">{t("holds.suggestions.title")}</h2>
    <p className="muted">{t("holds.suggestions.intro")}</p>
    {suggestions.page.total === 0 ? (
      <p className="muted">{t("holds.suggestions.empty")}</p>
    ) : (
      <>
        <StackToggle />
        <div className="table-wrap">
          <table className="ledger-table holds-table stack-table">
            <caption>{t("holds.suggestions.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("holds.columns.code")}</th>
                <th scope="col">{t("holds.columns.customer")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.owner")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.region")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.grade")}</th>
                <th scope="col">{t("holds.suggestions.current")}</th>
                <th scope="col">{t("holds.suggestions.suggested")}</th>
                <th scope="col">{t("holds.suggestions.reasons")}</th>
                {canChange ? (
                  <th scope="col" className="holds-action">
                    {t("holds.suggestions.action")}
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {suggestions.rows.map((row) => (
                <tr key={row.code} data-customer={row.code}>
                  <td className="cell--title">{customerLink(row.code)}</td>
                  <td className="cell--title">{row.name}</td>
                  <td className="cell--secondary" data-label={t("holds.columns.owner")}>
                    {row.ownerName ?? none}
                  </td>
                  <td className="cell--secondary" data-label={t("holds.columns.region")}>
                    {row.region ?? none}
                  </td>
                  <td className="cell--secondary" data-label={t("holds.columns.grade")}>
                    {row.grade ?? none}
                  </td>
                  <td data-label={t("holds.suggestions.current")}>
                    <HoldKindBadge kind={row.currentKind} />
                  </td>
                  <td data-label={t("holds.suggestions.suggested")}>
                    <HoldKindBadge kind={row.suggestedKind} />
                    <br />
                    <span className="muted">{t(`holds.advice.${row.advice}`)}</span>
                  </td>
                  <td className="cell--block" data-label={t("holds.suggestions.reasons")}>
                    <ReasonList reasons={row.reasons} />
                  </td>
                  {canChange ? (
                    <td className="holds-action">
                      <details>
                        <summary>{t(`holds.advice.${row.advice}`)}</summary>
                        {row.advice === "release" ? (
                          <ReleaseHoldForm customer={row} />
                        ) : (
                          <SetHoldForm customer={row} currentKind={row.currentKind} defaultKind={row.suggestedKind} />
                        )}
                      </details>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    )}
    <Pagination
      info={suggestions.page}
      label={`${t("holds.pages")}: ${t("holds.suggestions.title")}`}
      hrefFor={hrefFor}
    />
  </section>
  );
}

export function CreditLimitsSection({ limits, hrefFor }: { limits: { rows: LimitRow[]; page: PageInfo; overLimitCount: number; withLimitCount: number }; hrefFor: (page: number) => string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const none = <span className="muted">—</span>;
  return (
  <section aria-labelledby="credit-limits" className="section">
    <h2 id="credit-limits">{t("holds.limits.title")}</h2>
    <p>{t("holds.limits.summary", { over: limits.overLimitCount, total: limits.withLimitCount })}</p>
    {limits.page.total === 0 ? (
      <p className="muted">{t("holds.limits.empty")}</p>
    ) : (
      <>
        <StackToggle />
        <div className="table-wrap">
          <table className="ledger-table holds-table stack-table">
            <caption>{t("holds.limits.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("holds.columns.code")}</th>
                <th scope="col">{t("holds.columns.customer")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.owner")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.region")}</th>
                <th scope="col" className="cell--secondary">{t("holds.columns.grade")}</th>
                <th scope="col" className="num">
                  {t("holds.limits.ar")}
                </th>
                <th scope="col" className="num">
                  {t("holds.limits.limit")}
                </th>
                <th scope="col" className="num">
                  {t("holds.limits.utilisation")}
                </th>
                <th scope="col">{t("holds.columns.hold")}</th>
              </tr>
            </thead>
            <tbody>
              {limits.rows.map((row) => (
                <tr key={row.code}>
                  <td className="cell--title">{customerLink(row.code)}</td>
                  <td className="cell--title">{row.name}</td>
                  <td className="cell--secondary" data-label={t("holds.columns.owner")}>
                    {row.ownerName ?? none}
                  </td>
                  <td className="cell--secondary" data-label={t("holds.columns.region")}>
                    {row.region ?? none}
                  </td>
                  <td className="cell--secondary" data-label={t("holds.columns.grade")}>
                    {row.grade ?? none}
                  </td>
                  <td className="num" data-label={t("holds.limits.ar")}>
                    <Amount minor={row.arTotal} alert={row.overLimit} />
                  </td>
                  <td className="num" data-label={t("holds.limits.limit")}>
                    <Amount minor={row.creditLimit} />
                  </td>
                  <td className="num" data-label={t("holds.limits.utilisation")}>
                    <span className={row.overLimit ? "amount amount--alert" : undefined}>{formatPercent(row.utilisation, locale)}</span>
                    {row.overLimit ? <span className="badge badge--bad badge--inline">{t("holds.limits.overLimit")}</span> : null}
                  </td>
                  <td data-label={t("holds.columns.hold")}>{row.holdKind ? <HoldKindBadge kind={row.holdKind} /> : none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    )}
    <Pagination
      info={limits.page}
      label={`${t("holds.pages")}: ${t("holds.limits.title")}`}
      hrefFor={hrefFor}
    />
  </section>
  );
}
