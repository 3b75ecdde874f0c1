import { PassThrough, type Readable } from "node:stream";

import SQLite from "better-sqlite3";
import ExcelJS from "exceljs";
import { CompiledQuery } from "kysely";
import { z } from "zod";

import { type Db, databasePath } from "~/server/db.server";
import type { CreditGrade } from "~/features/credit/grades";
import {
  HOLD_KINDS,
  type HoldAdvice,
  type HoldKind,
  type HoldSuggestion,
  holdAdvice,
  releaseHoldSchema,
  setHoldSchema,
  suggestHold,
} from "~/features/credit/holds/holds";
import type { CreditReason } from "~/features/credit/rules";
import { addDays } from "~/kernel/dates";
import { minorToMajorNumber, minorToMajorString } from "~/kernel/money";
import { UTF8_BOM, csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";
import { type Locale, createI18n } from "~/i18n";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { IsoDate } from "~/kernel/ledger/types";
import { type PageInfo, pageInfo } from "~/kernel/paging";
import { loadCommitmentStatuses } from "~/features/credit/collections/index.server";
import { getCreditPolicy } from "~/features/credit/grades/index.server";
import { type HoldRow, currentHold, holdHistory, releaseHold, setHold } from "~/features/credit/holds/queries.server";
import { ensureStatusPositions } from "~/features/status-table/index.server";
import { drained } from "~/server/stream-drain.server";

/**
 * Holds, credit utilisation and the over-limit list (issue 7).
 *
 * Every figure is as of today, worked out the way the status table's month to date is: a
 * customer's open invoices come from `open_items` (every document counted, which is exactly today
 * for a customer with no document dated after today) or, for customers with later-dated
 * documents, from their open runs covering today (`status_open_runs`, kept by
 * models/status-table.server.ts). So the list and the customer page (which settles that
 * customer's own documents as of today) agree.
 *
 * Cost on a big ledger: no document is settled in JavaScript per request. The suggestion list is
 * one SQL statement over the customers in scope: per customer a handful of seeks on the covering
 * index `open_items_customer (customer_id, due_date, open_amount)` (ar_total, oldest due date,
 * amount past the grade's grace and stop-shipment days, whose edges are dates worked out per grade
 * beforehand), the hold in force through the partial unique index, and the suggested kind by the
 * same rules as `suggestHold` in SQL (filter, sort and page in the database). Only the rows of the
 * page shown (at most 500) read their open invoices to run `suggestHold` itself, which words the
 * reasons. The utilisation list reads ar_total for the customers with a limit, the same way.
 */

// ---------------------------------------------------------------- parameters

export const HOLDS_PAGE_SIZE = 50;

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

// ---------------------------------------------------------------- SQL

interface SqlText {
  text: string;
  params: unknown[];
}

class SqlBuilder {
  params: unknown[] = [];
  p(value: unknown): string {
    this.params.push(value);
    return "?";
  }
}

/** Customers in scope passing the filters: `WHERE` conditions on `c`. */
function customerConditions(b: SqlBuilder, scope: LedgerScope, filters: HoldsFilters): string[] {
  const where: string[] = [];
  if (scope.kind === "owner") where.push(`c.owner_id = ${b.p(scope.ownerId)}`);
  if (filters.owner === "none") where.push("c.owner_id IS NULL");
  else if (filters.owner !== undefined) where.push(`c.owner_id = ${b.p(filters.owner)}`);
  if (filters.region) where.push(`c.region = ${b.p(filters.region)}`);
  return where;
}

/**
 * A sum (or min) over the customer's open invoices as of T, with an extra condition on `due_date`:
 * from `open_items` unless the customer has documents dated after T (`later` flag), then from the
 * open runs covering T. Each branch is a range seek on a covering index.
 */
function openLines(b: SqlBuilder, T: IsoDate, expression: string, condition: ((table: string) => string) | null, zero: string): string {
  // Each branch writes its own condition, so its parameters are pushed where they appear.
  return `CASE WHEN lt.customer_id IS NULL
      THEN (SELECT coalesce(${expression}, ${zero}) FROM open_items oi WHERE oi.customer_id = c.id${condition ? ` AND ${condition("oi")}` : ""})
      ELSE (SELECT coalesce(${expression}, ${zero}) FROM status_open_runs r WHERE r.customer_id = c.id AND r.to_day >= ${b.p(T)} AND r.from_day <= ${b.p(T)} AND r.open_amount > 0${condition ? ` AND ${condition("r")}` : ""})
    END`;
}

const KIND_STRENGTH_SQL = "CASE h.kind WHEN 'stop_shipment' THEN 2 WHEN 'cash_before_delivery' THEN 1 ELSE 0 END";

function latestDocumentJoin(b: SqlBuilder, T: IsoDate): string {
  return `LEFT JOIN status_customer_dates lt ON lt.customer_id = c.id AND lt.last_document_date > ${b.p(T)}`;
}

interface GradeEdges {
  code: string;
  graceEdge: IsoDate;
  stopEdge: IsoDate;
  cashBeforeDelivery: 0 | 1;
}

/** An invoice is past the grace days at T when days(due, T) > graceDays, i.e. due < T − graceDays. */
function gradeEdges(grades: readonly CreditGrade[], T: IsoDate): GradeEdges[] {
  return grades.map((grade) => ({
    code: grade.code,
    graceEdge: addDays(T, -grade.graceDays),
    stopEdge: addDays(T, -grade.stopShipmentDays),
    cashBeforeDelivery: grade.limitPolicy === "cash_before_delivery" ? 1 : 0,
  }));
}

/**
 * One row per customer in scope with the measures `suggestHold` reads (every `?` is pushed in the
 * order it appears in the text: template literals evaluate left to right).
 */
function measuredCte(
  b: SqlBuilder,
  scope: LedgerScope,
  filters: HoldsFilters,
  T: IsoDate,
  grades: readonly CreditGrade[],
  broken: ReadonlyMap<number, number>,
): string {
  const edges = gradeEdges(grades, T);
  const worst = edges[edges.length - 1];
  const dueBefore = (edge: "grace_edge" | "stop_edge", worstEdge: IsoDate) => (table: string) =>
    `${table}.due_date < coalesce(g.${edge}, ${b.p(worstEdge)})`;
  const brokenRows = [...broken.entries()].filter(([, n]) => n > 0);
  return `grade_edges AS (
      SELECT json_extract(value, '$.code') AS code, json_extract(value, '$.graceEdge') AS grace_edge,
        json_extract(value, '$.stopEdge') AS stop_edge, json_extract(value, '$.cashBeforeDelivery') AS cbd
      FROM json_each(${b.p(JSON.stringify(edges))})),
    broken AS (
      SELECT json_extract(value, '$[0]') AS customer_id, json_extract(value, '$[1]') AS n
      FROM json_each(${b.p(JSON.stringify(brokenRows))})),
    measured AS (
      SELECT c.id, c.code, c.name, c.region, o.name AS owner_name, c.credit_grade, c.credit_limit,
        ${KIND_STRENGTH_SQL} AS current_strength, h.kind AS current_kind,
        coalesce(bk.n, 0) AS broken, coalesce(g.cbd, 0) AS cbd,
        ${openLines(b, T, "sum(open_amount)", null, "0")} AS ar_total,
        ${openLines(b, T, "min(due_date)", null, "NULL")} AS oldest_due,
        ${openLines(b, T, "sum(open_amount)", dueBefore("grace_edge", worst.graceEdge), "0")} AS past_grace,
        ${openLines(b, T, "sum(open_amount)", dueBefore("stop_edge", worst.stopEdge), "0")} AS past_stop
      FROM customers c
      LEFT JOIN grade_edges g ON g.code = c.credit_grade
      LEFT JOIN broken bk ON bk.customer_id = c.id
      LEFT JOIN customer_holds h ON h.customer_id = c.id AND h.released_at IS NULL
      LEFT JOIN users o ON o.id = c.owner_id
      ${latestDocumentJoin(b, T)}
      ${whereOf(customerConditions(b, scope, filters))})`;
}

function whereOf(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
}

/**
 * The customers whose suggested hold differs from the one in force, by the `suggestHold` rules
 * in SQL (the integration test keeps the two equal): set and escalate first, strongest first.
 */
function suggestionRowsSql(
  scope: LedgerScope,
  filters: HoldsFilters,
  T: IsoDate,
  grades: readonly CreditGrade[],
  broken: ReadonlyMap<number, number>,
): SqlText {
  const b = new SqlBuilder();
  const text = `WITH ${measuredCte(b, scope, filters, T, grades, broken)},
    suggested AS (
      SELECT *, CASE
          WHEN past_stop > 0 OR (past_grace > 0 AND broken > 0) THEN 2
          WHEN past_grace > 0 OR (credit_limit > 0 AND ar_total > credit_limit) OR cbd = 1 THEN 1
          ELSE 0 END AS suggested_strength
      FROM measured)
    SELECT * FROM suggested WHERE suggested_strength <> current_strength`;
  return { text, params: b.params };
}

const SUGGESTION_ORDER =
  "ORDER BY (suggested_strength > current_strength) DESC, suggested_strength DESC, past_stop DESC, past_grace DESC, code ASC";

/** Customers with a credit limit (limit > 0): receivables against it, worst first. */
function limitRowsSql(scope: LedgerScope, filters: HoldsFilters, T: IsoDate): SqlText {
  const b = new SqlBuilder();
  const text = `WITH limited AS (
      SELECT c.code, c.name, c.region, o.name AS owner_name, c.credit_grade, c.credit_limit, h.kind AS current_kind,
        ${openLines(b, T, "sum(open_amount)", null, "0")} AS ar_total
      FROM customers c
      LEFT JOIN customer_holds h ON h.customer_id = c.id AND h.released_at IS NULL
      LEFT JOIN users o ON o.id = c.owner_id
      ${latestDocumentJoin(b, T)}
      WHERE c.credit_limit > 0 ${customerConditions(b, scope, filters).map((condition) => `AND ${condition}`).join(" ")})
    SELECT *, ar_total * 1.0 / credit_limit AS utilisation, CASE WHEN ar_total > credit_limit THEN 1 ELSE 0 END AS over_limit
    FROM limited ${filters.overLimitOnly ? "WHERE ar_total > credit_limit" : ""}`;
  return { text, params: b.params };
}

const LIMIT_ORDER = "ORDER BY utilisation DESC, ar_total DESC, code ASC";

/** The holds in force, with the customer's receivables today. */
function holdRowsSql(scope: LedgerScope, filters: HoldsFilters, T: IsoDate): SqlText {
  const b = new SqlBuilder();
  const text = `SELECT h.id AS hold_id, c.code, c.name, c.region, o.name AS owner_name, c.credit_limit, h.kind, h.set_at, h.reason, setter.name AS set_by_name,
      ${openLines(b, T, "sum(open_amount)", null, "0")} AS ar_total
    FROM customer_holds h
    JOIN customers c ON c.id = h.customer_id
    LEFT JOIN users o ON o.id = c.owner_id
    LEFT JOIN users setter ON setter.id = h.set_by
    ${latestDocumentJoin(b, T)}
    WHERE h.released_at IS NULL ${customerConditions(b, scope, filters).map((condition) => `AND ${condition}`).join(" ")}`;
  return { text, params: b.params };
}

const HOLD_ORDER = "ORDER BY CASE kind WHEN 'stop_shipment' THEN 0 ELSE 1 END, set_at DESC, code ASC";

// ---------------------------------------------------------------- rows

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

type Raw = Record<string, unknown>;
const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const kindOf = (value: unknown): HoldKind | null => (HOLD_KINDS.includes(value as HoldKind) ? (value as HoldKind) : null);

function holdRowOf(row: Raw): HoldInForceRow {
  return {
    id: Number(row.hold_id),
    code: String(row.code),
    name: String(row.name),
    ownerName: text(row.owner_name),
    region: text(row.region),
    kind: kindOf(row.kind) ?? "cash_before_delivery",
    since: String(row.set_at),
    reason: String(row.reason),
    setByName: text(row.set_by_name),
    arTotal: Number(row.ar_total),
    creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
  };
}

function limitRowOf(row: Raw): LimitRow {
  return {
    code: String(row.code),
    name: String(row.name),
    ownerName: text(row.owner_name),
    region: text(row.region),
    grade: text(row.credit_grade),
    creditLimit: Number(row.credit_limit),
    arTotal: Number(row.ar_total),
    utilisation: Number(row.utilisation),
    overLimit: Number(row.over_limit) === 1,
    holdKind: kindOf(row.current_kind),
  };
}

async function pageOf(db: Db, sql: SqlText, order: string, requested: number, pageSize: number) {
  const run = async (page: number) => {
    const size = pageInfo(page, Number.MAX_SAFE_INTEGER, pageSize).pageSize;
    const result = await db.executeQuery(
      CompiledQuery.raw(`SELECT *, count(*) OVER () AS total_rows FROM (${sql.text}) ${order} LIMIT ? OFFSET ?`, [
        ...sql.params,
        size,
        (Math.max(1, page) - 1) * size,
      ]),
    );
    return result.rows as Raw[];
  };
  let rows = await run(requested);
  let total = rows.length > 0 ? Number(rows[0].total_rows) : 0;
  if (rows.length === 0 && requested > 1) {
    // A page past the end shows the last page.
    const counted = await db.executeQuery(CompiledQuery.raw(`SELECT count(*) AS n FROM (${sql.text})`, sql.params));
    total = Number((counted.rows[0] as Raw).n);
    if (total > 0) rows = await run(pageInfo(requested, total, pageSize).page);
  }
  return { rows, page: pageInfo(requested, total, pageSize) };
}

// ---------------------------------------------------------------- broken commitments

/**
 * Broken promises and instalments per customer as of `asOf` (models/credit-commitments.server.ts):
 * the one place the hold rules learn about them.
 */
export async function brokenCommitmentCounts(db: Db, customerIds: readonly number[] | null, asOf: IsoDate): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const row of await loadCommitmentStatuses(db, customerIds, asOf)) {
    if (row.status === "broken") counts.set(row.customerId, (counts.get(row.customerId) ?? 0) + 1);
  }
  return counts;
}

