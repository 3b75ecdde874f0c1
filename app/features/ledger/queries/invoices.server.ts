import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import { type InvoiceStatus, invoiceStatus } from "~/kernel/ledger/invoice-status";
import { days } from "~/kernel/dates";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { InvoiceListRow } from "~/kernel/ledger/rows";
import type { IsoDate } from "~/kernel/ledger/types";
import type { SortDirection } from "~/kernel/paging";
import { scopedCustomers } from "~/features/ledger/queries/customers.server";

/** Invoices on the ledger screens; every query is limited to the viewer's customers. */

export interface InvoiceFilters {
  /** exact customer code */
  customerCode?: string;
  issuedFrom?: IsoDate;
  issuedTo?: IsoDate;
  dueFrom?: IsoDate;
  dueTo?: IsoDate;
  status?: InvoiceStatus;
  owner?: number | "none";
  region?: string;
}

export type InvoiceSortColumn = "issue" | "due" | "amount";

/** The customers an invoice query is limited to, or null when it is not limited at all. */
function customerIds(db: Db, scope: LedgerScope, filters: InvoiceFilters) {
  const { customerCode, owner, region } = filters;
  if (scope.kind === "all" && !customerCode && owner === undefined && !region) return null;
  let customers = scopedCustomers(db, scope, { owner, region });
  if (customerCode) customers = customers.where("c.code", "=", customerCode);
  return customers.select("c.id");
}

/** Invoices (aliased `i`) of customers in scope passing every filter but the status. */
function scopedInvoices(db: Db, scope: LedgerScope, filters: InvoiceFilters) {
  let query = db.selectFrom("invoices as i");
  const customers = customerIds(db, scope, filters);
  if (customers) query = query.where("i.customer_id", "in", customers);
  if (filters.issuedFrom) query = query.where("i.issue_date", ">=", filters.issuedFrom);
  if (filters.issuedTo) query = query.where("i.issue_date", "<=", filters.issuedTo);
  if (filters.dueFrom) query = query.where("i.due_date", ">=", filters.dueFrom);
  if (filters.dueTo) query = query.where("i.due_date", "<=", filters.dueTo);
  return query;
}

/**
 * The same filters on `open_items`, which carries each open invoice's customer and dates: open
 * and overdue invoices are counted from its due-date index without touching `invoices`.
 */
function scopedOpenItems(
  db: Db,
  scope: LedgerScope,
  filters: InvoiceFilters,
  due?: { asOf: IsoDate; overdue: boolean },
) {
  let query = db.selectFrom("open_items as oi");
  const customers = customerIds(db, scope, filters);
  if (customers) query = query.where("oi.customer_id", "in", customers);
  if (filters.issuedFrom) query = query.where("oi.issue_date", ">=", filters.issuedFrom);
  if (filters.issuedTo) query = query.where("oi.issue_date", "<=", filters.issuedTo);
  if (filters.dueFrom) query = query.where("oi.due_date", ">=", filters.dueFrom);
  if (filters.dueTo) query = query.where("oi.due_date", "<=", filters.dueTo);
  if (due) query = query.where("oi.due_date", due.overdue ? "<" : ">=", due.asOf);
  return query;
}

const COUNT = sql<number>`count(*)`.as("n");

/** Runs a `select count(*) as n`; Postgres answers count(*) as a bigint string. */
async function countOf(query: {
  executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }>;
}): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function countInvoices(
  db: Db,
  scope: LedgerScope,
  filters: InvoiceFilters,
  asOf: IsoDate,
): Promise<number> {
  const { status } = filters;
  if (status === "open" || status === "overdue") {
    return countOf(scopedOpenItems(db, scope, filters, { asOf, overdue: status === "overdue" }).select(COUNT));
  }
  const invoices = await countOf(scopedInvoices(db, scope, filters).select(COUNT));
  // Settled = every matching invoice less the open ones: two index counts, no anti-join.
  if (status !== "settled") return invoices;
  return invoices - (await countOf(scopedOpenItems(db, scope, filters).select(COUNT)));
}

