import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "~/i18n/page-title";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, orErrorPage, readFormData } from "~/server/responses.server";
import { AppError } from "~/kernel/app-error";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import statusStyles from "~/features/status-table/components/status.css";
import { PublicationPage } from "~/features/status-table/components/publications";
import { commentOnPublication, loadPublication, publishStatusTable } from "~/features/status-table/index.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: statusStyles }];
export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, "publishedStatusMonth", { month: args.data.month }) : pageTitle(args, "publishedStatus");

/** `/status/published/:month[?version=n]`: a published version. Reads only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "app:use");
  return orErrorPage(() => loadPublication(getDb(), user, params.month ?? "", new URL(request.url).searchParams));
}

/** The head's corrected version (`intent=publish`) or leadership's comment (`intent=comment`). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "app:use");
  const month = params.month ?? "";
  const formData = await readFormData(request);
  const fields = formValues(formData);
  const intent = fields.intent ?? null;
  return attempt(
    async () => {
      if (intent === "publish") return redirect((await publishStatusTable(getDb(), user, { ...fields, month }, today())).redirectTo);
      if (intent === "comment") return redirect((await commentOnPublication(getDb(), user, month, fields)).redirectTo);
      throw AppError.field("intent", "errors.checkFields");
    },
    formData,
    intent,
  );
}

export default function PublishedStatusTableRoute() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // Remix's type for action data loses the Refusal shape; `ok: false` answers are Refusals.
  const refused = actionData && "ok" in actionData && actionData.ok === false ? (actionData as Refusal) : null;
  return <PublicationPage view={view} refused={refused} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
