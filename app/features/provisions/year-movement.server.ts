import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import type { Role } from "~/kernel/permissions";
import { type YearProvisionMovement, provisionMovement, yearMovement } from "~/features/provisions/movement";
import { approvedRunsBetween } from "~/features/provisions/queries/runs.server";

/**
 * The provision's movement over a fiscal year [start, end] for the year review, from the approved
 * runs ending in it (stored figures, never recomputed). Runs are the company's: null for staff,
 * and when no run of the year is approved.
 */
export async function yearProvisionMovement(db: Db, viewer: { id: number; role: Role; email: string }, start: IsoDate, end: IsoDate): Promise<YearProvisionMovement | null> {
  if (ledgerScopeOf(viewer).kind !== "all") return null;
  const rows = await approvedRunsBetween(db, start, end);
  const movement = yearMovement(rows.map((row) => provisionMovement(Number(row.opening), Number(row.written_off), Number(row.ladder_total))));
  return movement ? { movement, runs: rows.map((row) => ({ id: row.id, periodEnd: row.period_end })) } : null;
}
