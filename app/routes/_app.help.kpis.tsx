import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requireUser } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { WorkedExample } from "~/features/kpi/components/worked-example";
import { useLocale } from "~/ui/use-format-amount";
import { workedExample } from "~/features/kpi/example";
import { KPI_REGISTER } from "~/features/kpi/register";
import { can } from "~/kernel/permissions";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "kpiHelp");

/** The conventions every KPI follows (KPIS.md sections 3 and 4), stated once above the definitions. */
const CONVENTIONS = [
  "asOf",
  "dueToday",
  "window90",
  "countback",
  "collections",
  "grossAr",
  "ceiBilled",
  "rateOver100",
  "period",
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { example: workedExample(), dashboard: can(user, "ledger:read") };
}

export default function KpiHelpPage() {
  const { t } = useTranslation();
  const { example, dashboard } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const lang = locale === "zh-CN" ? "zh" : "en";
  const other = lang === "zh" ? "en" : "zh";
  return (
    <div className="help">
      {dashboard ? (
        <nav aria-label={t("customers.breadcrumb")} className="breadcrumb">
          <ol>
            <li>
              <Link to="/">{t("nav.dashboard")}</Link>
            </li>
            <li aria-current="page">{t("help.title")}</li>
          </ol>
        </nav>
      ) : null}
      <h1>{t("help.title")}</h1>
      <p className="lead">{t("help.lead")}</p>

      <nav aria-labelledby="help-contents" className="help__contents">
        <h2 id="help-contents">{t("help.contents")}</h2>
        <ul>
          <li>
            <a href="#conventions">{t("help.conventions")}</a>
          </li>
          {KPI_REGISTER.map((kpi) => (
            <li key={kpi.key}>
              <a href={`#kpi-${kpi.key}`}>{kpi.name[lang]}</a>
            </li>
          ))}
          <li>
            <a href="#example">{t("help.example.title")}</a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="conventions" className="section">
        <h2 id="conventions">{t("help.conventions")}</h2>
        <ul className="help__conventions">
          {CONVENTIONS.map((key) => (
            <li key={key}>{t(`help.convention.${key}`)}</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="definitions" className="section">
        <h2 id="definitions">{t("help.definitions")}</h2>
        <div className="help__definitions">
          {KPI_REGISTER.map((kpi) => (
            <article key={kpi.key} id={`kpi-${kpi.key}`} className="definition" aria-labelledby={`kpi-${kpi.key}-name`}>
              <h3 id={`kpi-${kpi.key}-name`}>
                {kpi.name[lang]}{" "}
                <span className="definition__other" lang={other === "zh" ? "zh-CN" : "en"}>
                  {kpi.name[other]}
                </span>
              </h3>
              <dl className="definition__facts">
                <div>
                  <dt>{t("help.key")}</dt>
                  <dd>
                    <code>{kpi.key}</code>
                  </dd>
                </div>
                <div>
                  <dt>{t("help.unit")}</dt>
                  <dd>{t(`help.units.${kpi.unit}`)}</dd>
                </div>
                <div>
                  <dt>{t("help.better")}</dt>
                  <dd>{t(kpi.better === "up" ? "help.higher" : "help.lower")}</dd>
                </div>
                <div>
                  <dt>{t("help.source")}</dt>
                  <dd>{t(`help.sources.${kpi.source}`)}</dd>
                </div>
              </dl>
              <p className="definition__formula">{kpi.formula[lang]}</p>
            </article>
          ))}
        </div>
      </section>

      <section aria-labelledby="example" className="section">
        <h2 id="example">{t("help.example.title")}</h2>
        <WorkedExample example={example} />
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
