import type { Db } from "~/server/db.server";

/** Whether the summaries wait for a catch-up: never built, or customers noted by the trigger. */
export async function kpiSummariesBehind(db: Db): Promise<boolean> {
  const status = await db.selectFrom("kpi_summary_status").select("rebuild_needed").where("id", "=", 1).executeTakeFirst();
  if (!status || status.rebuild_needed === 1) return true;
  const noted = await db.selectFrom("kpi_summary_pending_customers").select("customer_id").limit(1).executeTakeFirst();
  return noted !== undefined;
}
