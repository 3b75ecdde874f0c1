import type { Db } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { type Role, can } from "~/kernel/permissions";
import { recordAudit } from "~/features/audit/index.server";
import { provisionRunApproved, provisionRunDrafted } from "~/features/notifications/index.server";
import { computeProvision } from "~/features/provisions/provision.server";
import { PPM, allocateLadderProvision } from "~/features/provisions/ladder";
import { type PeriodKind, provisionMovement } from "~/features/provisions/movement";
import { type AgingFlag, type RunCustomer, type RunFigures, YEARLY_DAYS, agingFlags, endsPeriod, latestPeriodEnd, movementFrom, previousYearEnd } from "~/features/provisions/runs";
import { approveRunFormSchema, draftRunFormSchema } from "~/features/provisions/schema";
import { customerBandBalances } from "~/features/provisions/queries/balances.server";
import {
  approveRun,
  approvedAfter,
  approvedAt,
  customersWithDocuments,
  insertRun,
  listRuns,
  previousApproved,
  runById,
  runByPeriod,
  updateDraft,
  writtenOffBetween,
} from "~/features/provisions/queries/runs.server";

/**
 * Provision runs: the head drafts the company's provision at a period end (drafting again
 * recomputes the draft), a leader approves it once, after seeing the impossible-aging check, and
 * from then on its stored figures are what the page and the movement read: never recomputed.
 * One run per period end; an approved one refuses any new draft for its period.
 */

type User = { id: number; role: Role; email: string };