// ---------------------------------------------------------------- open invoices of a few customers

/** The open invoices as of T of the given customers (a page's worth), the same source as the SQL. */
async function openInvoicesOf(db: Db, customerIds: number[], T: IsoDate) {
  const byCustomer = new Map<number, { dueDate: IsoDate; openAmount: number }[]>();
  if (customerIds.length === 0) return byCustomer;
  const ids = JSON.stringify(customerIds);
  const result = await db.executeQuery(
    CompiledQuery.raw(
      `SELECT oi.customer_id, oi.due_date, oi.open_amount FROM open_items oi
        WHERE oi.customer_id IN (SELECT value FROM json_each(?))
          AND oi.customer_id NOT IN (SELECT customer_id FROM status_customer_dates WHERE last_document_date > ?)
       UNION ALL
       SELECT r.customer_id, r.due_date, r.open_amount FROM status_open_runs r
        WHERE r.customer_id IN (SELECT customer_id FROM status_customer_dates WHERE last_document_date > ? AND customer_id IN (SELECT value FROM json_each(?)))
          AND r.to_day >= ? AND r.from_day <= ? AND r.open_amount > 0`,
      [ids, T, T, ids, T, T],
    ),
  );
  for (const row of result.rows as { customer_id: number; due_date: string; open_amount: number }[]) {
    const list = byCustomer.get(row.customer_id) ?? [];
    list.push({ dueDate: row.due_date, openAmount: Number(row.open_amount) });
    byCustomer.set(row.customer_id, list);
  }
  return byCustomer;
}

