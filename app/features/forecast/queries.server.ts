/**
 * The forecast's SQL. Every read is of figures the import and the background jobs keep: open
 * items (`open_items`, or the open runs `status_open_runs` for a date before the latest document),
 * the customers' payment behaviour by month (`forecast_payment_months`, built here from
 * `invoice_paid_dates` by the job), month-end positions (the KPI summaries for company, owner,
 * region and grade; `status_positions` for one customer), promises, holds and lawyer's letters.
 * No read scans the documents.
 */
import { type Expression, type SqlBool, sql } from "kysely";

import { type Db, isPostgres } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { addDays, addMonths, days, monthEnd, toEpochDay } from "~/kernel/dates";
import type { KpiScope } from "~/features/kpi";
import { type ForecastCustomer, type LagCohortRow, type MonthPosition, type OpenInvoiceColumns, type OpenPromise, type PaymentBehaviour, TRAILING_DAYS, WRITE_OFF_MONTHS } from "./forecast";

/** Which customers a forecast covers: all, or those with an owner, region, grade or id. */
export type ForecastScopeFilter =
  | { kind: "company" }
  | { kind: "owner"; ownerId: number }
  | { kind: "region"; name: string }
  | { kind: "grade"; grade: string }
  | { kind: "customer"; customerId: number };

/** `column IN (the scope's customers)`; the company's is no condition. */
function inScope(column: string, scope: ForecastScopeFilter): Expression<SqlBool> {
  const ref = sql.ref(column);
  switch (scope.kind) {
    case "company":
      return sql<SqlBool>`1 = 1`;
    case "owner":
      return sql<SqlBool>`${ref} IN (SELECT id FROM customers WHERE owner_id = ${scope.ownerId})`;
    case "region":
      return sql<SqlBool>`${ref} IN (SELECT id FROM customers WHERE region = ${scope.name})`;
    case "grade":
      return sql<SqlBool>`${ref} IN (SELECT id FROM customers WHERE credit_grade = ${scope.grade})`;
    case "customer":
      return sql<SqlBool>`${ref} = ${scope.customerId}`;
  }
}

// ---------------------------------------------------------------- payment behaviour

/** What `forecast_payment_months` is built from: changes whenever an import or a sweep rewrites paid dates. */
export async function paidDatesFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom("invoice_paid_dates")
    .select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.count<number>("paid_on").as("paid"), eb.fn.max("paid_on").as("last"), eb.fn.sum<number>("amount").as("amount")])
    .executeTakeFirst();
  const runs = await db.selectFrom("import_runs").select((eb) => eb.fn.max("id").as("id")).where("status", "=", "succeeded").executeTakeFirst();
  return [row?.rows ?? 0, row?.paid ?? 0, row?.last ?? "", row?.amount ?? 0, runs?.id ?? 0].join(":");
}

export async function paymentMonthsBuiltFrom(db: Db): Promise<string | null> {
  const row = await db.selectFrom("forecast_inputs_status").select("built_from").where("id", "=", 1).executeTakeFirst();
  return row?.built_from ?? null;
}

interface MonthSums {
  paid: number;
  late: number;
  pay: number;
  lateSq: number;
  paySq: number;
}

/** Days from issue to payment kept for the collection curve: later payments count in the last day's row. */
export const LAG_DAYS = 400;

/** Amount settled by customer, month of issue and days from issue (LAG_DAYS or more in the last). */
type LagSums = Map<string, { customerId: number; month: string; days: number; amount: number }>;

/** Every settled invoice's amount × days, summed by customer and month of settlement (streamed); `lags` also gets the amounts by days to pay. */
async function sumPaidDates(
  db: Db,
  from: IsoDate | null,
  to: IsoDate | null,
  scope: ForecastScopeFilter,
  lags?: LagSums,
): Promise<Map<string, MonthSums & { customerId: number; month: string }>> {
  let query = db
    .selectFrom("invoice_paid_dates")
    .select(["customer_id", "issue_date", "due_date", "amount", "paid_on"])
    .where("paid_on", "is not", null)
    .where(inScope("customer_id", scope));
  if (from) query = query.where("paid_on", ">=", from);
  if (to) query = query.where("paid_on", "<=", to);
  const sums = new Map<string, MonthSums & { customerId: number; month: string }>();
  for await (const row of query.stream(5_000)) {
    if (row.paid_on === null) continue;
    const month = row.paid_on.slice(0, 7);
    const key = `${row.customer_id}|${month}`;
    const entry = sums.get(key) ?? { customerId: row.customer_id, month, paid: 0, late: 0, pay: 0, lateSq: 0, paySq: 0 };
    const late = days(row.due_date, row.paid_on);
    const pay = days(row.issue_date, row.paid_on);
    entry.paid += row.amount;
    entry.late += row.amount * late;
    entry.pay += row.amount * pay;
    entry.lateSq += row.amount * late * late;
    entry.paySq += row.amount * pay * pay;
    sums.set(key, entry);
    if (lags) {
      const lag = Math.min(LAG_DAYS, Math.max(0, pay));
      const issued = row.issue_date.slice(0, 7);
      const lagKey = `${row.customer_id}|${issued}|${lag}`;
      const lagEntry = lags.get(lagKey) ?? { customerId: row.customer_id, month: issued, days: lag, amount: 0 };
      lagEntry.amount += row.amount;
      lags.set(lagKey, lagEntry);
    }
  }
  return sums;
}