function parse<T>(schema: { safeParse(raw: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (fieldErrors[issue.path.length ? issue.path.map(String).join(".") : "form"] ??= []).push(issue.message);
  throw AppError.invalid(fieldErrors);
}

/** The company's provision at D by both methods, by band and by customer. */
async function computeFigures(db: Db, periodEnd: IsoDate) {
  const common = { asOf: periodEnd, basis: null, table: null, scope: { type: "company" } } as const;
  const ladder = await computeProvision(db, { ...common, method: "ladder" });
  const matrix = await computeProvision(db, { ...common, method: "matrix" });
  const upperDays = ladder.bands.slice(0, -1).map((band) => band.toDays ?? 0);
  const table = { upperDays, ratesPpm: ladder.bands.map((band) => Math.round(band.rate * PPM)) };
  const named = new Set(ladder.specific.map((entry) => entry.customerId));
  const yearlyIsTable = upperDays.join(",") === YEARLY_DAYS.join(",");
  const customers: RunCustomer[] = [];
  // Two grouped reads (the run's bands, the yearly ones), never a query per customer.
  const query = { asOf: periodEnd, basis: ladder.basis, kind: "open", customerIds: null, excludeIds: [] } as const;
  const byBand = await customerBandBalances(db, { ...query, upperDays });
  const byYear = yearlyIsTable ? byBand : await customerBandBalances(db, { ...query, upperDays: YEARLY_DAYS });
  const zeros = (length: number) => new Array<number>(length).fill(0);
  for (const customer of await customersWithDocuments(db)) {
    const balances = byBand.get(customer.id) ?? zeros(upperDays.length + 1);
    const yearly = byYear.get(customer.id) ?? zeros(YEARLY_DAYS.length + 1);
    if (balances.every((amount) => amount === 0) && yearly.every((amount) => amount === 0)) continue;
    const grouped = named.has(customer.id) ? balances.map(() => 0) : balances;
    customers.push({ customerId: customer.id, code: customer.code, name: customer.name, balances: grouped, provision: 0, yearly });
  }
  // Each customer's share of the band provisions, so the customers add up to the run's grouped total.
  const shares = allocateLadderProvision(table.ratesPpm, customers.map((customer) => customer.balances));
  customers.forEach((customer, i) => (customer.provision = shares[i] ?? 0));
  const figures: RunFigures = {
    ladder: ladder.bands,
    matrix: matrix.bands,
    specific: ladder.specific.map((entry) => ({
      customerId: entry.customerId,
      code: entry.customerCode,
      name: entry.customerName,
      balance: entry.balance,
      provision: entry.provision,
      reason: entry.reason,
      evidence: entry.evidence,
    })),
    customers,
  };
  return { figures, basis: ladder.basis, ladderTotal: ladder.total, matrixTotal: matrix.total, gross: ladder.grossReceivables };
}

export async function draftProvisionRun(db: Db, user: User, raw: unknown, now = new Date()): Promise<number> {
  if (!can(user, "provision:edit")) throw AppError.forbidden("provisions.form.forbidden");
  const form = parse(draftRunFormSchema, raw);
  if (!endsPeriod(form.periodEnd, form.kind)) throw AppError.invalid({ periodEnd: ["provisions.runs.notPeriodEnd"] });
  if (form.periodEnd > latestPeriodEnd(today(now), form.kind)) throw AppError.invalid({ periodEnd: ["provisions.runs.future"] });
  if (await approvedAfter(db, form.periodEnd)) throw AppError.invalid({ periodEnd: ["provisions.runs.afterApproved"] });
  const existing = await runByPeriod(db, form.periodEnd);
  if (existing?.status === "approved") throw AppError.conflict("provisions.runs.approvedExists", null, existing.id);
  // Computed before the write transaction: the provision reads through its own connection.
  const computed = await computeFigures(db, form.periodEnd);
  const previous = await previousApproved(db, form.periodEnd);
  const writtenOff = await writtenOffBetween(db, movementFrom(form.periodEnd, form.kind, previous?.period_end ?? null), form.periodEnd);
  const values = {
    periodEnd: form.periodEnd,
    kind: form.kind,
    basis: computed.basis,
    figures: JSON.stringify(computed.figures),
    ladderTotal: computed.ladderTotal,
    matrixTotal: computed.matrixTotal,
    gross: computed.gross,
    previousRunId: previous?.id ?? null,
    opening: previous ? Number(previous.ladder_total) : 0,
    writtenOff,
  };
  return db.transaction().execute(async (trx) => {
    const current = await runByPeriod(trx, form.periodEnd);
    const at = now.toISOString();
    let id: number;
    if (!current) {
      if (form.version !== 0) throw AppError.conflict("provisions.form.conflict", null);
      id = await insertRun(trx, values, user.id, at);
    } else {
      if (current.status !== "draft" || form.version !== Number(current.version) || !(await updateDraft(trx, current.id, form.version, values, user.id, at)))
        throw AppError.conflict(current.status === "approved" ? "provisions.runs.approvedExists" : "provisions.form.conflict", null, current.id);
      id = current.id;
    }
    const { figures: _figures, ...summary } = values;
    await recordAudit(trx, { userId: user.id, entity: "provision_run", entityId: id, action: current ? "redraft" : "draft", after: summary }, now);
    await provisionRunDrafted(trx, { runId: id, periodEnd: form.periodEnd, total: computed.ladderTotal, actorId: user.id }, now);
    return id;
  });
}

// The JSON columns hold only what this module wrote (JSON.stringify of these types); nothing else writes them.
const storedFigures = (text: string) => JSON.parse(text) as RunFigures;
// As above: written by approveProvisionRun only.
const storedFlags = (text: string) => JSON.parse(text) as AgingFlag[];

/** The impossible-aging check of a year-end run: null when it does not apply (not a year end, or no approved previous year end). */
async function agingCheck(db: Db, run: { period_kind: PeriodKind; period_end: string }, figures: RunFigures): Promise<{ against: IsoDate; flags: AgingFlag[] } | null> {
  if (run.period_kind !== "year") return null;
  const against = previousYearEnd(run.period_end);
  const previous = await approvedAt(db, against);
  if (!previous) return null;
  return { against, flags: agingFlags(storedFigures(previous.figures).customers, figures.customers) };
}

export async function approveProvisionRun(db: Db, user: User, raw: unknown, now = new Date()): Promise<void> {
  if (!can(user, "provision:approve")) throw AppError.forbidden("provisions.form.forbidden");
  const form = parse(approveRunFormSchema, raw);
  await db.transaction().execute(async (trx) => {
    const run = await runById(trx, form.id);
    if (!run) throw AppError.notFound("provisions.form.notFound");
    if (run.status !== "draft" || Number(run.version) !== form.version) throw AppError.conflict("provisions.form.conflict", null, run.id);
    // The movement was fixed against the run approved before; another approved since means a redraft.
    const previous = await previousApproved(trx, run.period_end);
    if ((previous?.id ?? null) !== run.previous_run_id || (await approvedAfter(trx, run.period_end))) throw AppError.conflict("provisions.runs.redraft", null, run.id);
    const check = await agingCheck(trx, run, storedFigures(run.figures));
    const flags = check?.flags ?? [];
    if (flags.length && !form.seen) throw AppError.invalid({ seen: ["provisions.runs.seeFlags"] });
    if (!(await approveRun(trx, run.id, form.version, JSON.stringify(flags), flags.length > 0, user.id, now.toISOString()))) throw AppError.conflict("provisions.form.conflict", null, run.id);
    await recordAudit(trx, { userId: user.id, entity: "provision_run", entityId: run.id, action: "approve", before: { version: form.version, status: "draft" }, after: { flags: flags.length } }, now);
    await provisionRunApproved(trx, { runId: run.id, periodEnd: run.period_end, total: Number(run.ladder_total), draftedBy: run.drafted_by, actorId: user.id }, now);
  });
}

const seesRuns = (user: User) => ledgerScopeOf(user).kind === "all";

/** The period kind a runs list is filtered by (`?period=month|quarter|year`); anything else lists every run. */
export function runsPeriodParam(value: string | null): PeriodKind | null {
  return value === "month" || value === "quarter" || value === "year" ? value : null;
}

/** The runs list on the provisions page, of one period kind when asked; staff see none (a run names every customer). */
export async function loadRunList(db: Db, user: User, period: string | null = null) {
  if (!seesRuns(user)) return [];
  return (await listRuns(db, runsPeriodParam(period))).map((row) => ({
    id: row.id,
    periodEnd: row.period_end,
    kind: row.period_kind,
    status: row.status,
    ladderTotal: Number(row.ladder_total),
    matrixTotal: Number(row.matrix_total),
    version: Number(row.version),
  }));
}

/** A run's page: its stored figures, the movement, the aging check (stored once approved). */
export async function loadRunPage(db: Db, user: User, id: number) {
  if (!seesRuns(user)) throw AppError.forbidden("provisions.runs.forbidden");
  const run = Number.isSafeInteger(id) ? await runById(db, id) : undefined;
  if (!run) throw AppError.notFound("provisions.form.notFound");
  const figures = storedFigures(run.figures);
  const approved = run.status === "approved";
  const check = approved
    ? // Runs are approved in date order, so the year end before, if approved now, was approved before this one.
      await (async () => {
        const applies = run.period_kind === "year" && (await approvedAt(db, previousYearEnd(run.period_end))) !== undefined;
        return { against: applies ? previousYearEnd(run.period_end) : null, flags: storedFlags(run.flags), applies };
      })()
    : await agingCheck(db, run, figures).then((found) => ({ against: found?.against ?? null, flags: found?.flags ?? [], applies: found !== null }));
  const previous = run.previous_run_id === null ? null : await runById(db, run.previous_run_id);
  // A draft's movement was fixed against the run approved before it then; approving needs a redraft if that changed.
  const needsRedraft = !approved && ((await previousApproved(db, run.period_end))?.id ?? null) !== run.previous_run_id;
  const ladderTotal = Number(run.ladder_total);
  const matrixTotal = Number(run.matrix_total);
  return {
    run: {
      id: run.id,
      periodEnd: run.period_end,
      kind: run.period_kind,
      status: run.status,
      basis: run.basis,
      version: Number(run.version),
      draftedAt: run.drafted_at,
      approvedAt: run.approved_at,
      flagsSeen: run.flags_seen === 1,
      ladderTotal,
      matrixTotal,
      difference: matrixTotal - ladderTotal,
      gross: Number(run.gross),
    },
    previous: previous ? { id: previous.id, periodEnd: previous.period_end } : null,
    figures,
    movement: provisionMovement(Number(run.opening), Number(run.written_off), ladderTotal),
    check,
    needsRedraft,
    canApprove: !approved && !needsRedraft && can(user, "provision:approve"),
    canRedraft: !approved && can(user, "provision:edit"),
  };
}
export type RunPageData = Awaited<ReturnType<typeof loadRunPage>>;