// ---------------------------------------------------------------- the page

export interface HoldsOverview {
  asOf: IsoDate;
  holds: { rows: HoldInForceRow[]; page: PageInfo };
  suggestions: { rows: SuggestionRow[]; page: PageInfo };
  limits: { rows: LimitRow[]; page: PageInfo; overLimitCount: number; withLimitCount: number };
}

function suggestionInput(
  row: Raw,
  grades: readonly CreditGrade[],
  asOf: IsoDate,
  openInvoices: { dueDate: IsoDate; openAmount: number }[],
) {
  const gradeCode = text(row.credit_grade);
  return {
    asOf,
    grade: grades.find((grade) => grade.code === gradeCode) ?? null,
    worstGrade: grades[grades.length - 1],
    openInvoices,
    arTotal: Number(row.ar_total),
    creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
    brokenCommitments: Number(row.broken),
  };
}

/** Brings the open runs up to date (customers with later-dated documents read them). */
export async function prepareHoldFigures(db: Db): Promise<void> {
  await ensureStatusPositions(db);
}

export async function holdsOverview(
  db: Db,
  scope: LedgerScope,
  params: HoldsParams,
  asOf: IsoDate,
  pageSize = HOLDS_PAGE_SIZE,
): Promise<HoldsOverview> {
  await prepareHoldFigures(db);
  const { grades } = await getCreditPolicy(db);
  const broken = await brokenCommitmentCounts(db, null, asOf);
  const limitsSql = limitRowsSql(scope, params.filters, asOf);
  const [holds, suggestions, limits, limitCounts] = await Promise.all([
    pageOf(db, holdRowsSql(scope, params.filters, asOf), HOLD_ORDER, params.holdsPage, pageSize),
    pageOf(db, suggestionRowsSql(scope, params.filters, asOf, grades, broken), SUGGESTION_ORDER, params.suggestionsPage, pageSize),
    pageOf(db, limitsSql, LIMIT_ORDER, params.limitsPage, pageSize),
    db.executeQuery(
      CompiledQuery.raw(
        `SELECT count(*) AS n, coalesce(sum(over_limit), 0) AS over FROM (${limitRowsSql(scope, { ...params.filters, overLimitOnly: false }, asOf).text})`,
        limitRowsSql(scope, { ...params.filters, overLimitOnly: false }, asOf).params,
      ),
    ),
  ]);
  // The page's rows run the domain rule itself, which words the reasons.
  const lines = await openInvoicesOf(db, suggestions.rows.map((row) => Number(row.id)), asOf);
  const suggestionRows = suggestions.rows.map((row): SuggestionRow => {
    const suggestion: HoldSuggestion = suggestHold(suggestionInput(row, grades, asOf, lines.get(Number(row.id)) ?? []));
    const currentKind = kindOf(row.current_kind);
    return {
      code: String(row.code),
      name: String(row.name),
      ownerName: text(row.owner_name),
      region: text(row.region),
      grade: text(row.credit_grade),
      currentKind,
      suggestedKind: suggestion.kind,
      advice: holdAdvice(currentKind, suggestion.kind),
      reasons: suggestion.reasons,
      arTotal: Number(row.ar_total),
      creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
      maxDaysOverdue: suggestion.maxDaysOverdue,
    };
  });
  const counts = limitCounts.rows[0] as Raw;
  return {
    asOf,
    holds: { rows: holds.rows.map(holdRowOf), page: holds.page },
    suggestions: { rows: suggestionRows, page: suggestions.page },
    limits: { rows: limits.rows.map(limitRowOf), page: limits.page, overLimitCount: Number(counts.over), withLimitCount: Number(counts.n) },
  };
}

