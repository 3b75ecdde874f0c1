import type { Db } from "~/server/db.server";
import { holdAdvice, type HoldAdvice, type HoldKind, suggestHold } from "~/features/credit/holds/holds";
import {
  type HoldInForceRow,
  type HoldsFilters,
  type HoldsParams,
  type LimitRow,
  type SuggestionRow,
  holdsLists,
  pageOf,
} from "~/features/credit/holds/lists";
import { holdChangeSchema } from "~/features/credit/holds/schema";
import type { CreditReason } from "~/features/credit/rules";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { IsoDate } from "~/kernel/ledger/types";
import type { PageInfo } from "~/kernel/paging";
import { loadPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { getCreditPolicy } from "~/features/credit/grades/index.server";
import {
  type HoldRow,
  currentHold,
  customerIdByCode,
  holdHistory,
  holdsCustomers,
  openLinesAsOf,
  releaseHold,
  setHold,
} from "~/features/credit/holds/queries.server";

/**
 * Holds, credit utilisation and the over-limit list.
 *
 * Every figure is as of today, worked out the way the status table's month to date is: a
 * customer's open invoices come from `open_items` (every document counted, which is exactly today
 * for a customer with no document dated after today) or, for customers with later-dated
 * documents, from their open runs covering today (`status_open_runs`, kept by the status-table
 * feature). So the list and the customer page (which settles that customer's own documents as of
 * today) agree.
 *
 * The database sums the open amounts per customer and due date; the lists run `suggestHold`
 * itself on every customer in scope (lists.ts), so there is one rule, worded once.
 */

export const HOLDS_PAGE_SIZE = 50;

/**
 * Broken promises and instalments per customer as of `asOf` (the collections feature): the one
 * place the hold rules learn about them.
 */
export async function brokenPromiseCounts(db: Db, customerIds: readonly number[] | null, asOf: IsoDate): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const row of await loadPromiseStatuses(db, customerIds, asOf)) {
    if (row.status === "broken") counts.set(row.customerId, (counts.get(row.customerId) ?? 0) + 1);
  }
  return counts;
}

/*
 * Reads only: the open runs that customers with later-dated documents are read from are kept
 * current by the import and, after a change outside it, by the status keeper's background job.
 */
async function listsOf(db: Db, scope: LedgerScope, filters: HoldsFilters, asOf: IsoDate) {
  const [customers, amounts, policy, broken] = await Promise.all([
    holdsCustomers(db, scope, filters),
    openLinesAsOf(db, scope, filters, asOf),
    getCreditPolicy(db),
    brokenPromiseCounts(db, null, asOf),
  ]);
  return holdsLists(customers, amounts, { grades: policy.grades, broken }, asOf);
}

export interface HoldsOverview {
  asOf: IsoDate;
  holds: { rows: HoldInForceRow[]; page: PageInfo };
  suggestions: { rows: SuggestionRow[]; page: PageInfo };
  limits: { rows: LimitRow[]; page: PageInfo; overLimitCount: number; withLimitCount: number };
}

export async function holdsOverview(db: Db, scope: LedgerScope, params: HoldsParams, asOf: IsoDate, pageSize = HOLDS_PAGE_SIZE): Promise<HoldsOverview> {
  const lists = await listsOf(db, scope, params.filters, asOf);
  const overLimit = lists.limits.filter((row) => row.overLimit);
  return {
    asOf,
    holds: pageOf(lists.holds, params.holdsPage, pageSize),
    suggestions: pageOf(lists.suggestions, params.suggestionsPage, pageSize),
    limits: {
      ...pageOf(params.filters.overLimitOnly ? overLimit : lists.limits, params.limitsPage, pageSize),
      overLimitCount: overLimit.length,
      withLimitCount: lists.limits.length,
    },
  };
}

/** Every customer in scope whose suggested hold differs from the one in force, with that suggestion. */
export async function suggestedKinds(db: Db, scope: LedgerScope, asOf: IsoDate): Promise<Map<string, HoldKind | null>> {
  const lists = await listsOf(db, scope, { overLimitOnly: false }, asOf);
  return new Map(lists.suggestions.map((row) => [row.code, row.suggestedKind]));
}

