import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { HoldChangedNotice } from "~/features/credit/holds/components/hold-panel";
import { CreditLimitsSection, HoldSuggestionsSection, HoldsInForceSection } from "~/features/credit/holds/components/holds-lists";
import holdStyles from "~/features/credit/holds/components/holds.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { ListFilters, OwnerFilter, RegionFilter } from "~/features/ledger/components/list-filters";
import { useFormatDate } from "~/ui/use-format-amount";
import { type HoldsParams, holdsOverview, readHoldsParams } from "~/features/credit/holds/index.server";
import { holdsIn } from "~/features/settings/index.server";
import { getDb } from "~/server/db.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { can } from "~/kernel/permissions";
import { customerFilterOptions } from "~/features/ledger/index.server";
import { isLedgerBusy } from "~/features/status-table/index.server";
import { errorPage } from "~/server/responses.server";
import { listHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";

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

export const meta: MetaFunction = (args) => pageTitle(args, "holds");
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
    if (isLedgerBusy(error)) throw errorPage(error);
    throw error;
  }
}

export default function HoldsPage() {
  const { t } = useTranslation();
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
        {t("holds.export")}{t("common.colon")}
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

      <HoldsInForceSection holds={holds} hrefFor={(page) => href({ holdsPage: page })} />
      <HoldSuggestionsSection suggestions={suggestions} canChange={canChange} hrefFor={(page) => href({ suggestionsPage: page })} />
      <CreditLimitsSection limits={limits} hrefFor={(page) => href({ limitsPage: page })} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
