import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import { monthLabel } from "~/features/kpi";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orErrorPage } from "~/server/responses.server";
import { loadForecastPage } from "~/features/forecast/index.server";
import { ApartCustomers, ForecastPeriods, useWeekRows } from "~/features/forecast/components/forecast-view";
import { ForecastAccuracy } from "~/features/forecast/components/accuracy-view";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "forecast");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  return orErrorPage(() => loadForecastPage(getDb(), user, new URL(request.url).searchParams, today()));
}

export default function ForecastRoute() {
  const { t } = useTranslation();
  const format = useFormatAmount();
  const formatDate = useFormatDate();
  const locale = useLocale();
  const page = useLoaderData<typeof loader>();
  const { forecast } = page;
  const weekRows = useWeekRows(forecast.weeks);
  const monthRows = useMemo(() => forecast.months.map((m) => ({ ...m, label: m.month })), [forecast.months]);
  const scopeLabel = (value: string, label: string | null) => {
    if (value === "company") return t("forecast.company");
    const [kind, ...rest] = value.split(":");
    const name = label ?? rest.join(":");
    return kind === "owner" ? t("forecast.owner", { name }) : kind === "region" ? t("forecast.region", { name }) : kind === "grade" ? t("forecast.grade", { name }) : value;
  };
  const choices = page.choices.some((c) => c.value === page.scope) ? page.choices : [...page.choices, { value: page.scope, label: null }];
  const notes = (["grade", "company", "none"] as const).filter((source) => forecast.lateness[source] > 0);
  const window = forecast.behaviourWindow;
  const months = { from: monthLabel(window.fromMonth, locale), to: monthLabel(window.toMonth, locale) };
  const shortWindow = window.shortened && window.firstSalesMonth !== null ? { ...months, months: window.months, first: monthLabel(window.firstSalesMonth, locale) } : null;

  return (
    <>
      <h1>{t("forecast.title")}</h1>
      <p className="lead">{t("forecast.intro", { date: formatDate(page.asOf) })}</p>
      <Form method="get" className="filters">
        <label className="field">
          <span>{t("forecast.scope")}</span>
          <select name="scope" defaultValue={page.scope}>
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {scopeLabel(c.value, c.label)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t("forecast.weeks")}</span>
          <input type="number" name="weeks" min={1} max={52} defaultValue={page.weeks} />
        </label>
        <button type="submit" className="button">
          {t("forecast.show")}
        </button>
      </Form>
      <p>
        <strong>{t("forecast.writeOff", { amount: format(forecast.expectedWriteOff) })}</strong>
      </p>
      <p className="muted">
        {sentences(t, [t("forecast.range", { percent: Math.round(forecast.spread * 100) }), t("forecast.daysToPay", { days: forecast.averageDaysToPay })])}
      </p>
      {forecast.pace ? (
        <p className="muted" id="forecast-pace">
          {t("forecast.pace", {
            book: format(forecast.pace.bookAhead),
            curve: format(forecast.pace.curveAhead),
            collected: format(forecast.pace.collected),
            weeks: forecast.pace.weeks,
          })}
        </p>
      ) : null}
      <ForecastPeriods id="forecast-weeks" title={t("forecast.weeklyTitle", { count: page.weeks })} rows={weekRows} first={t("forecast.week")} />
      <ForecastPeriods id="forecast-months" title={t("forecast.monthlyTitle")} rows={monthRows} first={t("forecast.month")} />
      <ForecastAccuracy accuracy={page.accuracy} weeks={13} />
      <ApartCustomers rows={page.apart} curveRead={forecast.pace !== null} />
      {notes.length > 0 || shortWindow || !forecast.rollRatesMeasured || page.behaviourLive ? (
        <section className="panel" aria-labelledby="forecast-notes">
          <h2 id="forecast-notes" className="panel__title">
            {t("forecast.notesTitle")}
          </h2>
          <ul>
            {shortWindow ? <li>{t("forecast.note.shortWindow", shortWindow)}</li> : null}
            {notes.map((source) => (
              <li key={source}>{t(`forecast.note.${source}`, { amount: format(forecast.lateness[source]), ...months })}</li>
            ))}
            {forecast.rollRatesMeasured ? null : <li>{t("forecast.note.noRollRates")}</li>}
            {page.behaviourLive ? <li>{t("forecast.note.live")}</li> : null}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