/** For the test: every customer in scope whose suggestion differs from the hold in force, by the SQL. */
export async function suggestedKindsBySql(db: Db, scope: LedgerScope, asOf: IsoDate): Promise<Map<string, HoldKind | null>> {
  await prepareHoldFigures(db);
  const { grades } = await getCreditPolicy(db);
  const broken = await brokenCommitmentCounts(db, null, asOf);
  const sql = suggestionRowsSql(scope, { overLimitOnly: false }, asOf, grades, broken);
  const result = await db.executeQuery(CompiledQuery.raw(sql.text, sql.params));
  return new Map(
    (result.rows as Raw[]).map((row) => [String(row.code), [null, "cash_before_delivery", "stop_shipment"][Number(row.suggested_strength)] as HoldKind | null]),
  );
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
    brokenCommitmentCounts(db, [customer.id], position.asOf),
  ]);
  const { grades } = policy;
  const suggestion = suggestHold({
    asOf: position.asOf,
    grade: grades.find((grade) => grade.code === customer.creditGrade) ?? null,
    worstGrade: grades[grades.length - 1],
    openInvoices: position.openInvoices,
    arTotal: position.arTotal,
    creditLimit: customer.creditLimit,
    brokenCommitments: broken.get(customer.id) ?? 0,
  });
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