/** Rewrites `forecast_payment_months` from the paid dates (the background job; also the tests' and benchmarks' set-up). */
export async function rebuildPaymentMonths(db: Db, builtAt: string): Promise<number> {
  const fingerprint = await paidDatesFingerprint(db);
  const lags: LagSums = new Map();
  const sums = await sumPaidDates(db, null, null, { kind: "company" }, lags);
  const rows = [...sums.values()].map((s) => ({ customer_id: s.customerId, month: s.month, paid_amount: s.paid, late_amount_days: s.late, pay_amount_days: s.pay, late_amount_days_sq: s.lateSq, pay_amount_days_sq: s.paySq }));
  const grades = new Map((await db.selectFrom("customers").select(["id", "credit_grade"]).execute()).map((c) => [c.id, c.credit_grade]));
  const groups = new Map<string, MonthSums & { key: string; month: string }>();
  for (const sum of sums.values()) {
    const grade = grades.get(sum.customerId);
    for (const key of grade ? ["", `grade:${grade}`] : [""]) {
      const entry = groups.get(`${key}|${sum.month}`) ?? { key, month: sum.month, paid: 0, late: 0, pay: 0, lateSq: 0, paySq: 0 };
      entry.paid += sum.paid;
      entry.late += sum.late;
      entry.pay += sum.pay;
      entry.lateSq += sum.lateSq;
      entry.paySq += sum.paySq;
      groups.set(`${key}|${sum.month}`, entry);
    }
  }
  const lagGroups = new Map<string, { group_key: string; month: string; days: number; paid_amount: number }>();
  for (const lag of lags.values()) {
    const grade = grades.get(lag.customerId);
    for (const key of grade ? ["", `grade:${grade}`] : [""]) {
      const id = `${key}|${lag.month}|${lag.days}`;
      const entry = lagGroups.get(id) ?? { group_key: key, month: lag.month, days: lag.days, paid_amount: 0 };
      entry.paid_amount += lag.amount;
      lagGroups.set(id, entry);
    }
  }
  // what each month issued, paid or not: the row with days −1
  for await (const row of db.selectFrom("invoice_paid_dates").select(["customer_id", "issue_date", "amount"]).stream(5_000)) {
    const grade = grades.get(row.customer_id);
    const month = row.issue_date.slice(0, 7);
    for (const key of grade ? ["", `grade:${grade}`] : [""]) {
      const id = `${key}|${month}|-1`;
      const entry = lagGroups.get(id) ?? { group_key: key, month, days: -1, paid_amount: 0 };
      entry.paid_amount += row.amount;
      lagGroups.set(id, entry);
    }
  }
  const lagRows = [...lagGroups.values()];
  const groupRows = [...groups.values()].map((g) => ({ group_key: g.key, month: g.month, paid_amount: g.paid, late_amount_days: g.late, pay_amount_days: g.pay, late_amount_days_sq: g.lateSq, pay_amount_days_sq: g.paySq }));
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("forecast_payment_months").execute();
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto("forecast_payment_months").values(rows.slice(i, i + 500)).execute();
    await trx.deleteFrom("forecast_payment_windows").execute();
    await keepPaymentWindows(trx, [...new Set(rows.map((r) => r.month))]);
    await trx.deleteFrom("forecast_payment_groups").execute();
    for (let i = 0; i < groupRows.length; i += 500) await trx.insertInto("forecast_payment_groups").values(groupRows.slice(i, i + 500)).execute();
    await trx.deleteFrom("forecast_payment_lags").execute();
    for (let i = 0; i < lagRows.length; i += 500) await trx.insertInto("forecast_payment_lags").values(lagRows.slice(i, i + 500)).execute();
    await trx.deleteFrom("forecast_inputs_status").execute();
    await trx.insertInto("forecast_inputs_status").values({ id: 1, built_from: fingerprint, built_at: builtAt }).execute();
  });
  return rows.length;
}