export type HoldsExportList = "holds" | "over-limit";

/** For the exports: the holds in force or the over-limit list, whole, in the page's order. */
export async function holdsExportRows(
  db: Db,
  list: HoldsExportList,
  scope: LedgerScope,
  filters: HoldsFilters,
  asOf: IsoDate,
): Promise<{ holds: HoldInForceRow[]; limits: LimitRow[] }> {
  const lists = await listsOf(db, scope, filters, asOf);
  return list === "holds" ? { holds: lists.holds, limits: [] } : { holds: [], limits: lists.limits.filter((row) => row.overLimit) };
}

// ---------------------------------------------------------------- the customer page

export interface HoldPanelData {
  current: HoldRow | null;
  history: HoldRow[];
  suggestion: { kind: HoldKind | null; reasons: CreditReason[]; advice: HoldAdvice; maxDaysOverdue: number };
  arTotal: number;
  creditLimit: number | null;
  /** ar_total / limit; null without a limit */
  utilisation: number | null;
  canChange: boolean;
}

/** The customer page's hold section, from the position the page already settled as of today. */
export async function loadHoldPanel(
  db: Db,
  customer: { id: number; creditGrade: string | null; creditLimit: number | null },
  position: { asOf: IsoDate; arTotal: number; creditUtilisation: number | null; openInvoices: readonly { dueDate: IsoDate; openAmount: number }[] },
  canChange: boolean,
): Promise<HoldPanelData> {
  const [current, history, policy, broken] = await Promise.all([
    currentHold(db, customer.id),
    holdHistory(db, customer.id),
    getCreditPolicy(db),
    brokenPromiseCounts(db, [customer.id], position.asOf),
  ]);
  const { grades } = policy;
  const grade = grades.find((g) => g.code === customer.creditGrade) ?? null;
  const worstGrade = grades[grades.length - 1] ?? grade;
  const suggestion = worstGrade
    ? suggestHold({
        asOf: position.asOf,
        grade,
        worstGrade,
        openInvoices: position.openInvoices,
        arTotal: position.arTotal,
        creditLimit: customer.creditLimit,
        brokenPromises: broken.get(customer.id) ?? 0,
      })
    : { kind: null, reasons: [], maxDaysOverdue: 0 };
  return {
    current,
    history,
    suggestion: {
      kind: suggestion.kind,
      reasons: suggestion.reasons,
      advice: holdAdvice(current?.kind ?? null, suggestion.kind),
      maxDaysOverdue: suggestion.maxDaysOverdue,
    },
    arTotal: position.arTotal,
    creditLimit: customer.creditLimit,
    utilisation: position.creditUtilisation,
    canChange,
  };
}

// ---------------------------------------------------------------- set / release

/**
 * Validates and applies a set or release posted by the head. Bad input changes nothing and names
 * the field: an empty reason, an unknown kind, an unknown customer, releasing a customer not on
 * hold, setting the hold already in force.
 */
export async function changeHold(
  db: Db,
  values: Record<string, string | undefined>,
  userId: number,
): Promise<{ customerCode: string; intent: "set-hold" | "release-hold" }> {
  if (values.intent !== "set-hold" && values.intent !== "release-hold") throw AppError.field("form", "holds.validation.intent");
  const parsed = holdChangeSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.length ? String(issue.path[0]) : "form"] ??= []).push(issue.message);
    throw AppError.invalid(fieldErrors);
  }
  const customer = await customerIdByCode(db, parsed.data.customer);
  if (!customer) throw AppError.field("customer", "holds.validation.unknownCustomer");
  const result =
    parsed.data.intent === "set-hold"
      ? await setHold(db, { customerId: customer.id, kind: parsed.data.kind, reason: parsed.data.reason }, userId)
      : await releaseHold(db, { customerId: customer.id, reason: parsed.data.reason }, userId);
  if (!result.ok) {
    if (result.error === "unknownCustomer") throw AppError.field("customer", "holds.validation.unknownCustomer");
    if (result.error === "sameHold") throw AppError.field("kind", "holds.validation.sameHold");
    throw AppError.field("form", "holds.validation.noHold");
  }
  return { customerCode: customer.code, intent: parsed.data.intent };
}
