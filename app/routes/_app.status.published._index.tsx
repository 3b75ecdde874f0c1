import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/page-title";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, orErrorPage, readFormData } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import statusStyles from "~/features/status-table/components/status.css";
import { PublicationsPage } from "~/features/status-table/components/publications";
import { loadPublications, publishStatusTable } from "~/features/status-table/index.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statusStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "publishedStatus");

/** `/status/published`: the published months (head and leadership). Reads only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "app:use");
  return orErrorPage(() => loadPublications(getDb(), user, today()));
}

/** The head publishes a month's table with a note. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "app:use");
  const formData = await readFormData(request);
  return attempt(async () => redirect((await publishStatusTable(getDb(), user, formValues(formData), today())).redirectTo), formData, "publish");
}

export default function PublishedStatusTablesRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Remix's type for action data loses the Refusal shape; `ok: false` answers are Refusals.
  const refused = actionData && "ok" in actionData && actionData.ok === false ? (actionData as Refusal) : null;
  return <PublicationsPage data={data} refused={refused} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
