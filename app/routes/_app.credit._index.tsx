import { type LoaderFunctionArgs, redirect } from "@remix-run/node";

import { requirePermission } from "~/server/auth.server";

/** `/credit` opens the quarter's credit review, the section's working list. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:read");
  throw redirect("/credit/review");
}
