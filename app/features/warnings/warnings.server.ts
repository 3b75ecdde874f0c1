import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import { GenerationCache } from "~/server/generation-cache.server";
import type { Locale } from "~/i18n";
import { planItemsIn } from "~/features/settings/index.server";
import { listAuditFor, recordAudit } from "~/features/audit/index.server";
import { warningsRaised } from "~/features/notifications/index.server";
import {
  type Finding,
  SEVERITIES,
  WARNING_STATES,
  brokenPromises,
  type ProjectedItem,
  daysLateRising,
  forecastMissesTarget,
  invoicesEntering61To90,
  overLimit,
  ownerOverdueGrowing,
  planSweep,
} from "~/features/warnings/rules";
import { warningActionSchema, warningRulesFormSchema } from "~/features/warnings/schema";
import {
  type WarningFilter,
  applySweep,
  balancesAgainstLimits,
  countActiveWarnings,
  findWarning,
  getWarningRules,
  invoicesDue61To90,
  latestWarnings,
  listWarnings,
  openLinkedItems,
  ownerOverdueAt,
  paidInvoicesBetween,
  promiseOutcomes,
  saveWarningRules,
  updateWarningState,
  warningById,
  warningOwners,
} from "~/features/warnings/queries.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { monthEndsBefore, monthStart } from "~/kernel/dates";
import { type LedgerScope, ledgerScopeOf } from "~/kernel/ledger/scope";
import type { IsoDate } from "~/kernel/ledger/types";
import { type Role, can } from "~/kernel/permissions";
import { isOneOf } from "~/kernel/guards";
import { kpiDefinition, parseScope } from "~/features/kpi";
import { PROJECTED_KPIS, isProjectedKpi, projectScope, projectedValueOf } from "~/features/forecast/index.server";

export interface SweepOutcome {
  raised: number;
  refreshed: number;
  closed: number;
}

/**
 * Evaluates every rule that is on as of `today` and brings the stored warnings in line: new
 * findings raised, those still true refreshed (never raised twice), those no longer true closed.
 * Run by the import after its commit and by the background job, never by a request that reads.
 */
export async function sweepWarnings(db: Db, today: IsoDate, now = new Date()): Promise<SweepOutcome> {
  const { rules } = await getWarningRules(db);
  const on = new Map(rules.filter((rule) => rule.enabled).map((rule) => [rule.kind, rule]));
  const findings: Finding[] = [];
  const daysLate = on.get("days_late_rising");
  if (daysLate?.kind === "days_late_rising") {
    const ends = monthEndsBefore(today, daysLate.params.months + 1);
    const first = ends[0];
    if (first) findings.push(...daysLateRising(await paidInvoicesBetween(db, monthStart(first), ends[ends.length - 1] ?? first), ends, daysLate.params));
  }
  const broken = on.get("broken_promise");
  if (broken?.kind === "broken_promise") findings.push(...brokenPromises(await promiseOutcomes(db, today), today, broken.params));
  const limit = on.get("over_limit");
  if (limit?.kind === "over_limit") findings.push(...overLimit(await balancesAgainstLimits(db, today), limit.params));
  const invoice = on.get("invoice_61_90");
  if (invoice?.kind === "invoice_61_90") findings.push(...invoicesEntering61To90(await invoicesDue61To90(db, today), today, invoice.params));
  const owners = on.get("owner_overdue_growing");
  if (owners?.kind === "owner_overdue_growing") {
    const ends = monthEndsBefore(today, owners.params.months + 1);
    findings.push(...ownerOverdueGrowing(await ownerOverdueAt(db, ends), ends, owners.params));
  }
  const forecast = on.get("forecast_misses_target");
  if (forecast?.kind === "forecast_misses_target") findings.push(...forecastMissesTarget(await projectedItems(db, today), forecast.params));
  return db.transaction().execute(async (trx) => {
    const plan = planSweep(await latestWarnings(trx), findings, rules);
    const raised = await applySweep(trx, plan, today, now);
    await warningsRaised(trx, raised, now);
    return { raised: plan.raise.length, refreshed: plan.refresh.length, closed: plan.close.length };
  });
}

/**
 * The open KPI-linked plan items with their KPI projected to the due date: one forecast per scope
 * (reaching the furthest due date of its items). An item whose scope names nothing the ledger has
 * is not projected.
 */