/** The 12 full months before a month "YYYY-MM": the window of a forecast as of any day in it. */
function windowOf(asOfMonth: string): { fromMonth: string; toMonth: string } {
  return { fromMonth: addMonths(`${asOfMonth}-01`, -12).slice(0, 7), toMonth: addMonths(`${asOfMonth}-01`, -1).slice(0, 7) };
}

/**
 * Each customer's sums over the window of every month whose window holds a month of payments
 * (`forecast_payment_windows`), summed by the database as a request would sum them.
 */
async function keepPaymentWindows(db: Db, months: readonly string[]): Promise<void> {
  if (months.length === 0) return;
  const sorted = [...months].sort();
  const first = addMonths(`${sorted[0] ?? ""}-01`, 1).slice(0, 7);
  const last = addMonths(`${sorted[sorted.length - 1] ?? ""}-01`, 12).slice(0, 7);
  const asked: string[] = [];
  for (let month = first; month <= last; month = addMonths(`${month}-01`, 1).slice(0, 7)) asked.push(month);
  // a dozen years of months at most per statement
  for (let i = 0; i < asked.length; i += 120) {
    const list = sql.join(asked.slice(i, i + 120).map((month) => sql`(${month}, ${windowOf(month).fromMonth}, ${windowOf(month).toMonth})`));
    await sql`
      WITH asked (as_of_month, from_month, to_month) AS (VALUES ${list})
      INSERT INTO forecast_payment_windows (as_of_month, customer_id, paid_amount, late_amount_days, pay_amount_days, late_amount_days_sq, pay_amount_days_sq)
      SELECT asked.as_of_month, p.customer_id, sum(p.paid_amount), sum(p.late_amount_days), sum(p.pay_amount_days), sum(p.late_amount_days_sq), sum(p.pay_amount_days_sq)
      FROM asked JOIN forecast_payment_months p ON p.month >= asked.from_month AND p.month <= asked.to_month
      GROUP BY asked.as_of_month, p.customer_id`.execute(db);
  }
}

export interface BehaviourTables {
  byCustomer: Map<number, PaymentBehaviour>;
  byGrade: Map<string, PaymentBehaviour>;
  company: PaymentBehaviour;
}

const empty = (): PaymentBehaviour => ({ paidAmount: 0, lateAmountDays: 0, payAmountDays: 0, lateAmountDaysSq: 0, payAmountDaysSq: 0 });
function addTo(target: PaymentBehaviour, sums: MonthSums): void {
  target.paidAmount += sums.paid;
  target.lateAmountDays += sums.late;
  target.payAmountDays += sums.pay;
  target.lateAmountDaysSq += sums.lateSq;
  target.payAmountDaysSq += sums.paySq;
}
function behaviourOf(row: { paid: unknown; late: unknown; pay: unknown; late_sq: unknown; pay_sq: unknown }): PaymentBehaviour {
  return { paidAmount: Number(row.paid), lateAmountDays: Number(row.late), payAmountDays: Number(row.pay), lateAmountDaysSq: Number(row.late_sq), payAmountDaysSq: Number(row.pay_sq) };
}

/**
 * The payment behaviour over the months [fromMonth, toMonth]: the scope's customers one by one,
 * and every customer's by grade and in all (the fallbacks). From the built table; before its
 * first build, from the paid dates themselves (slower, still no document scan).
 */