const customerField = z.string().trim().min(1, "holds.validation.customerRequired").max(64, "holds.validation.unknownCustomer");

export const setHoldFormSchema = setHoldSchema.extend({ customer: customerField });
export const releaseHoldFormSchema = releaseHoldSchema.extend({ customer: customerField });
export const holdChangeSchema = z.discriminatedUnion("intent", [setHoldFormSchema, releaseHoldFormSchema]);

export type HoldFieldErrors = Record<string, string[] | undefined>;

export type HoldChangeOutcome =
  | { ok: true; customerCode: string; intent: "set-hold" | "release-hold" }
  | { ok: false; fieldErrors: HoldFieldErrors; values: Record<string, string> };

/**
 * Validates and applies a set or release posted by the head. Bad input changes nothing and names
 * the field: an empty reason, an unknown kind, an unknown customer, releasing a customer not on
 * hold, setting the hold already in force.
 */
export async function changeHold(db: Db, formData: FormData, userId: number): Promise<HoldChangeOutcome> {
  const values: Record<string, string> = {};
  for (const name of ["intent", "customer", "kind", "reason"]) {
    const value = formData.get(name);
    if (typeof value === "string") values[name] = value;
  }
  const refuse = (fieldErrors: HoldFieldErrors) => ({ ok: false as const, fieldErrors, values });
  if (values.intent !== "set-hold" && values.intent !== "release-hold") return refuse({ form: ["holds.validation.intent"] });
  const parsed = holdChangeSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: HoldFieldErrors = {};
    for (const issue of parsed.error.issues) (fieldErrors[issue.path.length ? String(issue.path[0]) : "form"] ??= []).push(issue.message);
    return refuse(fieldErrors);
  }
  const customer = await db.selectFrom("customers").select(["id", "code"]).where("code", "=", parsed.data.customer).executeTakeFirst();
  if (!customer) return refuse({ customer: ["holds.validation.unknownCustomer"] });
  const result =
    parsed.data.intent === "set-hold"
      ? await setHold(db, { customerId: customer.id, kind: parsed.data.kind, reason: parsed.data.reason }, userId)
      : await releaseHold(db, { customerId: customer.id, reason: parsed.data.reason }, userId);
  if (!result.ok) {
    if (result.error === "unknownCustomer") return refuse({ customer: ["holds.validation.unknownCustomer"] });
    if (result.error === "sameHold") return refuse({ kind: ["holds.validation.sameHold"] });
    return refuse({ form: ["holds.validation.noHold"] });
  }
  return { ok: true, customerCode: customer.code, intent: parsed.data.intent };
}