/**
 * How a status filter joins the page query. `walk` reads invoices in the sort order and checks
 * each against `open_items` (cheap when matches are dense: 50 rows are found early); `collect`
 * gathers the matching ids from `open_items` first (cheap when matches are few, or when the
 * open items to exclude are few). Both return the same rows.
 */
export type StatusStrategy = "walk" | "collect";

/** The cheaper strategy: rows walked to fill the page against ids to collect and sort. */
export function statusStrategy(
  status: InvoiceStatus,
  counts: { matching: number; candidates: number },
  page: { offset: number; limit: number },
): StatusStrategy {
  const walked = ((page.offset + page.limit) * counts.candidates) / Math.max(1, counts.matching);
  const collected = status === "settled" ? counts.candidates - counts.matching : counts.matching;
  return walked <= collected ? "walk" : "collect";
}

/**
 * One page of invoices with their open amount and status at `asOf` (from `open_items`, which
 * counts every document: see domain/list-as-of.ts for why `asOf` is never before the latest one).
 */
export async function listInvoices(
  db: Db,
  scope: LedgerScope,
  options: {
    filters: InvoiceFilters;
    asOf: IsoDate;
    sort: InvoiceSortColumn;
    direction: SortDirection;
    offset: number;
    limit: number;
    /** how many invoices match the filters (`countInvoices`), to choose the status strategy */
    matching: number;
    /** tests force one to compare them */
    strategy?: StatusStrategy;
  },
): Promise<InvoiceListRow[]> {
  const { filters, asOf, sort, direction, offset, limit, matching } = options;
  const { status } = filters;
  const sortColumn = { issue: "i.issue_date", due: "i.due_date", amount: "i.amount" } as const;
  let invoices = scopedInvoices(db, scope, filters);
  if (status) {
    const strategy =
      options.strategy ??
      statusStrategy(
        status,
        { matching, candidates: await countOf(scopedInvoices(db, scope, filters).select(COUNT)) },
        { offset, limit },
      );
    const due = status === "settled" ? undefined : { asOf, overdue: status === "overdue" };
    if (strategy === "collect") {
      const ids = scopedOpenItems(db, scope, filters, due).select("oi.invoice_id");
      invoices = invoices.where("i.id", status === "settled" ? "not in" : "in", ids);
    } else {
      invoices = invoices.where(({ not, exists, selectFrom, ref }) => {
        let openItem = selectFrom("open_items as o").select("o.invoice_id").where("o.invoice_id", "=", ref("i.id"));
        if (due) openItem = openItem.where("o.due_date", due.overdue ? "<" : ">=", due.asOf);
        return status === "settled" ? not(exists(openItem)) : exists(openItem);
      });
    }
  }
  const rows = await invoices
    .innerJoin("customers as c", "c.id", "i.customer_id")
    .leftJoin("users as o", "o.id", "c.owner_id")
    .leftJoin("open_items as oi", "oi.invoice_id", "i.id")
    .select([
      "i.invoice_no",
      "c.code",
      "c.name",
      "o.name as owner_name",
      "i.issue_date",
      "i.due_date",
      "i.amount",
      "oi.open_amount",
    ])
    .orderBy(sql.ref(sortColumn[sort]), direction)
    .orderBy("i.invoice_no", direction)
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((row) => {
    const openAmount = Number(row.open_amount ?? 0);
    return {
      invoiceNo: row.invoice_no,
      customerCode: row.code,
      customerName: row.name,
      ownerName: row.owner_name,
      issueDate: row.issue_date,
      dueDate: row.due_date,
      amount: Number(row.amount),
      openAmount,
      status: invoiceStatus(openAmount, row.due_date, asOf),
      daysPastDue: days(row.due_date, asOf),
    };
  });
}
