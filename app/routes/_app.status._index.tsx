import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "~/root";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { ListFilters, OwnerFilter, RegionFilter } from "~/features/ledger/components/list-filters";
import { StatusTable } from "~/features/status-table/components/status-table";
import { Pagination } from "~/ui/pagination";
import { useFormatDate } from "~/ui/use-format-amount";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orErrorPage } from "~/server/responses.server";
import { nextSortDirection } from "~/kernel/paging";
import { type StatusSort, STATUS_SORT_DEFAULTS, statusQuery } from "~/features/status-table/status-table";
import statusStyles from "~/features/status-table/components/status.css";
import { loadStatusPage } from "~/features/status-table/index.server";
import { listHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";
import { mayReadPublications } from "~/features/status-table";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statusStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "status");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  // The kept page itself, not a copy: a repeated view answers the very object it kept.
  return orErrorPage(() => loadStatusPage(getDb(), user, new URL(request.url).searchParams, today()));
}

export default function StatusPage() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const { month, rows, totals, page, options, ownerFilter, state, monthProblem, maxMonth } = useLoaderData<typeof loader>();
  const viewer = useRouteLoaderData<typeof rootLoader>("root")?.user;
  // the head and leadership read (and the head publishes) the published tables
  const publications = viewer ? mayReadPublications(viewer) : false;
  const location = useLocation();
  const href = (changes: Partial<typeof state> & { page?: number }, path = "/status") =>
    listHref(path, statusQuery({ ...state, page: 1, ...changes }));
  const sortHref = (column: StatusSort) =>
    href({ sort: column, dir: nextSortDirection({ sort: state.sort, direction: state.dir }, column, STATUS_SORT_DEFAULTS[column]) });
  const { filters } = state;
  const filtered = Boolean(filters.owner !== undefined || filters.region || filters.grade || filters.overdueOnly || filters.overLimitOnly);
  const exportHref = (format: "csv" | "xlsx") => `${href({}, "/status/export")}&format=${format}`;
  const period = t(month.toDate ? "status.periodToDate" : "status.periodMonth", {
    start: formatDate(month.start),
    end: formatDate(month.closingDate),
  });

  return (
    <>
      <h1>{t("status.title")}</h1>
      <p className="lead">{t("status.intro")}</p>
      <p>
        <strong>{month.month}</strong>: {period}{" "}
        <Link to={href({ month: month.previousMonth })}>{t("status.previousMonth")}</Link>
        {month.nextMonth ? (
          <>
            {" · "}
            <Link to={href({ month: month.nextMonth })}>{t("status.nextMonth")}</Link>
          </>
        ) : null}
      </p>
      <ListFilters
        key={location.search}
        action="/status"
        label={t("status.filters")}
        keep={{ sort: state.sort === "code" ? undefined : state.sort, dir: statusQuery(state).dir }}
        clearHref={href({ filters: { overdueOnly: false, overLimitOnly: false } })}
      >
        <TextField label={t("status.month")} name="month" type="month" defaultValue={month.month} max={maxMonth} error={monthProblem ?? undefined} required />
        {ownerFilter ? (
          <OwnerFilter
            owners={options.owners}
            unassigned={options.unassigned}
            value={filters.owner === undefined ? "" : String(filters.owner)}
          />
        ) : null}
        <RegionFilter regions={options.regions} value={filters.region ?? ""} />
        <SelectField label={t("customers.grade")} name="grade" defaultValue={filters.grade ?? ""}>
          <option value="">{t("customers.anyGrade")}</option>
          {options.grades.map((grade) => (
            <option key={grade}>{grade}</option>
          ))}
        </SelectField>
        <div className="field">
          <label>
            <input type="checkbox" name="overdue" value="1" defaultChecked={filters.overdueOnly} /> {t("status.overdueOnly")}
          </label>
          <label>
            <input type="checkbox" name="overLimit" value="1" defaultChecked={filters.overLimitOnly} /> {t("status.overLimitOnly")}
          </label>
        </div>
      </ListFilters>

      <p className="status-export">
        {t("status.export")}{t("common.colon")}
        <a href={exportHref("xlsx")} download>
          {t("status.exportXlsx")}
        </a>
        {" · "}
        <a href={exportHref("csv")} download>
          {t("status.exportCsv")}
        </a>{" "}
        <span className="muted">{t("status.exportNote")}</span>
        {publications ? (
          <>
            {" · "}
            <Link to="/status/published">{t("status.published.link")}</Link>
          </>
        ) : null}
      </p>

      <StatusTable
        rows={rows}
        totals={totals}
        caption={t("status.caption", { month: month.month, date: formatDate(month.closingDate) })}
        emptyText={filtered ? t("status.empty") : t("customers.emptyLedger")}
        sorting={{ sort: state.sort, dir: state.dir, hrefFor: sortHref }}
      />
      {page.total > 0 ? <Pagination info={page} label={t("status.pages")} hrefFor={(p) => href({ page: p })} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
