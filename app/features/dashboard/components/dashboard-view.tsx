import { Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { DashboardFilters, type ScopeChoices } from "~/features/dashboard/components/dashboard-filters";
import { KpiCard } from "~/features/dashboard/components/kpi-card";
import { PlanPanel } from "~/features/dashboard/components/plan-panel";
import { AgingChart, CollectionChart, DsoOverdueChart, TopOverdueChart } from "~/features/dashboard/components/trend-charts";
import { useFormatDate } from "~/ui/use-format-amount";
import type { DashboardFigures } from "~/features/dashboard/dashboard";
import type { DashboardError, DashboardForm } from "~/features/dashboard/request";
import { parseScope } from "~/features/kpi";

const DATE_ERRORS = new Set(["dashboard.errors.badDate", "dashboard.errors.tooEarly"]);

/** "the whole company", "region 华东", "credit grade A", "Li Wei's customers": what the figures cover. */
function useScopeName(scope: string, choices: ScopeChoices): string {
  const { t } = useTranslation();
  const parsed = parseScope(scope);
  if (!parsed.ok) return scope;
  const s = parsed.scope;
  switch (s.type) {
    case "company":
      return t("dashboard.scopeName.company");
    case "region":
      return t("dashboard.scopeName.region", { name: s.name });
    case "grade":
      return t("dashboard.scopeName.grade", { grade: s.grade });
    case "owner": {
      if (s.email === choices.ownEmail) return t("dashboard.scopeName.mine");
      const owner = choices.owners.find((o) => o.email === s.email);
      return t("dashboard.scopeName.owner", { name: owner?.name ?? s.email });
    }
    case "customer":
      return s.code;
  }
}

/**
 * The dashboard page: the date and scope form, the KPI cards, the trend charts. `dashboard` is
 * null when the request could not be answered; `error` then says why, in the viewer's language.
 */
export function DashboardView({
  today,
  form,
  choices,
  error,
  dashboard,
}: {
  today: string;
  form: DashboardForm;
  choices: ScopeChoices;
  error: DashboardError | null;
  dashboard: DashboardFigures | null;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location.pathname === "/";
  const scopeName = useScopeName(form.scope, choices);

  return (
    <div className="dashboard" aria-busy={busy || undefined}>
      <div className="dashboard__head">
        <div>
          <h1>{t("dashboard.title")}</h1>
          <p className="lead">
            {dashboard
              ? t("dashboard.lead", { scope: scopeName, date: formatDate(dashboard.headline.asOf) })
              : t("dashboard.leadError")}
          </p>
        </div>
        <Link to="/help/kpis" className="dashboard__help">
          {t("dashboard.help")}
        </Link>
      </div>

      <DashboardFilters
        asOf={form.asOf}
        scope={form.scope}
        choices={choices}
        today={today}
        busy={busy}
        asOfErrorId={error && DATE_ERRORS.has(error.key) ? "dashboard-error" : null}
      />

      {error ? (
        <p className="alert alert--error" role="alert" id="dashboard-error">
          {t(error.key, error.values)}
        </p>
      ) : null}

      {dashboard ? (
        <>
          <section aria-labelledby="key-figures" className="section">
            <h2 id="key-figures">{t("dashboard.keyFigures")}</h2>
            <div className="kpi-grid">
              {dashboard.headline.cards.map((card) => (
                <KpiCard
                  key={card.key}
                  card={card}
                  asOf={dashboard.headline.asOf}
                  period={dashboard.headline.period}
                  fiscalStartMonth={dashboard.fiscalStartMonth}
                  projection={dashboard.projected?.[card.key] ?? null}
                />
              ))}
            </div>
          </section>

          {dashboard.plan ? <PlanPanel plan={dashboard.plan} /> : null}

          <section aria-labelledby="trends" className="section">
            <h2 id="trends">{t("dashboard.trends")}</h2>
            <div className="panel-grid">
              <DsoOverdueChart points={dashboard.monthly} />
              <AgingChart points={dashboard.monthly} />
              <CollectionChart points={dashboard.quarterly} fiscalStartMonth={dashboard.fiscalStartMonth} />
              <TopOverdueChart
                customers={dashboard.topOverdue.customers}
                asOf={dashboard.headline.asOf}
                ownCustomersOnly={dashboard.topOverdue.ownCustomersOnly}
              />
            </div>
          </section>
        </>
      ) : null}
    </div>
  );
}
