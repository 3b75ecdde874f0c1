import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import reviewStyles from "~/features/year-review/components/review.css";
import { YearReviewPage } from "~/features/year-review/components/year-review-page";
import { reviewCommand, reviewPage } from "~/features/year-review/index.server";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reviewStyles }];
export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, "yearReview", { year: args.data.review.dates.fiscalYear }) : pageTitle(args, "yearReviews");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  const fiscalYear = idParam(params, "fiscalYear");
  return orErrorPage(() => reviewPage(getDb(), user, fiscalYear, today(), new URL(request.url).searchParams));
}

/** Leadership's comment (`intent=comment`) or the head's draft of next year's Q1 (`intent=draft-next-year`). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "review:read");
  const fiscalYear = idParam(params, "fiscalYear");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  return attempt(
    async () => redirect((await reviewCommand(getDb(), user, fiscalYear, formValues(formData), today())).redirectTo),
    formData,
    typeof intent === "string" ? intent : null,
  );
}

export default function YearReviewRoute() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Remix's type for action data loses the Refusal shape; `ok: false` answers are Refusals.
  const refused = actionData && "ok" in actionData && actionData.ok === false ? (actionData as Refusal) : null;
  return <YearReviewPage loaded={loaded} refused={refused} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