// ---------------------------------------------------------------- exports

export type HoldsExportList = "holds" | "over-limit";

/**
 * For exports: the holds in force or the over-limit list, one row at a time from a read
 * transaction of a connection of its own (one consistent snapshot).
 */
export function openHoldsCursor(list: HoldsExportList, scope: LedgerScope, filters: HoldsFilters, asOf: IsoDate) {
  const sqlite = new SQLite(databasePath(), { readonly: true, fileMustExist: true });
  sqlite.exec("BEGIN");
  const sql = list === "holds" ? holdRowsSql(scope, filters, asOf) : limitRowsSql(scope, { ...filters, overLimitOnly: true }, asOf);
  const order = list === "holds" ? HOLD_ORDER : LIMIT_ORDER;
  const iterator = sqlite.prepare(`SELECT * FROM (${sql.text}) ${order}`).iterate(...sql.params) as IterableIterator<Raw>;
  return {
    *holds(): Generator<HoldInForceRow> {
      for (const row of iterator) yield holdRowOf(row);
    },
    *limits(): Generator<LimitRow> {
      for (const row of iterator) yield limitRowOf(row);
    },
    close() {
      iterator.return?.();
      if (sqlite.inTransaction) sqlite.exec("COMMIT");
      sqlite.close();
    },
  };
}

/** The plan of the suggestion query, for checking it stays on its indexes. */
export function explainSuggestionQuery(sqlite: SQLite.Database, scope: LedgerScope, asOf: IsoDate, grades: readonly CreditGrade[]): string[] {
  const sql = suggestionRowsSql(scope, { overLimitOnly: false }, asOf, grades, new Map());
  return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as { detail: string }[]).map((row) => row.detail);
}

// ---------------------------------------------------------------- export files

export type HoldsExportFormat = "csv" | "xlsx";

export const HOLDS_CONTENT_TYPES: Record<HoldsExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function holdsExportFileName(list: HoldsExportList, asOf: IsoDate, format: HoldsExportFormat): string {
  return `${list === "holds" ? "holds" : "over-limit"}-${asOf}.${format}`;
}

type Cell = { kind: "text"; value: string | null } | { kind: "amount"; minor: number | null } | { kind: "number"; value: number };

interface Column {
  key: string;
  label: string;
  kind: Cell["kind"];
}

const HOLD_COLUMNS: Column[] = [
  { key: "code", label: "code", kind: "text" },
  { key: "name", label: "name", kind: "text" },
  { key: "owner", label: "owner", kind: "text" },
  { key: "region", label: "region", kind: "text" },
  { key: "kind", label: "kind", kind: "text" },
  { key: "since", label: "since", kind: "text" },
  { key: "reason", label: "reason", kind: "text" },
  { key: "setBy", label: "setBy", kind: "text" },
  { key: "ar", label: "ar", kind: "amount" },
  { key: "limit", label: "limit", kind: "amount" },
];

