/**
 * The holds page's three lists, from the customers in scope and their open amounts as of today:
 * the holds in force, the customers whose suggested hold (`suggestHold`, the one rule) differs
 * from the one in force, and credit utilisation. Pure: the reads are in queries.server.ts.
 */
import type { CreditGrade } from "~/features/credit/grades";
import { HOLD_KINDS, type HoldAdvice, type HoldKind, holdAdvice, holdStrength, suggestHold } from "~/features/credit/holds/holds";
import type { CreditReason } from "~/features/credit/rules";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { type PageInfo, pageInfo } from "~/kernel/paging";

export interface HoldsFilters {
  /** an owner's user id, or "none" for customers without an owner */
  owner?: number | "none";
  region?: string;
  /** the utilisation list shows only customers over their limit */
  overLimitOnly: boolean;
}

export interface HoldsParams {
  filters: HoldsFilters;
  holdsPage: number;
  suggestionsPage: number;
  limitsPage: number;
}

function pageNumber(text: string | null): number {
  return text && /^[1-9]\d{0,6}$/.test(text) ? Number(text) : 1;
}

/** Lenient like the other lists: a stale or hand-typed URL still shows the page. */
export function readHoldsParams(search: URLSearchParams): HoldsParams {
  const ownerText = search.get("owner");
  const owner = ownerText === "none" ? "none" : ownerText && /^[1-9]\d{0,9}$/.test(ownerText) ? Number(ownerText) : undefined;
  const region = search.get("region")?.trim() || undefined;
  return {
    filters: { owner, region, overLimitOnly: search.get("overLimit") === "1" },
    holdsPage: pageNumber(search.get("holdsPage")),
    suggestionsPage: pageNumber(search.get("suggestionsPage")),
    limitsPage: pageNumber(search.get("limitsPage")),
  };
}

/**
 * Which list an export link asks for: the holds in force (the default) or the over-limit list.
 * Anything else is a link the page never made: AppError invalid at the `list` field.
 */
export function readHoldsExportList(search: URLSearchParams): "holds" | "over-limit" {
  const list = search.get("list") ?? "holds";
  if (list === "holds" || list === "over-limit") return list;
  throw AppError.field("list", "holds.exportBadList");
}

/** A customer in scope as the lists read it. */
export interface HoldsCustomer {
  id: number;
  code: string;
  name: string;
  region: string | null;
  ownerName: string | null;
  creditGrade: string | null;
  creditLimit: number | null;
  holdId: number | null;
  holdKind: string | null;
  holdSetAt: string | null;
  holdReason: string | null;
  holdSetByName: string | null;
}

/** A customer's open amount due on one day, as of today. */
export interface OpenAmount {
  customerId: number;
  dueDate: IsoDate;
  /** credits included */
  amount: number;
  /** without credits: what the hold rules count as overdue */
  positiveAmount: number;
}

export interface HoldInForceRow {
  /** the hold's own id */
  id: number;
  code: string;
  name: string;
  ownerName: string | null;
  region: string | null;
  kind: HoldKind;
  since: string;
  reason: string;
  setByName: string | null;
  arTotal: number;
  creditLimit: number | null;
}

export interface SuggestionRow {
  code: string;
  name: string;
  ownerName: string | null;
  region: string | null;
  grade: string | null;
  currentKind: HoldKind | null;
  suggestedKind: HoldKind | null;
  advice: HoldAdvice;
  reasons: CreditReason[];
  arTotal: number;
  creditLimit: number | null;
  maxDaysOverdue: number;
}

export interface LimitRow {
  code: string;
  name: string;
  ownerName: string | null;
  region: string | null;
  grade: string | null;
  creditLimit: number;
  arTotal: number;
  /** ar_total / limit */
  utilisation: number;
  overLimit: boolean;
  holdKind: HoldKind | null;
}

export interface HoldsLists {
  holds: HoldInForceRow[];
  suggestions: SuggestionRow[];
  /** every customer with a limit (the over-limit filter is applied by the page) */
  limits: LimitRow[];
}

const kindOf = (value: string | null): HoldKind | null => (HOLD_KINDS.find((kind) => kind === value) ?? null);

export interface HoldsPolicy {
  grades: readonly CreditGrade[];
  /** broken promises / instalments per customer id */
  broken: ReadonlyMap<number, number>;
}