async function projectedItems(db: Db, today: IsoDate): Promise<ProjectedItem[]> {
  const items = await openLinkedItems(db, PROJECTED_KPIS, today);
  const byScope = new Map<string, typeof items>();
  for (const item of items) {
    const list = byScope.get(item.scope);
    if (list) list.push(item);
    else byScope.set(item.scope, [item]);
  }
  const projected: ProjectedItem[] = [];
  for (const [text, list] of byScope) {
    const parsed = parseScope(text);
    if (!parsed.ok) continue;
    const projections = await projectScope(db, parsed.scope, today, list.map((item) => item.dueDate));
    if (!projections) continue;
    for (const item of list) {
      const projection = projections.get(item.dueDate);
      if (!projection || !isProjectedKpi(item.kpi)) continue;
      projected.push({
        itemId: item.itemId,
        planId: item.planId,
        title: item.title,
        ownerId: item.ownerId,
        kpi: item.kpi,
        better: item.better ?? kpiDefinition(item.kpi).better,
        target: item.target,
        dueDate: item.dueDate,
        projected: projectedValueOf(item.kpi, projection),
      });
    }
  }
  return projected;
}

/** The job (server/jobs.server.ts): a new business date without an import still raises and closes warnings. */
export function warningsJob(db: Db, today: () => IsoDate, { everyMs = 10 * 60_000 } = {}): Job {
  return {
    name: "warnings",
    everyMs,
    atStart: true,
    async run() {
      const { raised, closed } = await sweepWarnings(db, today());
      return raised + closed > 0 ? `Early warnings: ${raised} raised, ${closed} closed.` : null;
    },
  };
}

/** The head saves the rules, validated again with the form's schema (`raw`: the nested posted form). */
export async function saveWarningRulesForm(db: Db, raw: Record<string, unknown>, userId: number): Promise<{ ok: true; changed: boolean }> {
  const parsed = warningRulesFormSchema.safeParse(raw);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const result = await saveWarningRules(db, parsed.data.rules, userId, parsed.data.basedOn);
  if (!result.ok) throw AppError.conflict("warnings.validation.rulesConflict", result.current);
  return result;
}

