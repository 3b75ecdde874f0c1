import type { Db } from "~/server/db.server";
import { isValidIsoDate } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { type Role, can } from "~/kernel/permissions";
import type { KpiScope } from "~/features/kpi";
import { scopeCustomerIds } from "~/features/kpi/index.server";
import { computeProvision } from "~/features/provisions/provision.server";
import type { AgeBasis } from "~/features/provisions/positions";
import { listAdjustments, listRateTables, listSpecific } from "~/features/provisions/queries/tables.server";

/**
 * The provisions page: the ladder and the matrix side by side as of a date (today by default), the
 * named customers, the rate tables and the forward-looking adjustments. Staff see their own
 * customers' provisions only, and neither tables nor adjustments.
 */
export async function loadProvisionPage(db: Db, user: { id: number; role: Role; email: string }, search: URLSearchParams, today: IsoDate) {
  const asOfText = search.get("asOf") ?? "";
  const asOf = isValidIsoDate(asOfText) ? asOfText : today;
  const basis: AgeBasis = search.get("basis") === "due" ? "due" : "issue";
  const all = ledgerScopeOf(user).kind === "all";
  const scope: KpiScope = all ? { type: "company" } : { type: "owner", email: user.email.toLowerCase() };
  const common = { asOf, basis, table: null, scope } as const;
  const ladder = await computeProvision(db, { ...common, method: "ladder" });
  const matrix = await computeProvision(db, { ...common, method: "matrix" });
  const ids = all ? null : await scopeCustomerIds(db, scope);
  const specific = await listSpecific(db, ids === "unknown" ? [] : ids);
  return {
    asOf,
    basis,
    own: !all,
    ladder,
    matrix,
    specific: specific.map((row) => ({ ...row, value: Number(row.value), version: Number(row.version) })),
    tables: all ? await listRateTables(db) : [],
    adjustments: all
      ? (await listAdjustments(db)).map((row) => ({
          id: row.id,
          effectiveFrom: row.effective_from,
          ppm: Number(row.adjustment_ppm),
          reason: row.reason,
          approvedAt: row.approved_at,
          version: Number(row.version),
        }))
      : [],
    canEdit: can(user, "provision:edit"),
    canApprove: can(user, "provision:approve"),
  };
}
export type ProvisionPageData = Awaited<ReturnType<typeof loadProvisionPage>>;
