import { sql } from "kysely";

import type { CustomerStatus } from "../../../../db/schema";
import type { Db } from "~/server/db.server";
import type { LedgerScope } from "~/kernel/ledger/scope";
import { scopeAllows } from "~/kernel/ledger/scope";
import type { AdjustmentRecord, AdjustmentType, InvoiceRecord, IsoDate, PaymentRecord } from "~/kernel/ledger/types";
import type { CustomerListRow } from "~/kernel/ledger/rows";
import type { SortDirection } from "~/kernel/paging";

/**
 * Customers on the ledger screens. Every query takes the viewer's scope (see
 * domain/ledger-scope.ts): a staff user's queries only ever read their own customers.
 */

export interface CustomerFilters {
  /** part of the code or the name, any case */
  search?: string;
  /** an owner's user id, or "none" for customers without an owner */
  owner?: number | "none";
  region?: string;
  grade?: string;
  status?: CustomerStatus;
}

export type CustomerSortColumn = "code" | "name" | "balance" | "overdue";

/** `%`, `_` and the escape character itself are literal in a search. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Customers (aliased `c`) inside the scope that pass the filters. */
export function scopedCustomers(db: Db, scope: LedgerScope, filters: CustomerFilters = {}) {
  let query = db.selectFrom("customers as c");
  if (scope.kind === "owner") query = query.where("c.owner_id", "=", scope.ownerId);
  if (filters.search) {
    const pattern = likePattern(filters.search);
    // lower() + LIKE ... ESCAPE reads the same on SQLite and Postgres (Postgres LIKE is case-sensitive).
    query = query.where(
      sql<boolean>`(lower(c.code) like ${pattern} escape '\\' or lower(c.name) like ${pattern} escape '\\')`,
    );
  }
  if (filters.owner === "none") query = query.where("c.owner_id", "is", null);
  else if (filters.owner !== undefined) query = query.where("c.owner_id", "=", filters.owner);
  if (filters.region) query = query.where("c.region", "=", filters.region);
  if (filters.grade) query = query.where("c.credit_grade", "=", filters.grade);
  if (filters.status) query = query.where("c.status", "=", filters.status);
  return query;
}

function hasFilters(scope: LedgerScope, filters: CustomerFilters): boolean {
  return scope.kind === "owner" || Object.values(filters).some((value) => value !== undefined && value !== "");
}

export async function countCustomers(db: Db, scope: LedgerScope, filters: CustomerFilters): Promise<number> {
  const row = await scopedCustomers(db, scope, filters)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One page of customers with their balance and overdue at `asOf`, in one statement: open items
 * summed per customer, joined to the filtered customers, sorted and paged by the database.
 * `open_items` holds every document counted, so `asOf` must be on or after the ledger's latest
 * document date for the figures to be exact (domain/list-as-of.ts).
 */
export async function listCustomers(
  db: Db,
  scope: LedgerScope,
  options: {
    filters: CustomerFilters;
    asOf: IsoDate;
    sort: CustomerSortColumn;
    direction: SortDirection;
    offset: number;
    limit: number;
  },
): Promise<CustomerListRow[]> {
  const { filters, asOf, sort, direction, offset, limit } = options;
  let balances = db
    .selectFrom("open_items")
    .select((eb) => [
      "open_items.customer_id",
      eb.fn.sum<number>("open_items.open_amount").as("balance"),
      eb.fn
        .sum<number>(
          eb.case().when("open_items.due_date", "<", asOf).then(eb.ref("open_items.open_amount")).else(0).end(),
        )
        .as("overdue"),
    ])
    .groupBy("open_items.customer_id");
  // A narrowed list sums only its own customers' items instead of the whole table.
  if (hasFilters(scope, filters)) {
    balances = balances.where("open_items.customer_id", "in", scopedCustomers(db, scope, filters).select("c.id"));
  }

  const sortExpression = {
    code: sql.ref("c.code"),
    name: sql.ref("c.name"),
    balance: sql`coalesce(b.balance, 0)`,
    overdue: sql`coalesce(b.overdue, 0)`,
  }[sort];

  const rows = await scopedCustomers(db, scope, filters)
    .leftJoin(balances.as("b"), "b.customer_id", "c.id")
    .leftJoin("unapplied_credits as u", "u.customer_id", "c.id")
    .leftJoin("users as o", "o.id", "c.owner_id")
    .select([
      "c.code",
      "c.name",
      "c.region",
      "c.credit_grade",
      "c.credit_limit",
      "c.status",
      "o.name as owner_name",
      "b.balance",
      "b.overdue",
      "u.amount as unapplied_credit",
    ])
    .orderBy(sortExpression, direction)
    .orderBy("c.code", "asc")
    .limit(limit)
    .offset(offset)
    .execute();

  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    region: row.region,
    ownerName: row.owner_name,
    creditGrade: row.credit_grade,
    creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
    status: row.status,
    balance: Number(row.balance ?? 0),
    overdue: Number(row.overdue ?? 0),
    unappliedCredit: Number(row.unapplied_credit ?? 0),
  }));
}

