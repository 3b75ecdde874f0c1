import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { can } from "~/kernel/permissions";
import { recordAudit } from "~/features/audit/index.server";
import type { ForecastReader } from "./forecast.server";
import { pathChoiceSchema } from "./push-make.schema";
import { PUSH_KPIS } from "./projection";
import { pushItemRow, setItemPath } from "./queries.server";

/**
 * The head chooses how a KPI-linked item's planned path runs through the quarter: straight, or
 * last year's shape. A planning choice of the head's (as the item's target is), audited; it
 * changes how "at risk" is judged from the next reading on.
 */
export async function choosePlannedPath(db: Db, user: ForecastReader, itemId: number, raw: Record<string, unknown>, now = new Date()): Promise<{ ok: true; path: "straight" | "last_year" }> {
  if (!can(user, "plan:edit")) throw AppError.forbidden("pushPlanner.path.forbidden");
  const parsed = pathChoiceSchema.safeParse(raw);
  if (!parsed.success) throw AppError.field("path", "pushPlanner.path.choose");
  const item = await pushItemRow(db, itemId);
  if (!item || !PUSH_KPIS.some((kpi) => kpi === item.kpi_key)) throw AppError.notFound("forecast.push.noItem");
  const before = item.kpi_path ?? "straight";
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    if (!(await setItemPath(trx, itemId, parsed.data.path, at))) throw AppError.notFound("forecast.push.noItem");
    await recordAudit(trx, { userId: user.id, entity: "plan_item", entityId: itemId, action: "path_chosen", before: { path: before }, after: { path: parsed.data.path } }, now);
  });
  return { ok: true, path: parsed.data.path };
}
