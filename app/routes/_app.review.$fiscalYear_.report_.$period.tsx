import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import reviewStyles from "~/features/year-review/components/review.css";
import { ReportPage } from "~/features/year-review/components/report-page";
import { periodParam, reportCommand, reportView } from "~/features/year-review/index.server";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reviewStyles }];
export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, "periodReport", { year: args.data.fiscalYear, period: args.data.period.toUpperCase() }) : pageTitle(args, "yearReviews");

/** `/review/:fiscalYear/report/:period` (h1, h2, q1–q4): the half-year's or quarter's written report. Reads only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  const fiscalYear = idParam(params, "fiscalYear");
  return orErrorPage(() => reportView(getDb(), user, fiscalYear, today(), periodParam(params.period)));
}

/** As on the year's report: the head's save or submit, leadership's return or accept. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  const fiscalYear = idParam(params, "fiscalYear");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  return attempt(
    async () => redirect((await reportCommand(getDb(), user, fiscalYear, formValues(formData), today(), user, periodParam(params.period))).redirectTo),
    formData,
    typeof intent === "string" ? intent : null,
  );
}

export default function PeriodReportRoute() {
  const report = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Remix's type for action data loses the Refusal shape; `ok: false` answers are Refusals.
  const refused = actionData && "ok" in actionData && actionData.ok === false ? (actionData as Refusal) : null;
  return <ReportPage report={report} refused={refused} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
