import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { getDb } from "~/server/db.server";
import { reviewIndex } from "~/features/year-review/index.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "yearReviews");

/**
 * `/review` opens the last fiscal year that has ended; when the ledger does not reach back that
 * far (a new installation), it lists the years there are instead.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "review:read");
  const { open, years } = await reviewIndex(getDb(), today());
  if (open !== null) throw redirect(`/review/${open}`);
  return { years };
}

export default function ReviewIndex() {
  const { t } = useTranslation();
  const { years } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("review.title")}</h1>
      <p className="lead">{t("review.lead")}</p>
      {years.length === 0 ? (
        <p className="muted">{t("review.noYears")}</p>
      ) : (
        <ul className="review-year-list">
          {years.map((year) => (
            <li key={year}>
              <Link to={`/review/${year}`}>{t("review.heading", { year })}</Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