export async function paymentBehaviour(db: Db, scope: ForecastScopeFilter, fromMonth: string, toMonth: string, built: boolean): Promise<BehaviourTables> {
  const byCustomer = new Map<number, PaymentBehaviour>();
  const byGrade = new Map<string, PaymentBehaviour>();
  const company = empty();
  if (built) {
    const asOfMonth = addMonths(`${toMonth}-01`, 1).slice(0, 7);
    // a forecast's own window is kept whole (the job sums it); any other is summed here
    const kept = windowOf(asOfMonth).fromMonth === fromMonth;
    const customerRows = kept
      ? await db
          .selectFrom("forecast_payment_windows")
          .select(["customer_id", "paid_amount as paid", "late_amount_days as late", "pay_amount_days as pay", "late_amount_days_sq as late_sq", "pay_amount_days_sq as pay_sq"])
          .where("as_of_month", "=", asOfMonth)
          .where(inScope("customer_id", scope))
          .execute()
      : await db
      .selectFrom("forecast_payment_months")
      .select((eb) => [
        "customer_id",
        eb.fn.sum<number>("paid_amount").as("paid"),
        eb.fn.sum<number>("late_amount_days").as("late"),
        eb.fn.sum<number>("pay_amount_days").as("pay"),
        eb.fn.sum<number>("late_amount_days_sq").as("late_sq"),
        eb.fn.sum<number>("pay_amount_days_sq").as("pay_sq"),
      ])
      .where("month", ">=", fromMonth)
      .where("month", "<=", toMonth)
      .where(inScope("customer_id", scope))
      .groupBy("customer_id")
      .execute();
    for (const row of customerRows) byCustomer.set(row.customer_id, behaviourOf(row));
    const groupRows = await db
      .selectFrom("forecast_payment_groups")
      .select((eb) => [
        "group_key",
        eb.fn.sum<number>("paid_amount").as("paid"),
        eb.fn.sum<number>("late_amount_days").as("late"),
        eb.fn.sum<number>("pay_amount_days").as("pay"),
        eb.fn.sum<number>("late_amount_days_sq").as("late_sq"),
        eb.fn.sum<number>("pay_amount_days_sq").as("pay_sq"),
      ])
      .where("month", ">=", fromMonth)
      .where("month", "<=", toMonth)
      .groupBy("group_key")
      .execute();
    for (const row of groupRows) {
      const behaviour = behaviourOf(row);
      if (row.group_key === "") Object.assign(company, behaviour);
      else byGrade.set(row.group_key.slice("grade:".length), behaviour);
    }
    return { byCustomer, byGrade, company };
  }
  const from = `${fromMonth}-01`;
  const to = monthEnd(`${toMonth}-01`);
  const grades = new Map((await db.selectFrom("customers").select(["id", "credit_grade"]).execute()).map((c) => [c.id, c.credit_grade]));
  const scopeIds = scope.kind === "company" ? null : new Set((await db.selectFrom("customers").select("id").where(inScope("id", scope)).execute()).map((c) => c.id));
  for (const sums of (await sumPaidDates(db, from, to, { kind: "company" })).values()) {
    addTo(company, sums);
    const grade = grades.get(sums.customerId);
    if (grade) {
      const entry = byGrade.get(grade) ?? empty();
      addTo(entry, sums);
      byGrade.set(grade, entry);
    }
    if (scopeIds && !scopeIds.has(sums.customerId)) continue;
    const entry = byCustomer.get(sums.customerId) ?? empty();
    addTo(entry, sums);
    byCustomer.set(sums.customerId, entry);
  }
  return { byCustomer, byGrade, company };
}

/**
 * The collection curve's cohorts: for each month of issue in [fromMonth, toMonth], the amount
 * issued (days −1) and the amount settled by whole days from issue to payment (the last counts
 * LAG_DAYS or more), of a credit grade's customers or of all. From the built table; before its
 * first build, from the paid dates. Payments after asOf are left to the pure side (cohortCurve).
 */
export async function paymentLags(db: Db, grade: string | null, fromMonth: string, toMonth: string, built: boolean): Promise<LagCohortRow[]> {
  if (built) {
    const rows = await db
      .selectFrom("forecast_payment_lags")
      .select(["month", "days", "paid_amount as amount"])
      .where("group_key", "=", grade === null ? "" : `grade:${grade}`)
      .where("month", ">=", fromMonth)
      .where("month", "<=", toMonth)
      .execute();
    return rows.map((r) => ({ month: r.month, days: Number(r.days), amount: Number(r.amount) }));
  }
  const scope: ForecastScopeFilter = grade === null ? { kind: "company" } : { kind: "grade", grade };
  const rows = new Map<string, LagCohortRow>();
  const add = (month: string, days: number, amount: number) => {
    const entry = rows.get(`${month}|${days}`) ?? { month, days, amount: 0 };
    entry.amount += amount;
    rows.set(`${month}|${days}`, entry);
  };
  const issued = db
    .selectFrom("invoice_paid_dates")
    .select(["issue_date", "amount", "paid_on"])
    .where("issue_date", ">=", `${fromMonth}-01`)
    .where("issue_date", "<=", monthEnd(`${toMonth}-01`))
    .where(inScope("customer_id", scope));
  for await (const row of issued.stream(5_000)) {
    const month = row.issue_date.slice(0, 7);
    add(month, -1, row.amount);
    if (row.paid_on !== null) add(month, Math.min(LAG_DAYS, Math.max(0, days(row.issue_date, row.paid_on))), row.amount);
  }
  return [...rows.values()];
}

// ---------------------------------------------------------------- what is open

/** The latest date any document of the scope's customers is dated (null: none). */
async function latestDocumentDate(db: Db, scope: ForecastScopeFilter): Promise<IsoDate | null> {
  const rows = await sql<{ last: string | null }>`
    SELECT max(last_document_date) AS last FROM status_customer_dates WHERE ${inScope("customer_id", scope)}`.execute(db);
  return rows.rows[0]?.last ?? null;
}