const LIMIT_COLUMNS: Column[] = [
  { key: "code", label: "code", kind: "text" },
  { key: "name", label: "name", kind: "text" },
  { key: "owner", label: "owner", kind: "text" },
  { key: "region", label: "region", kind: "text" },
  { key: "grade", label: "grade", kind: "text" },
  { key: "ar", label: "ar", kind: "amount" },
  { key: "limit", label: "limit", kind: "amount" },
  { key: "utilisation", label: "utilisation", kind: "number" },
  { key: "kind", label: "kind", kind: "text" },
];

function csvCell(cell: Cell): string {
  if (cell.kind === "text") return csvText(cell.value);
  if (cell.kind === "number") return String(cell.value);
  return cell.minor === null ? "" : minorToMajorString(cell.minor);
}

function xlsxValue(cell: Cell): string | number | null {
  if (cell.kind === "text") return cell.value === null ? null : neutraliseCellText(cell.value);
  if (cell.kind === "number") return cell.value;
  return cell.minor === null ? null : minorToMajorNumber(cell.minor);
}

/**
 * The holds in force (or the over-limit list) as CSV or XLSX, written row by row as read: text
 * cells neutralised against formula injection, amounts as numbers in major units.
 */
export function holdsExportStream(
  list: HoldsExportList,
  format: HoldsExportFormat,
  request: { scope: LedgerScope; filters: HoldsFilters; asOf: IsoDate; locale: Locale },
): Readable {
  const out = new PassThrough();
  const { t } = createI18n(request.locale);
  const cursor = openHoldsCursor(list, request.scope, request.filters, request.asOf);
  const columns = list === "holds" ? HOLD_COLUMNS : LIMIT_COLUMNS;
  const headers = columns.map((column) => t(`holds.exportColumns.${column.label}`));
  const kindText = (kind: HoldKind | null) => (kind ? t(`credit.holdKind.${kind}`) : null);
  const rows: () => Generator<Cell[]> =
    list === "holds"
      ? function* () {
          for (const row of cursor.holds()) {
            yield [
              { kind: "text", value: row.code },
              { kind: "text", value: row.name },
              { kind: "text", value: row.ownerName },
              { kind: "text", value: row.region },
              { kind: "text", value: kindText(row.kind) },
              { kind: "text", value: row.since.slice(0, 10) },
              { kind: "text", value: row.reason },
              { kind: "text", value: row.setByName },
              { kind: "amount", minor: row.arTotal },
              { kind: "amount", minor: row.creditLimit },
            ];
          }
        }
      : function* () {
          for (const row of cursor.limits()) {
            yield [
              { kind: "text", value: row.code },
              { kind: "text", value: row.name },
              { kind: "text", value: row.ownerName },
              { kind: "text", value: row.region },
              { kind: "text", value: row.grade },
              { kind: "amount", minor: row.arTotal },
              { kind: "amount", minor: row.creditLimit },
              { kind: "number", value: Math.round(row.utilisation * 1000) / 10 },
              { kind: "text", value: kindText(row.holdKind) },
            ];
          }
        };

  const run = async () => {
    if (format === "csv") {
      if (!out.write(UTF8_BOM + csvLine(headers.map(csvField)))) await drained(out);
      for (const cells of rows()) {
        if (out.destroyed) return;
        if (!out.write(csvLine(cells.map(csvCell)))) await drained(out);
      }
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(list === "holds" ? "holds" : "over-limit");
    sheet.columns = columns.map((column, i) => ({
      header: headers[i],
      key: column.key,
      width: column.kind === "text" ? (column.key === "name" || column.key === "reason" ? 36 : 14) : 16,
      style: column.kind === "amount" ? { numFmt: "#,##0.00;-#,##0.00" } : column.kind === "number" ? { numFmt: "0.0" } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const cells of rows()) {
      if (out.destroyed) return;
      sheet.addRow(cells.map(xlsxValue)).commit();
      if (out.writableLength > out.writableHighWaterMark) await drained(out);
    }
    sheet.commit();
    await workbook.commit();
  };
  run()
    .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))))
    .finally(() => cursor.close());
  return out;
}