/** The three lists, each in its order, not yet paged. */
export function holdsLists(customers: readonly HoldsCustomer[], amounts: readonly OpenAmount[], policy: HoldsPolicy, asOf: IsoDate): HoldsLists {
  const worstGrade = policy.grades[policy.grades.length - 1];
  const byCustomer = new Map<number, { arTotal: number; invoices: { dueDate: IsoDate; openAmount: number }[] }>();
  for (const line of amounts) {
    let entry = byCustomer.get(line.customerId);
    if (!entry) byCustomer.set(line.customerId, (entry = { arTotal: 0, invoices: [] }));
    entry.arTotal += line.amount;
    if (line.positiveAmount > 0) entry.invoices.push({ dueDate: line.dueDate, openAmount: line.positiveAmount });
  }

  const holds: HoldInForceRow[] = [];
  const suggestions: (SuggestionRow & { order: number[] })[] = [];
  const limits: LimitRow[] = [];
  for (const customer of customers) {
    const figures = byCustomer.get(customer.id) ?? { arTotal: 0, invoices: [] };
    const currentKind = kindOf(customer.holdKind);
    if (customer.holdId !== null) {
      holds.push({
        id: customer.holdId,
        code: customer.code,
        name: customer.name,
        ownerName: customer.ownerName,
        region: customer.region,
        kind: currentKind ?? "cash_before_delivery",
        since: customer.holdSetAt ?? "",
        reason: customer.holdReason ?? "",
        setByName: customer.holdSetByName,
        arTotal: figures.arTotal,
        creditLimit: customer.creditLimit,
      });
    }
    if (worstGrade) {
      const suggestion = suggestHold({
        asOf,
        grade: policy.grades.find((grade) => grade.code === customer.creditGrade) ?? null,
        worstGrade,
        openInvoices: figures.invoices,
        arTotal: figures.arTotal,
        creditLimit: customer.creditLimit,
        brokenPromises: policy.broken.get(customer.id) ?? 0,
      });
      const suggested = holdStrength(suggestion.kind);
      const current = holdStrength(currentKind);
      if (suggested !== current) {
        suggestions.push({
          code: customer.code,
          name: customer.name,
          ownerName: customer.ownerName,
          region: customer.region,
          grade: customer.creditGrade,
          currentKind,
          suggestedKind: suggestion.kind,
          advice: holdAdvice(currentKind, suggestion.kind),
          reasons: suggestion.reasons,
          arTotal: figures.arTotal,
          creditLimit: customer.creditLimit,
          maxDaysOverdue: suggestion.maxDaysOverdue,
          // set and escalate first, strongest first, most overdue first
          order: [suggested > current ? 0 : 1, -suggested, -suggestion.overduePastStop, -suggestion.overduePastGrace],
        });
      }
    }
    if (customer.creditLimit !== null && customer.creditLimit > 0) {
      limits.push({
        code: customer.code,
        name: customer.name,
        ownerName: customer.ownerName,
        region: customer.region,
        grade: customer.creditGrade,
        creditLimit: customer.creditLimit,
        arTotal: figures.arTotal,
        utilisation: figures.arTotal / customer.creditLimit,
        overLimit: figures.arTotal > customer.creditLimit,
        holdKind: currentKind,
      });
    }
  }

  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  holds.sort((a, b) => (a.kind === "stop_shipment" ? 0 : 1) - (b.kind === "stop_shipment" ? 0 : 1) || (a.since < b.since ? 1 : a.since > b.since ? -1 : 0) || byCode(a, b));
  suggestions.sort((a, b) => {
    for (let i = 0; i < a.order.length; i++) {
      const difference = (a.order[i] ?? 0) - (b.order[i] ?? 0);
      if (difference !== 0) return difference;
    }
    return byCode(a, b);
  });
  limits.sort((a, b) => b.utilisation - a.utilisation || b.arTotal - a.arTotal || byCode(a, b));
  return { holds, suggestions: suggestions.map(({ order: _order, ...row }) => row), limits };
}

/** One page of a list; a page past the end shows the last page. */
export function pageOf<T>(rows: readonly T[], requested: number, pageSize: number): { rows: T[]; page: PageInfo } {
  const page = pageInfo(requested, rows.length, pageSize);
  return { rows: rows.slice(page.offset, page.offset + page.pageSize), page };
}