/**
 * Open invoices at the end of asOf, as columns: `open_items` when no document is dated after asOf
 * (it counts every document), else the open runs the status sweep keeps (an invoice, by due date,
 * open from one day to another). A company has some 100k of them, and making a row object of each
 * costs several times what the database takes to find them: the database joins them into one text
 * of `customer,due date,amount;` per invoice (group_concat on SQLite, string_agg on PostgreSQL,
 * the one difference), read here into the columns in the order the database found them.
 */
export async function openInvoicesAt(db: Db, scope: ForecastScopeFilter, asOf: IsoDate): Promise<OpenInvoiceColumns> {
  const latest = await latestDocumentDate(db, scope);
  const line = sql`customer_id || ',' || due_date || ',' || open_amount`;
  const joined = isPostgres(db) ? sql`string_agg(${line}, ';')` : sql`group_concat(${line}, ';')`;
  const query =
    latest === null || latest <= asOf
      ? sql<{ invoices: number | string; joined: string | null }>`
          SELECT count(*) AS invoices, ${joined} AS joined FROM open_items
          WHERE open_amount > 0 AND issue_date <= ${asOf} AND ${inScope("customer_id", scope)}`
      : sql<{ invoices: number | string; joined: string | null }>`
          SELECT count(*) AS invoices, ${joined} AS joined FROM status_open_runs
          WHERE from_day <= ${asOf} AND to_day >= ${asOf} AND open_amount > 0 AND ${inScope("customer_id", scope)}`;
  const row = (await query.execute(db)).rows[0];
  return readOpenInvoices(Number(row?.invoices ?? 0), row?.joined ?? "");
}

/** The columns from `count` invoices written `customer,YYYY-MM-DD,amount` and joined by `;`. */
export function readOpenInvoices(count: number, text: string): OpenInvoiceColumns {
  const customerId = new Int32Array(count);
  const dueDay = new Int32Array(count);
  const open = new Float64Array(count);
  if (count === 0 && text === "") return { length: 0, customerId, dueDay, open };
  // due dates as day numbers, once per date: keyed by YYYYMMDD while reading
  const days = new Map<number, number>();
  let index = 0;
  let field = 0;
  let value = 0;
  let negative = false;
  let date = 0;
  for (let at = 0; at <= text.length; at++) {
    const code = at < text.length ? text.charCodeAt(at) : 59;
    if (code >= 48 && code <= 57) value = value * 10 + (code - 48);
    else if (code === 45 && field === 1) {
      // a date's dashes: YYYY-MM-DD read as the number YYYYMMDD
      date = (date + value) * 100;
      value = 0;
    } else if (code === 45) negative = true;
    else if (code === 44 || code === 59) {
      if (index >= count) throw new Error(`more open invoices than the ${count} counted`);
      if (field === 0) customerId[index] = value;
      else if (field === 1) {
        const key = date + value;
        let day = days.get(key);
        if (day === undefined) {
          day = toEpochDay(`${String(Math.floor(key / 10000)).padStart(4, "0")}-${String(Math.floor(key / 100) % 100).padStart(2, "0")}-${String(key % 100).padStart(2, "0")}`);
          days.set(key, day);
        }
        dueDay[index] = day;
        date = 0;
      } else open[index] = negative ? -value : value;
      value = 0;
      negative = false;
      if (code === 59) {
        if (field !== 2) throw new Error(`an open invoice without its three fields at ${at}`);
        field = 0;
        index += 1;
      } else field += 1;
    } else throw new Error(`unexpected character ${JSON.stringify(text[at])} in the open invoices at ${at}`);
  }
  if (index !== count) throw new Error(`${index} open invoices read, ${count} counted`);
  return { length: count, customerId, dueDay, open };
}

/** The scope's customers, with why each is shown apart at asOf (stop shipment, a lawyer's letter in the last year). */
export async function forecastCustomers(db: Db, scope: ForecastScopeFilter, asOf: IsoDate): Promise<ForecastCustomer[]> {
  const customers = await db.selectFrom("customers").select(["id", "code", "name", "credit_grade"]).where(inScope("id", scope)).execute();
  // holds are stamped with an instant; a hold set during asOf counts
  const end = `${asOf}T23:59:59.999Z`;
  const held = await db
    .selectFrom("customer_holds")
    .select("customer_id")
    .where("kind", "=", "stop_shipment")
    .where("set_at", "<=", end)
    .where((eb) => eb.or([eb("released_at", "is", null), eb("released_at", ">", end)]))
    .where(inScope("customer_id", scope))
    .execute();
  const letters = await db
    .selectFrom("collection_actions")
    .select("customer_id")
    .where("kind", "=", "lawyer_letter")
    .where("action_date", "<=", asOf)
    .where("action_date", ">", addDays(asOf, -365))
    .where(inScope("customer_id", scope))
    .execute();
  const onHold = new Set(held.map((h) => h.customer_id));
  const lettered = new Set(letters.map((l) => l.customer_id));
  return customers.map((c) => ({
    id: c.id,
    code: c.code,
    name: c.name,
    grade: c.credit_grade,
    apart: onHold.has(c.id) ? "stop_shipment" : lettered.has(c.id) ? "lawyer_letter" : null,
  }));
}

