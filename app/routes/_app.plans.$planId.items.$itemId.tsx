import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";

import { requirePermission, safeRedirectTo } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { loadItemPage, runItemCommand } from "~/features/plans/item-page.server";
import { statusOrNote } from "~/features/plans/items.server";
import { ItemPage } from "~/features/plans/components/item-page";
import { loadItemProjection } from "~/features/forecast/index.server";
import { ItemProjectionView } from "~/features/forecast/components/item-projection";
import plansStyles from "~/features/plans/components/plans.css";
import itemStyles from "~/features/plans/components/items.css";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: plansStyles },
  { rel: "stylesheet", href: itemStyles },
];
export const meta: MetaFunction<typeof loader> = (args) =>
  args.data ? pageTitle(args, "planItem", {}, args.data.item.title) : pageTitle(args, "planItem");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const planId = idParam(params, "planId");
  const itemId = idParam(params, "itemId");
  return orErrorPage(async () => {
    const [page, projection] = await Promise.all([loadItemPage(getDb(), user, planId, itemId, today()), loadItemProjection(getDb(), user, planId, itemId, today())]);
    return { ...page, projection };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  const planId = idParam(params, "planId");
  const itemId = idParam(params, "itemId");
  const here = `/plans/${planId}/items/${itemId}`;
  const formData = await readFormData(request);
  const values = formValues(formData);
  const intent = values.intent ?? null;
  return attempt(async () => {
    if (intent !== "set-status" && intent !== "note") return redirect(await runItemCommand(getDb(), user, planId, itemId, values, today()));
    // The status and note forms post here too (the same forms as on My tasks and the board).
    const done = await statusOrNote(getDb(), user, values, { planId, itemId }, today());
    if (values.via === "fetcher") return { ok: true as const, ...done };
    return redirect(safeRedirectTo(values.redirectTo ?? null, here));
  }, formData, intent);
}

export default function PlanItemPage() {
  const data = useLoaderData<typeof loader>();
  // the action answers { ok: true } or attempt()'s Refusal with the item as saved; Remix's serialized type does not keep that shape
  const answer = useActionData<typeof action>() as Refusal<typeof data.item> | { ok: true } | undefined;
  return <ItemPage data={data} answer={answer && !answer.ok ? answer : null} projection={data.projection ? <ItemProjectionView projection={data.projection} /> : null} />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