export interface CustomerFilterOptions {
  owners: { id: number; name: string }[];
  /** some customer in scope has no owner */
  unassigned: boolean;
  regions: string[];
  grades: string[];
}

/** The values the list's filters offer: only those that occur among the viewer's customers. */
export async function customerFilterOptions(db: Db, scope: LedgerScope): Promise<CustomerFilterOptions> {
  const [owners, unassigned, regions, grades] = await Promise.all([
    scopedCustomers(db, scope)
      .innerJoin("users as u", "u.id", "c.owner_id")
      .select(["u.id", "u.name"])
      .distinct()
      .orderBy("u.name")
      .execute(),
    scopedCustomers(db, scope).select("c.id").where("c.owner_id", "is", null).limit(1).executeTakeFirst(),
    scopedCustomers(db, scope)
      .select("c.region")
      .distinct()
      .where("c.region", "is not", null)
      .orderBy("c.region")
      .execute(),
    scopedCustomers(db, scope)
      .select("c.credit_grade")
      .distinct()
      .where("c.credit_grade", "is not", null)
      .orderBy("c.credit_grade")
      .execute(),
  ]);
  return {
    owners: owners.map((o) => ({ id: o.id, name: o.name })),
    unassigned: unassigned !== undefined,
    regions: regions.map((r) => r.region).filter((r): r is string => r !== null),
    grades: grades.map((g) => g.credit_grade).filter((g): g is string => g !== null),
  };
}

export interface CustomerDetail {
  id: number;
  code: string;
  name: string;
  region: string | null;
  ownerId: number | null;
  ownerName: string | null;
  creditGrade: string | null;
  creditLimit: number | null;
  paymentTermsDays: number;
  status: CustomerStatus;
}

export type CustomerLookup =
  | { found: true; customer: CustomerDetail }
  | { found: false; reason: "unknown" | "outside-scope" };

/** One customer by code, if it exists and is inside the viewer's scope. */
export async function findCustomer(db: Db, scope: LedgerScope, code: string): Promise<CustomerLookup> {
  const row = await db
    .selectFrom("customers as c")
    .leftJoin("users as o", "o.id", "c.owner_id")
    .select([
      "c.id",
      "c.code",
      "c.name",
      "c.region",
      "c.owner_id",
      "o.name as owner_name",
      "c.credit_grade",
      "c.credit_limit",
      "c.payment_terms_days",
      "c.status",
    ])
    .where("c.code", "=", code)
    .executeTakeFirst();
  if (!row) return { found: false, reason: "unknown" };
  if (!scopeAllows(scope, row.owner_id)) return { found: false, reason: "outside-scope" };
  return {
    found: true,
    customer: {
      id: row.id,
      code: row.code,
      name: row.name,
      region: row.region,
      ownerId: row.owner_id,
      ownerName: row.owner_name,
      creditGrade: row.credit_grade,
      creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
      paymentTermsDays: row.payment_terms_days,
      status: row.status,
    },
  };
}

export interface CustomerDocuments {
  invoices: InvoiceRecord[];
  payments: PaymentRecord[];
  adjustments: AdjustmentRecord[];
}

/** Every invoice, payment and adjustment of one customer in scope (none for one outside it). */
export async function customerDocuments(db: Db, scope: LedgerScope, customerId: number): Promise<CustomerDocuments> {
  const inScope = scopedCustomers(db, scope).select("c.id").where("c.id", "=", customerId);
  const [customer, invoices, payments, adjustments] = await Promise.all([
    inScope.select("c.code").executeTakeFirst(),
    db
      .selectFrom("invoices")
      .select(["invoice_no", "issue_date", "due_date", "amount"])
      .where("customer_id", "in", inScope)
      .execute(),
    db
      .selectFrom("payments as p")
      .leftJoin("invoices as i", "i.id", "p.invoice_id")
      .select(["p.payment_no", "p.date", "p.amount", "i.invoice_no"])
      .where("p.customer_id", "in", inScope)
      .execute(),
    db
      .selectFrom("adjustments as a")
      .leftJoin("invoices as i", "i.id", "a.invoice_id")
      .select(["a.adjustment_no", "a.date", "a.amount", "a.type", "i.invoice_no"])
      .where("a.customer_id", "in", inScope)
      .execute(),
  ]);
  if (!customer) return { invoices: [], payments: [], adjustments: [] };
  const customerCode = customer.code;
  return {
    invoices: invoices.map((i) => ({
      invoiceNo: i.invoice_no,
      customerCode,
      issueDate: i.issue_date,
      dueDate: i.due_date,
      amount: Number(i.amount),
    })),
    payments: payments.map((p) => ({
      paymentNo: p.payment_no,
      customerCode,
      date: p.date,
      amount: Number(p.amount),
      invoiceNo: p.invoice_no,
    })),
    adjustments: adjustments.map((a) => ({
      adjustmentNo: a.adjustment_no,
      customerCode,
      date: a.date,
      amount: Number(a.amount),
      // the column's CHECK constraint admits only the adjustment types
      type: a.type as AdjustmentType,
      invoiceNo: a.invoice_no,
    })),
  };
}
