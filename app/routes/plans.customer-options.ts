import type { LoaderFunctionArgs } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { customerOptions } from "~/features/plans/pages.server";

/** The item form's customer search (KPI scope "one customer"): `?q=` part of a code or name → up to 20 customers. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "plan:edit");
  return Response.json(await customerOptions(getDb(), new URL(request.url).searchParams.get("q") ?? ""));
}