/** Promises and instalments made by asOf and still open then: what is left of each. */
export async function openPromisesAt(db: Db, scope: ForecastScopeFilter, asOf: IsoDate): Promise<OpenPromise[]> {
  const rows = await db
    .selectFrom("payment_promises")
    .select(["customer_id", "due_on", "amount", "paid", "status", "evaluated_on"])
    .where("made_on", "<=", asOf)
    .where((eb) => eb.or([eb("status", "=", "pending"), eb("evaluated_on", ">", asOf)]))
    .where(inScope("customer_id", scope))
    .execute();
  return rows
    .map((r) => ({ customerId: r.customer_id, dueOn: r.due_on, amount: r.status === "pending" ? r.amount - r.paid : r.amount }))
    .filter((p) => p.amount > 0);
}

// ---------------------------------------------------------------- month ends and sales

/** Month ends from `count` months before asOf's month to the last one before it, oldest first. */
export function monthEndsBefore(asOf: IsoDate, count: number): IsoDate[] {
  return Array.from({ length: count }, (_, i) => monthEnd(addMonths(`${asOf.slice(0, 7)}-01`, i - count)));
}

/** The summary scope's stored row id (company, owner, region, grade); null when nothing ever counted in it. */
async function summaryScopeId(db: Db, scope: Exclude<ForecastScopeFilter, { kind: "customer" }>): Promise<number | null> {
  const key = scope.kind === "company" ? "" : scope.kind === "owner" ? String(scope.ownerId) : scope.kind === "region" ? scope.name : scope.grade;
  const row = await db.selectFrom("kpi_scopes").select("id").where("kind", "=", scope.kind).where("key", "=", key).executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The month of the ledger's first sale ("YYYY-MM"), from the company's KPI summaries (the first
 * day their running sales are above 0): the whole ledger's, whatever scope is asked, so a
 * customer, owner or region does not look young because its own sales began late. Null before
 * the summaries hold any sale.
 */
export async function ledgerFirstSalesMonth(db: Db): Promise<string | null> {
  const scopeId = await summaryScopeId(db, { kind: "company" });
  if (scopeId === null) return null;
  const row = await db
    .selectFrom("kpi_daily_summaries")
    .select("day")
    .where("scope_id", "=", scopeId)
    .where("sales_to_date", ">", 0)
    .orderBy("day")
    .limit(1)
    .executeTakeFirst();
  return row ? row.day.slice(0, 7) : null;
}

export interface ScopeHistory {
  positions: MonthPosition[];
  /** the positions at the WRITE_OFF_MONTHS + 1 month ends before asOf: the write-off rate's longer history */
  writeOffPositions: MonthPosition[];
  /** sales by month YYYY-MM (asOf's own month through asOf) */
  sales: Map<string, number>;
  /** collected (payments and offsets) in the TRAILING_DAYS days through asOf */
  trailingCollected: number;
}

/**
 * The scope's month-end positions for the 13 month ends before asOf (and the 25 before it, for the
 * write-off rate) and its monthly sales for the
 * 26 months before asOf's month (and that month through asOf): from the KPI summaries (the values
 * in force at each day, running totals of sales, collections and write-offs), or for one customer
 * from its status positions.
 */
export async function scopeHistory(db: Db, scope: ForecastScopeFilter, asOf: IsoDate): Promise<ScopeHistory> {
  const ends = monthEndsBefore(asOf, 27);
  const positionEnds = ends.slice(-13);
  if (scope.kind === "customer") return customerHistory(db, scope.customerId, asOf, ends, positionEnds);
  const scopeId = await summaryScopeId(db, scope);
  const asked = [...ends, asOf];
  const trailingStart = addDays(asOf, -TRAILING_DAYS);
  const values = new Map<string, { bands: number[]; sales: number; collected: number; writtenOff: number }>();
  if (scopeId !== null) {
    const list = sql.join([...asked, trailingStart].map((day) => sql`(${day})`));
    const rows = await sql<Record<string, number | string>>`
      WITH asked (day) AS (VALUES ${list})
      SELECT asked.day AS asked_day, s.aging_current, s.aging_1_30, s.aging_31_60, s.aging_61_90,
        s.aging_91_180 + s.aging_181_365 + s.aging_over_365 AS aging_over_90,
        s.sales_to_date, s.collected_to_date, s.written_off_to_date
      FROM asked
      JOIN kpi_daily_summaries s ON s.scope_id = ${scopeId} AND s.day = (
        SELECT max(m.day) FROM kpi_daily_summaries m WHERE m.scope_id = ${scopeId} AND m.day <= asked.day)`.execute(db);
    for (const row of rows.rows) {
      values.set(String(row.asked_day), {
        bands: [row.aging_current, row.aging_1_30, row.aging_31_60, row.aging_61_90, row.aging_over_90].map(Number),
        sales: Number(row.sales_to_date),
        collected: Number(row.collected_to_date),
        writtenOff: Number(row.written_off_to_date),
      });
    }
  }
  const at = (day: string) => values.get(day) ?? { bands: [0, 0, 0, 0, 0], sales: 0, collected: 0, writtenOff: 0 };
  const sales = new Map<string, number>();
  asked.forEach((day, i) => {
    if (i === 0) return;
    const before = asked[i - 1] ?? day;
    sales.set(day.slice(0, 7), at(day).sales - at(before).sales);
  });
  const positionAt = (end: IsoDate): MonthPosition => {
    const i = asked.indexOf(end);
    const before = asked[i - 1] ?? end;
    return { monthEnd: end, bands: at(end).bands, writtenOff: at(end).writtenOff - at(before).writtenOff, collected: at(end).collected - at(before).collected };
  };
  return {
    positions: positionEnds.map(positionAt),
    writeOffPositions: ends.slice(-(WRITE_OFF_MONTHS + 1)).map(positionAt),
    sales,
    trailingCollected: at(asOf).collected - at(trailingStart).collected,
  };
}

async function customerHistory(db: Db, customerId: number, asOf: IsoDate, ends: IsoDate[], positionEnds: IsoDate[]): Promise<ScopeHistory> {
  const rows = await sql<Record<string, number | string>>`
    SELECT month_end, aging_current, aging_1_30, aging_31_60, aging_61_90,
      aging_91_180 + aging_181_365 + aging_over_365 AS aging_over_90, billed, collected
    FROM status_positions WHERE customer_id = ${customerId} AND month_end <= ${asOf} ORDER BY month_end`.execute(db);
  const byEnd = new Map(rows.rows.map((r) => [String(r.month_end), r]));
  // a later month end with no row keeps the last row's balances (status-table/positions.ts), with nothing billed or collected
  let last: Record<string, number | string> | undefined;
  const first = ends[0] ?? asOf;
  for (const row of rows.rows) if (String(row.month_end) < first) last = row;
  const sales = new Map<string, number>();
  const writeOffEnds = ends.slice(-(WRITE_OFF_MONTHS + 1));
  const all: MonthPosition[] = [];
  for (const end of ends) {
    const row = byEnd.get(end);
    if (row) last = row;
    sales.set(end.slice(0, 7), row ? Number(row.billed) : 0);
    all.push({
      monthEnd: end,
      bands: last ? [last.aging_current, last.aging_1_30, last.aging_31_60, last.aging_61_90, last.aging_over_90].map(Number) : [0, 0, 0, 0, 0],
      writtenOff: 0,
      collected: row ? Number(row.collected) : 0,
    });
  }
  const writeOffs = await db
    .selectFrom("adjustments")
    .select(["date", "amount"])
    .where("customer_id", "=", customerId)
    .where("type", "=", "write_off")
    .where("date", "<=", asOf)
    .execute();
  for (const position of all) {
    const month = position.monthEnd.slice(0, 7);
    position.writtenOff = writeOffs.filter((w) => w.date.slice(0, 7) === month).reduce((sum, w) => sum + w.amount, 0);
  }
  const issued = await db
    .selectFrom("invoices")
    .select((eb) => eb.fn.sum<number>("amount").as("amount"))
    .where("customer_id", "=", customerId)
    .where("issue_date", ">=", `${asOf.slice(0, 7)}-01`)
    .where("issue_date", "<=", asOf)
    .executeTakeFirst();
  sales.set(asOf.slice(0, 7), Number(issued?.amount ?? 0));
  // one customer's own documents: a few rows, read directly
  const from = addDays(asOf, -TRAILING_DAYS + 1);
  const paid = await db
    .selectFrom("payments")
    .select((eb) => eb.fn.sum<number>("amount").as("amount"))
    .where("customer_id", "=", customerId)
    .where("date", ">=", from)
    .where("date", "<=", asOf)
    .executeTakeFirst();
  const offset = await db
    .selectFrom("adjustments")
    .select((eb) => eb.fn.sum<number>("amount").as("amount"))
    .where("customer_id", "=", customerId)
    .where("type", "=", "offset")
    .where("date", ">=", from)
    .where("date", "<=", asOf)
    .executeTakeFirst();
  return {
    positions: all.filter((position) => positionEnds.includes(position.monthEnd)),
    writeOffPositions: all.filter((position) => writeOffEnds.includes(position.monthEnd)),
    sales,
    trailingCollected: Number(paid?.amount ?? 0) + Number(offset?.amount ?? 0),
  };
}

/** An owner, region, grade or customer scope as the filter above, or "unknown" when no customer has it. */
export async function scopeFilterRow(db: Db, scope: Exclude<KpiScope, { type: "company" }>): Promise<ForecastScopeFilter | "unknown"> {
  switch (scope.type) {
    case "owner": {
      const user = await db.selectFrom("users").select("id").where("email", "=", scope.email).executeTakeFirst();
      return user ? { kind: "owner", ownerId: user.id } : "unknown";
    }
    case "customer": {
      const customer = await db.selectFrom("customers").select("id").where("code", "=", scope.code).executeTakeFirst();
      return customer ? { kind: "customer", customerId: customer.id } : "unknown";
    }
    case "region": {
      const any = await db.selectFrom("customers").select("id").where("region", "=", scope.name).limit(1).executeTakeFirst();
      return any ? { kind: "region", name: scope.name } : "unknown";
    }
    case "grade": {
      const any = await db.selectFrom("customers").select("id").where("credit_grade", "=", scope.grade).limit(1).executeTakeFirst();
      return any ? { kind: "grade", grade: scope.grade } : "unknown";
    }
  }
}

// ---------------------------------------------------------------- the push planner

/** A KPI-linked plan item's columns the push planner reads (pushItemRow, linkedItemRows). */
const PUSH_ITEM_COLUMNS = [
  "plan_items.id",
  "plan_items.plan_id",
  "plan_items.title",
  "plan_items.due_date",
  "plan_items.kpi_key",
  "plan_items.kpi_scope",
  "plan_items.kpi_target",
  "plan_items.kpi_baseline",
  "plan_items.kpi_baseline_date",
  "plans.end_date",
  "plans.state as plan_state",
  "plan_items.kpi_path",
] as const;

/** A plan item's KPI link and dates, or undefined when there is no such item. */
export async function pushItemRow(db: Db, itemId: number) {
  return db
    .selectFrom("plan_items")
    .innerJoin("plans", "plans.id", "plan_items.plan_id")
    .select(PUSH_ITEM_COLUMNS)
    .where("plan_items.id", "=", itemId)
    .executeTakeFirst();
}

/** Each of the scope's customers' owner (id and name), for the chase list. */
export async function customerOwners(db: Db, scope: ForecastScopeFilter): Promise<Map<number, { ownerId: number | null; ownerName: string | null }>> {
  const owners = new Map<number, { ownerId: number | null; ownerName: string | null }>();
  const rows = await db
    .selectFrom("customers")
    .leftJoin("users", "users.id", "customers.owner_id")
    .select(["customers.id", "customers.owner_id", "users.name"])
    .where(inScope("customers.id", scope))
    .execute();
  for (const row of rows) owners.set(row.id, { ownerId: row.owner_id, ownerName: row.name });
  return owners;
}

/** The planned path chosen for a KPI-linked item; false when no such item. */
export async function setItemPath(db: Db, itemId: number, path: "straight" | "last_year", at: string): Promise<boolean> {
  const result = await db.updateTable("plan_items").set({ kpi_path: path, updated_at: at }).where("id", "=", itemId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Every KPI-linked item of the plans still running (not closed, ending today or later), with the
 * same columns as `pushItemRow` and the item's owner; cancelled items are left out.
 */
export async function linkedItemRows(db: Db, today: IsoDate) {
  return db
    .selectFrom("plan_items")
    .innerJoin("plans", "plans.id", "plan_items.plan_id")
    .leftJoin("users", "users.id", "plan_items.owner_id")
    .select([...PUSH_ITEM_COLUMNS, "plan_items.category", "plan_items.position", "plan_items.owner_id", "plan_items.status", "users.name as owner_name"])
    .where("plans.state", "!=", "closed")
    .where("plans.end_date", ">=", today)
    .where("plan_items.kpi_key", "is not", null)
    .where("plan_items.status", "!=", "cancelled")
    .orderBy("plans.start_date")
    .orderBy("plan_items.position")
    .orderBy("plan_items.id")
    .execute();
}
