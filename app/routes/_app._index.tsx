import { type LoaderFunctionArgs, type MetaFunction, data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { type CurrentUser, requireUser } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import type { ScopeChoices } from "~/features/dashboard/components/dashboard-filters";
import { DashboardView } from "~/features/dashboard/components/dashboard-view";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { HomePanel } from "~/features/dashboard/components/home-panel";
import { dashboardScopeChoices, loadDashboard } from "~/features/dashboard/index.server";
import { getDb } from "~/server/db.server";
import { errorPage } from "~/server/responses.server";
import { AppError } from "~/kernel/app-error";
import { type DashboardError, readDashboardRequest } from "~/features/dashboard/request";
import { navigationFor } from "~/kernel/navigation";
import { can } from "~/kernel/permissions";
import { activeWarningsSummary } from "~/features/warnings/index.server";
import { WarningsPanel } from "~/features/warnings/components/warnings-table";
import { useTranslation } from "react-i18next";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "dashboard");

/** Staff choose between the company's totals and their own book; the others among every scope the ledger has. */
async function scopeChoicesFor(user: CurrentUser): Promise<ScopeChoices> {
  if (user.role === "staff") return { company: true, regions: [], grades: [], owners: [], ownEmail: user.email };
  return { company: true, ...(await dashboardScopeChoices(getDb())), ownEmail: null };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The dashboard is the home page of everyone who reads the ledger; the administrator keeps a plain one.
  if (!can(user, "ledger:read")) {
    const nav = navigationFor(user).filter((item) => item.to !== "/");
    return { kind: "home" as const, name: user.name, role: user.role, nav };
  }
  const url = new URL(request.url);
  const asked = { asOf: url.searchParams.get("asOf"), scope: url.searchParams.get("scope") };
  const read = readDashboardRequest(asked, user, today());
  if (!read.ok && read.status === 403) {
    throw errorPage(AppError.forbidden());
  }
  const page = {
    kind: "dashboard" as const,
    today: today(),
    form: read.form,
    choices: await scopeChoicesFor(user),
    // The head's early warnings, whatever scope the dashboard shows.
    warnings: can(user, "credit:review") ? await activeWarningsSummary(getDb(), user) : null,
  };
  // A bad date or scope is answered on the page itself, with the form to correct it.
  if (!read.ok) return data({ ...page, error: read.error, dashboard: null }, { status: read.status });
  try {
    return { ...page, error: null, dashboard: await loadDashboard(getDb(), user, read.request) };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "not_found") throw error;
    const unknown: DashboardError = { key: "dashboard.errors.unknownScope", values: { value: read.form.scope } };
    return data({ ...page, error: unknown, dashboard: null }, { status: error.status });
  }
}

export default function IndexPage() {
  const loaded = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (loaded.kind === "home") return <HomePanel name={loaded.name} role={loaded.role} nav={loaded.nav} />;
  const { warnings, ...dashboard } = loaded;
  return (
    <>
      {warnings && warnings.total > 0 ? (
        <p className="alert alert--warn">
          <a href="#warnings-panel-title">{t("warnings.panel.banner", { total: warnings.total, ...warnings.counts })}</a>
        </p>
      ) : null}
      <DashboardView {...dashboard} />
      {warnings ? <WarningsPanel summary={warnings} title={t("warnings.panel.title")} none={t("warnings.panel.none")} showOwner /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