function fieldErrorsOf(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/** The head acts on any warning; an owner on those of their own customers (as the customer is owned now) and their own book. */
function mayAct(user: Actor, warning: { customerId: number | null; customerOwnerId: number | null; ownerId: number | null }): boolean {
  const ownerId = warning.customerId !== null ? warning.customerOwnerId : warning.ownerId;
  return can(user, "collection:log", { ownerId });
}

interface Actor {
  id: number;
  role: Role;
}

/**
 * Acknowledges or resolves a warning with a note: the head any, an owner those of their own
 * customers and book. A post naming an older version (someone acted first) or a resolved warning
 * is refused with 409 and changes nothing.
 */
export async function actOnWarning(db: Db, user: Actor, raw: Record<string, unknown>, today: IsoDate, now = new Date()) {
  const parsed = warningActionSchema.safeParse(raw);
  if (!parsed.success) {
    const subjectId = typeof raw.id === "string" && /^\d{1,12}$/.test(raw.id) ? Number(raw.id) : null;
    throw new AppError("invalid", "errors.checkFields", { fieldErrors: fieldErrorsOf(parsed.error.issues), subjectId });
  }
  const { intent, id, version, note } = parsed.data;
  const warning = await findWarning(db, id);
  if (!warning) throw AppError.notFound();
  if (!mayAct(user, warning)) throw AppError.forbidden();
  const state = intent === "acknowledge" ? "acknowledged" : "resolved";
  if (warning.state === "resolved" || warning.version !== version || (intent === "acknowledge" && warning.state === "acknowledged")) {
    throw AppError.conflict("warnings.validation.conflict", { state: warning.state, version: warning.version, note: warning.note }, id);
  }
  return db.transaction().execute(async (trx) => {
    const done = await updateWarningState(trx, id, version, { state, note, userId: user.id, today }, now);
    if (!done) throw AppError.conflict("warnings.validation.conflict", null, id);
    await recordAudit(trx, { userId: user.id, entity: "warning", entityId: id, action: intent, before: { state: warning.state, note: warning.note }, after: { state, note } }, now);
    return { ok: true as const, id, state };
  });
}

/** The list page's filter from the query string; anything unknown is no filter. */
export function readWarningFilter(params: URLSearchParams): WarningFilter {
  const severity = params.get("severity");
  const state = params.get("state");
  const owner = params.get("owner");
  return {
    severity: isOneOf(SEVERITIES, severity) ? severity : null,
    state: state === "all" ? null : isOneOf(WARNING_STATES, state) ? state : "active",
    ownerId: owner && /^\d{1,9}$/.test(owner) ? Number(owner) : null,
  };
}

/** The viewer: who acts, and the language the plan items' titles in the reasons are shown in. */
type Viewer = Actor & { locale?: Locale | null };

/** The plan item a reason names (a forecast missing an item's target), by the reason's params. */
function namedItem(reason: unknown): { itemId: number; title: string } | null {
  if (typeof reason !== "object" || reason === null || !("params" in reason)) return null;
  const params: unknown = reason.params;
  if (typeof params !== "object" || params === null || !("itemId" in params) || !("item" in params)) return null;
  return typeof params.itemId === "number" && typeof params.item === "string" ? { itemId: params.itemId, title: params.item } : null;
}

/**
 * The rows with the plan items' titles their reasons name in the viewer's language: a reason keeps
 * the title as it was when the warning was raised, and a title written from built-in text (the
 * demo's, a template's) has both wordings, as the plan pages show it.
 */
async function reasonsInLanguage<T extends { reasons: string }>(db: Db, rows: readonly T[], locale: Locale | null | undefined): Promise<T[]> {
  const parsed = rows.map((row): unknown[] | null => {
    try {
      const value: unknown = JSON.parse(row.reasons);
      return Array.isArray(value) ? value : null;
    } catch {
      return null;
    }
  });
  const titles = new Map<number, string>();
  for (const reasons of parsed) for (const reason of reasons ?? []) {
    const named = namedItem(reason);
    if (named) titles.set(named.itemId, named.title);
  }
  if (titles.size === 0 || !locale) return [...rows];
  const shown = new Map((await planItemsIn(db, [...titles].map(([id, title]) => ({ id, title })), locale)).map((item) => [item.id, item.title]));
  return rows.map((row, index) => {
    const reasons = parsed[index];
    if (!reasons) return row;
    let changed = false;
    const next = reasons.map((reason) => {
      const named = namedItem(reason);
      const title = named ? shown.get(named.itemId) : undefined;
      if (!named || title === undefined || title === named.title) return reason;
      changed = true;
      // namedItem saw an object with params holding item and itemId
      const withParams = reason as { params: Record<string, unknown> };
      return { ...withParams, params: { ...withParams.params, item: title } };
    });
    return changed ? { ...row, reasons: JSON.stringify(next) } : row;
  });
}

/** The warnings list page: the rows the user's scope sees, the owners to filter by and whether they may act. */
export async function loadWarningsPage(db: Db, user: Viewer, filter: WarningFilter) {
  const scope: LedgerScope = ledgerScopeOf(user);
  const [rows, owners] = await Promise.all([listWarnings(db, scope, filter), scope.kind === "all" ? warningOwners(db) : Promise.resolve([])]);
  return {
    rows: (await reasonsInLanguage(db, rows, user.locale)).map((row) => ({ ...row, canAct: row.state !== "resolved" && mayAct(user, row) })),
    owners,
    ownerFilter: scope.kind === "all",
  };
}

/**
 * The open and acknowledged warnings a user sees (`own`: only those they are the owner to act on,
 * for My tasks): counts by severity and the most severe few.
 */
export async function activeWarningsSummary(db: Db, user: Viewer, { own = false, limit = 5 } = {}): Promise<WarningsSummary> {
  const scope: LedgerScope = own ? { kind: "owner", ownerId: user.id } : ledgerScopeOf(user);
  // Shown on the dashboard and My tasks at every view; it changes only when the database does.
  return summaryCache.get(db, `${JSON.stringify(scope)} ${limit} ${user.locale ?? ""}`, () => summaryOf(db, scope, limit, user.locale));
}

type WarningsSummary = Awaited<ReturnType<typeof summaryOf>>;

const summaryCache = new GenerationCache<WarningsSummary>(200);

async function summaryOf(db: Db, scope: LedgerScope, limit: number, locale: Locale | null | undefined) {
  const [counts, rows] = await Promise.all([countActiveWarnings(db, scope), listWarnings(db, scope, { severity: null, state: "active", ownerId: null }, 200)]);
  const total = counts.info + counts.warning + counts.critical;
  return { counts, total, top: await reasonsInLanguage(db, rows.slice(0, limit), locale) };
}


/** One warning's page: the warning if the user's scope sees it (404 otherwise), whether they may act, and its history. */
export async function loadWarningPage(db: Db, user: Viewer, id: number) {
  const found = await warningById(db, ledgerScopeOf(user), id);
  if (!found) throw AppError.notFound();
  const [row = found] = await reasonsInLanguage(db, [found], user.locale);
  const history = await listAuditFor(db, "warning", id);
  return {
    warning: { ...row, canAct: row.state !== "resolved" && mayAct(user, row) },
    history: history.map((entry) => ({ id: entry.id, at: entry.at, action: entry.action, userName: entry.userName, note: noteOf(entry.after) })),
  };
}

function noteOf(after: string | null): string {
  if (!after) return "";
  try {
    const value: unknown = JSON.parse(after);
    return typeof value === "object" && value !== null && "note" in value && typeof value.note === "string" ? value.note : "";
  } catch {
    return "";
  }
}
