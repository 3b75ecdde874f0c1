import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { loadBoard, runBoardCommand } from "~/features/plans/board.server";
import { PlanBoard } from "~/features/plans/components/board";
import plansStyles from "~/features/plans/components/plans.css";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plansStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "plan");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const planId = idParam(params, "planId");
  const search = new URL(request.url).searchParams;
  const filters = { owner: search.get("owner") ?? "", status: search.get("status") ?? "", assigned: search.get("assigned") };
  return orErrorPage(() => loadBoard(getDb(), user, planId, filters, today()));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const planId = idParam(params, "planId");
  const formData = await readFormData(request);
  const intent = typeof formData.get("intent") === "string" ? String(formData.get("intent")) : null;
  return attempt(async () => redirect(await runBoardCommand(getDb(), user, planId, formData, today())), formData, intent);
}

export default function PlanBoardPage() {
  const data = useLoaderData<typeof loader>();
  // the action's only data answer is attempt()'s Refusal (else it redirects); Remix's serialized type does not keep that shape
  const answer = useActionData<typeof action>() as Refusal | undefined;
  return <PlanBoard data={data} answer={answer && !answer.ok ? answer : null} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
