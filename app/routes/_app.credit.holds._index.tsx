import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import {
  HoldChangedNotice,
  HoldKindBadge,
  ReasonList,
  ReleaseHoldForm,
  SetHoldForm,
} from "~/features/credit/holds/components/hold-panel";
import holdStyles from "~/features/credit/holds/components/holds.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { ListFilters, OwnerFilter, RegionFilter } from "~/features/ledger/components/list-filters";
import { Amount } from "~/ui/amount";
import { Pagination } from "~/ui/pagination";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { type HoldsParams, holdsOverview, readHoldsParams } from "~/features/credit/holds/holds.server";
import { holdsIn } from "~/features/settings/index.server";
import { getDb } from "~/server/db.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { can } from "~/kernel/permissions";
import { customerFilterOptions } from "~/features/ledger/queries/customers.server";
import { StatusLedgerBusyError } from "~/features/status-table/queries.server";
import { formatDateTime, formatPercent, useTimeZone } from "~/ui/format";
import { listHref } from "~/kernel/list-url";

/** The URL state of the page (defaults left out). */
function holdsQuery(params: HoldsParams): Record<string, string | undefined> {
  const { owner, region, overLimitOnly } = params.filters;
  return {
    owner: owner === undefined ? undefined : String(owner),
    region,
    overLimit: overLimitOnly ? "1" : undefined,
    holdsPage: params.holdsPage > 1 ? String(params.holdsPage) : undefined,
    suggestionsPage: params.suggestionsPage > 1 ? String(params.suggestionsPage) : undefined,
    limitsPage: params.limitsPage > 1 ? String(params.limitsPage) : undefined,
  };
}

export const meta: MetaFunction = () => [{ title: "Holds and credit limits · Quarterdeck" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: holdStyles }];

/** Everyone with the ledger reads (staff: their own customers); only the head sets or releases. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const scope = ledgerScopeOf(user);
  const params = readHoldsParams(new URL(request.url).searchParams);
  const db = getDb();
  try {
    const [overview, options] = await Promise.all([holdsOverview(db, scope, params, today()), customerFilterOptions(db, scope)]);
    const holds = { ...overview.holds, rows: await holdsIn(db, overview.holds.rows, user.locale) };
    return { ...overview, holds, options, ownerFilter: scope.kind === "all", canChange: can(user, "credit:review"), params };
  } catch (error) {
    if (error instanceof StatusLedgerBusyError) throw new Response(error.message, { status: 503, headers: { "Retry-After": "30" } });
    throw error;
  }
}

export default function HoldsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const formatDate = useFormatDate();
  const location = useLocation();
  const { asOf, holds, suggestions, limits, options, ownerFilter, canChange, params } = useLoaderData<typeof loader>();
  const href = (changes: Partial<HoldsParams>, path = "/credit/holds") =>
    listHref(path, holdsQuery({ ...params, ...changes, filters: { ...params.filters, ...changes.filters } }));
  const firstPages = { holdsPage: 1, suggestionsPage: 1, limitsPage: 1 };
  const exportHref = (list: "holds" | "over-limit", format: "csv" | "xlsx") => {
    const query = holdsQuery({ ...params, ...firstPages });
    return listHref("/credit/holds/export", { owner: query.owner, region: query.region, list, format });
  };
  const customerLink = (code: string) => <Link to={`/customers/${encodeURIComponent(code)}`}>{code}</Link>;
  const none = <span className="muted">—</span>;

  return (
    <>
      <h1>{t("holds.title")}</h1>
      <p className="lead">{t("holds.intro")}</p>
      <p className="muted">{t("holds.asOf", { date: formatDate(asOf) })}</p>
      <HoldChangedNotice />
      {canChange ? null : <p className="alert alert--warn">{t("holds.readOnly")}</p>}

      <ListFilters
        key={location.search}
        action="/credit/holds"
        label={t("holds.filters")}
        keep={{}}
        clearHref="/credit/holds"
      >
        {ownerFilter ? (
          <OwnerFilter
            owners={options.owners}
            unassigned={options.unassigned}
            value={params.filters.owner === undefined ? "" : String(params.filters.owner)}
          />
        ) : null}
        <RegionFilter regions={options.regions} value={params.filters.region ?? ""} />
        <div className="field">
          <label>
            <input type="checkbox" name="overLimit" value="1" defaultChecked={params.filters.overLimitOnly} /> {t("holds.overLimitOnly")}
          </label>
        </div>
      </ListFilters>

      <p className="holds-export">
        {t("holds.export")}:{" "}
        <a href={exportHref("holds", "xlsx")} download>
          {t("holds.exportHolds")}
        </a>{" "}
        (
        <a href={exportHref("holds", "csv")} download aria-label={`${t("holds.exportHolds")} CSV`}>
          {t("holds.exportHoldsCsv")}
        </a>
        ) ·{" "}
        <a href={exportHref("over-limit", "xlsx")} download>
          {t("holds.exportOverLimit")}
        </a>{" "}
        (
        <a href={exportHref("over-limit", "csv")} download aria-label={`${t("holds.exportOverLimit")} CSV`}>
          {t("holds.exportOverLimitCsv")}
        </a>
        )
      </p>

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
                    <th scope="col">{t("holds.kind")}</th>
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
                      <td data-label={t("holds.kind")}>
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
          hrefFor={(page) => href({ holdsPage: page })}
        />
      </section>

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
          hrefFor={(page) => href({ suggestionsPage: page })}
        />
      </section>

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
                    <th scope="col">{t("holds.kind")}</th>
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
                      <td data-label={t("holds.kind")}>{row.holdKind ? <HoldKindBadge kind={row.holdKind} /> : none}</td>
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
          hrefFor={(page) => href({ limitsPage: page })}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
