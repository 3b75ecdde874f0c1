/**
 * The collections forecast as it was computed before its reads became columns and its payment
 * behaviour a kept window: the open invoices read as one object each, the behaviour summed from the
 * monthly table on every request, the per-invoice loop over objects. Kept for the test that holds
 * the faster path to the very same figures (tests/integration/features/forecast/same-figures.test.ts).
 */
import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import { addDays, addMonths, datePartsOf, daysInMonth, fromEpochDay, toEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import {
  APART_FACTOR,
  CURVE_COHORTS,
  CURVE_READ_DAYS,
  FORECAST_BANDS,
  FORECAST_MONTHS,
  bandOf,
  behaviourMonths,
  cohortCurve,
  firstMonthWithSales,
  collectionSpread,
  curveShares,
  daysToPayShares,
  expectedSales,
  forecastPeriods,
  latenessOf,
  measureRollRates,
  monthKey,
  spreadShares,
  type CustomerOutlook,
  type Forecast,
  type ForecastInputs,
  type LatenessSource,
  type OpenInvoice,
  type OpenPromise,
  type PaymentBehaviour,
} from "~/features/forecast/forecast";
import { absorption } from "~/features/forecast/roll-rates";
import { weighInCurve } from "~/features/forecast/pace";
import {
  type ForecastScopeFilter,
  forecastCustomers,
  openPromisesAt,
  paymentLags,
  ledgerFirstSalesMonth,
  scopeHistory,
} from "~/features/forecast/queries.server";

const DEFAULT_MONTHLY_PAID = 0.35;
const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);
function monthKeyAdd(key: string, count: number): string {
  return monthKey(addMonths(`${key}-01`, count));
}

export function computeForecastBefore(inputs: Omit<ForecastInputs, "invoices"> & { invoices: readonly OpenInvoice[] }): Forecast {
  const asOfDay = toEpochDay(inputs.asOf);
  const periods = forecastPeriods(inputs.asOf, inputs.weeks);
  const lastMonth = periods.months[periods.months.length - 1] ?? monthKey(inputs.asOf);
  const horizonEnd = toEpochDay(`${lastMonth}-${String(daysInMonth(Number(lastMonth.slice(0, 4)), Number(lastMonth.slice(5, 7)))).padStart(2, "0")}`);
  const lastDay = Math.max(horizonEnd, asOfDay + 7 * inputs.weeks);

  const rates = measureRollRates(inputs.positions, inputs.writeOffPositions);
  const outcome = rates ? absorption(rates) : null;
  const eventualPaid = (band: number) => outcome?.paid[band] ?? 1;
  const eventualBad = (band: number) => outcome?.bad[band] ?? 0;
  // An amount past its expected day settles at a monthly rate of 1 ÷ the expected months its band
  // stays unsettled (the fundamental matrix's row sum): a geometric spread with the chain's mean.
  const monthlyPaid = (band: number) => {
    const months = outcome?.months[band]?.reduce((a, b) => a + b, 0);
    return months && months >= 1 ? 1 / months : DEFAULT_MONTHLY_PAID;
  };
  const spread = collectionSpread(inputs.positions);

  const customers = new Map(inputs.customers.map((c) => [c.id, c]));
  const horizon = lastDay - asOfDay;
  // Expected collections by day after asOf (index 0 = asOf + 1): open (safe, apart) and new sales.
  const openSafe = new Float64Array(horizon);
  const openApart = new Float64Array(horizon);
  const newSales = new Float64Array(horizon);
  // Even spreads over runs of days are added as differences and summed once (a run costs 2 writes).
  const safeSteps = new Float64Array(horizon + 1);
  const apartSteps = new Float64Array(horizon + 1);
  const promisedSafeSteps = new Float64Array(horizon + 1);
  const promisedApartSteps = new Float64Array(horizon + 1);
  const paidFromNewSales = new Float64Array(horizon + 1);
  /** `perDay` on each day from `from` to `to` (epoch days, inclusive), clipped to the horizon. */
  const addRun = (steps: Float64Array, from: number, to: number, perDay: number) => {
    const first = Math.max(0, from - asOfDay - 1);
    const last = Math.min(horizon - 1, to - asOfDay - 1);
    if (last < first) return;
    steps[first] = (steps[first] ?? 0) + perDay;
    steps[last + 1] = (steps[last + 1] ?? 0) - perDay;
  };
  // Amounts past their expected day, by band and apart, spread once at the end.
  const toSpread = FORECAST_BANDS.map(() => ({ safe: 0, apart: 0 }));
  const shares = FORECAST_BANDS.map((_, band) => spreadShares(monthlyPaid(band), horizon));
  const sharesWithin = shares.map((s) => s.reduce((a, b) => a + b, 0));
  const outlook = new Map<number, CustomerOutlook>();
  const lateness: Record<LatenessSource, number> = { customer: 0, grade: 0, company: 0, none: 0 };
  let expectedWriteOff = 0;

  // Promises cover a customer's invoices oldest first: their remaining amounts by customer.
  const promisesBy = new Map<number, OpenPromise[]>();
  for (const promise of inputs.promises) {
    if (promise.amount <= 0) continue;
    const list = promisesBy.get(promise.customerId) ?? [];
    list.push(promise);
    promisesBy.set(promise.customerId, list);
  }
  for (const list of promisesBy.values()) list.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0));
  // Invoices by customer, as the reads hand them over; only a customer with promises needs its
  // invoices oldest first (the promises cover them in that order).
  const invoicesBy = new Map<number, OpenInvoice[]>();
  for (const invoice of inputs.invoices) {
    let list = invoicesBy.get(invoice.customerId);
    if (!list) {
      list = [];
      invoicesBy.set(invoice.customerId, list);
    }
    list.push(invoice);
  }

  // Per-invoice work is kept to arithmetic: dates are turned into day numbers once per distinct
  // date, each customer's lateness is looked up once, the first expected day is kept as a number.
  const epochDays = new Map<string, number>();
  const epochDayOf = (date: IsoDate) => {
    let day = epochDays.get(date);
    if (day === undefined) {
      day = toEpochDay(date);
      epochDays.set(date, day);
    }
    return day;
  };
  const firstDay = new Map<number, number>();
  /** `amount` evenly over the days from..to (epoch days) for this customer; what falls in the horizon counts. */
  const promisedBy = new Map<number, number>();
  const expectOver = (steps: Float64Array, view: CustomerOutlook, from: number, to: number, amount: number) => {
    const perDay = amount / (to - from + 1);
    addRun(steps, from, to, perDay);
    const inside = Math.min(to, lastDay) - Math.max(from, asOfDay + 1) + 1;
    if (inside <= 0) return;
    view.expected += perDay * inside;
    if (steps === promisedSafeSteps || steps === promisedApartSteps) promisedBy.set(view.customerId, (promisedBy.get(view.customerId) ?? 0) + perDay * inside);
    const day = Math.max(from, asOfDay + 1);
    const first = firstDay.get(view.customerId);
    if (first === undefined || day < first) firstDay.set(view.customerId, day);
  };

  // what the curve's reading stands for: the customers not shown apart's invoices not wholly promised
  let curveInvoices = 0;
  let curveOpen = 0;
  for (const [customerId, list] of invoicesBy) {
    const customer = customers.get(customerId);
    const apart = customer?.apart ?? null;
    const late = latenessOf(customer, inputs);
    let view = outlook.get(customerId);
    if (!view) {
      view = { customerId, open: 0, expected: 0, probability: 0, firstExpected: null, lateness: late.source, averageDaysLate: late.days, apart };
      outlook.set(customerId, view);
    }
    const promises = promisesBy.get(customerId) ?? [];
    if (promises.length > 0) list.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
    const cursor = { index: 0, left: promises[0]?.amount ?? 0 };
    for (const invoice of list) {
      lateness[late.source] += invoice.open;
      const dueDay = epochDayOf(invoice.dueDate);
      const band = bandOf(asOfDay - dueDay);
      const probability = eventualPaid(band) * (apart ? APART_FACTOR : 1);
      expectedWriteOff += invoice.open * eventualBad(band);
      view.open += invoice.open;
      const steps = apart ? apartSteps : safeSteps;

      // The promised part first.
      let unpromised = invoice.open;
      while (unpromised > 0 && cursor.index < promises.length) {
        const promise = promises[cursor.index];
        if (!promise) break;
        const covered = Math.min(unpromised, cursor.left);
        const promisedDay = Math.max(asOfDay + 1, toEpochDay(promise.dueOn));
        if (covered > 0) expectOver(apart ? promisedApartSteps : promisedSafeSteps, view, promisedDay, promisedDay, covered * probability);
        unpromised -= covered;
        cursor.left -= covered;
        if (cursor.left <= 0) {
          cursor.index += 1;
          cursor.left = promises[cursor.index]?.amount ?? 0;
        }
      }
      if (unpromised <= 0) continue;
      if (!apart) {
        curveInvoices += 1;
        curveOpen += unpromised;
      }
      // Expected evenly over the customer's spread of days late around the average; the part of it
      // already past (not paid then) moves onto the days left of it.
      const expectedDay = dueDay + Math.round(late.days);
      const latest = expectedDay + late.halfWidth;
      if (latest > asOfDay) expectOver(steps, view, Math.max(asOfDay + 1, expectedDay - late.halfWidth), latest, unpromised * probability);
      else {
        const bucket = toSpread[band];
        if (bucket) bucket[apart ? "apart" : "safe"] += unpromised * probability;
        view.expected += unpromised * probability * (sharesWithin[band] ?? 0);
        const first = firstDay.get(view.customerId);
        if (first === undefined || asOfDay + 1 < first) firstDay.set(view.customerId, asOfDay + 1);
      }
    }
  }
  for (const [customerId, day] of firstDay) {
    const view = outlook.get(customerId);
    if (view) view.firstExpected = fromEpochDay(day);
  }
  let safeRun = 0;
  let apartRun = 0;
  let promisedSafeRun = 0;
  let promisedApartRun = 0;
  const promisedSafe = new Float64Array(horizon);
  const promisedApart = new Float64Array(horizon);
  for (let d = 0; d < horizon; d++) {
    safeRun += safeSteps[d] ?? 0;
    apartRun += apartSteps[d] ?? 0;
    openSafe[d] = safeRun;
    openApart[d] = apartRun;
    promisedSafeRun += promisedSafeSteps[d] ?? 0;
    promisedApartRun += promisedApartSteps[d] ?? 0;
    promisedSafe[d] = promisedSafeRun;
    promisedApart[d] = promisedApartRun;
  }
  toSpread.forEach((amounts, band) => {
    const share = shares[band];
    if (!share) return;
    for (let d = 0; d < horizon; d++) {
      openSafe[d] = (openSafe[d] ?? 0) + amounts.safe * (share[d] ?? 0);
      openApart[d] = (openApart[d] ?? 0) + amounts.apart * (share[d] ?? 0);
    }
  });

  // Invoices not issued yet.
  const scopePay = { paid: 0, days: 0, squares: 0 };
  for (const behaviour of inputs.behaviour.values()) {
    scopePay.paid += behaviour.paidAmount;
    scopePay.days += behaviour.payAmountDays;
    scopePay.squares += behaviour.payAmountDaysSq;
  }
  const company = inputs.companyBehaviour;
  const pay = scopePay.paid > 0 ? scopePay : { paid: company.paidAmount, days: company.payAmountDays, squares: company.payAmountDaysSq };
  const meanDaysToPay = ratio(pay.days, pay.paid) ?? 30;
  const averageDaysToPay = Math.max(0, Math.round(meanDaysToPay));
  const sdDaysToPay = pay.paid > 0 ? Math.sqrt(Math.max(0, pay.squares / pay.paid - meanDaysToPay ** 2)) : 0;
  // the measured curve already leaves out what is never paid; the log-normal takes the roll rates' share
  const curveDays = Math.max(horizon, 401);
  const curve = inputs.lagCohorts ? cohortCurve(inputs.lagCohorts, inputs.asOf, curveDays) : null;
  // a scope narrower than the curve's group pays at its own pace: the curve stretched by the
  // scope's average days to pay ÷ the group's (both over the same 12 months of payments)
  const group = inputs.lagGrade ? inputs.gradeBehaviour.get(inputs.lagGrade) : company;
  const groupMean = group ? ratio(group.payAmountDays, group.paidAmount) : null;
  const stretch = groupMean && groupMean > 0 && scopePay.paid > 0 ? meanDaysToPay / groupMean : 1;
  const curveLags = curve ? curveShares(curve.slice(0, horizon), stretch, horizon) : null;
  const payShares = curveLags ?? daysToPayShares(meanDaysToPay, sdDaysToPay, horizon);
  const newSalesBilled: { month: string; billed: number }[] = [];
  const newSalesProbability = curveLags ? 1 : eventualPaid(0);
  const issued = new Float64Array(horizon);
  for (let k = 0; k < FORECAST_MONTHS; k++) {
    const month = monthKeyAdd(monthKey(addDays(inputs.asOf, 1)), k);
    const { year, month: m } = datePartsOf(`${month}-01`);
    const length = daysInMonth(year, m);
    const billed = expectedSales(inputs.sales, inputs.asOf, month);
    newSalesBilled.push({ month, billed });
    const first = toEpochDay(`${month}-01`);
    for (let d = 0; d < length; d++) {
      const index = first + d - asOfDay - 1;
      if (index >= 0 && index < horizon) issued[index] = (billed / length) * newSalesProbability;
    }
  }
  // each day's issue paid over the following days by the days-to-pay shares
  for (let i = 0; i < horizon; i++) {
    const amount = issued[i] ?? 0;
    if (amount === 0) continue;
    for (let lag = 0; i + lag < horizon; lag++) {
      const share = payShares[lag] ?? 0;
      if (share > 0) paidFromNewSales[i + lag] = (paidFromNewSales[i + lag] ?? 0) + amount * share;
    }
  }
  newSales.set(paidFromNewSales.subarray(0, horizon));

  // The curve's reading of the invoiced sales, as the forecast weighs it (pace.ts, shared).
  const readLags = curve ? curveShares(curve, stretch, curveDays) : null;
  const { pace, factor, apartFactor, apartAsInvoiced } = weighInCurve(
    { safe: openSafe, apart: openApart, promisedSafe, promisedApart, newSales },
    { sales: inputs.sales, asOf: inputs.asOf, lags: readLags, curveDays, trailingCollected: inputs.trailingCollected, invoices: curveInvoices, open: curveOpen },
  );

  type Sums = { open: number; newSales: number; safe: number; risky: number; riskyAsInvoiced: number };
  const sumDays = (from: number, to: number): Sums => {
    const sums = { open: 0, newSales: 0, safe: 0, risky: 0, riskyAsInvoiced: 0 };
    for (let day = Math.max(from, asOfDay + 1); day <= Math.min(to, lastDay); day++) {
      const i = day - asOfDay - 1;
      const safe = openSafe[i] ?? 0;
      const risky = openApart[i] ?? 0;
      const fresh = newSales[i] ?? 0;
      sums.open += safe + risky;
      sums.newSales += fresh;
      sums.safe += safe + fresh;
      sums.risky += risky;
      sums.riskyAsInvoiced += apartAsInvoiced[i] ?? 0;
    }
    return sums;
  };
  const range = (bucket: Sums) => ({
    low: Math.round(bucket.safe * (1 - spread)),
    // the customers shown apart may still pay in full: the high end undoes their lower probability
    high: Math.round(bucket.safe * (1 + spread) + bucket.riskyAsInvoiced / APART_FACTOR),
  });
  const finish = (bucket: Sums) => {
    const open = Math.round(bucket.open);
    const fresh = Math.round(bucket.newSales);
    return { open, newSales: fresh, expected: open + fresh, ...range(bucket) };
  };
  const weekly = periods.weeks.map((week) => ({ ...week, ...finish(sumDays(toEpochDay(week.start), toEpochDay(week.end))) }));
  const monthly = periods.months.map((month) => {
    const first = toEpochDay(`${month}-01`);
    const { year, month: m } = datePartsOf(`${month}-01`);
    return { month, ...finish(sumDays(first, first + daysInMonth(year, m) - 1)) };
  });

  for (const view of outlook.values()) {
    const promised = promisedBy.get(view.customerId) ?? 0;
    const scale = view.apart ? apartFactor : factor;
    if (scale !== 1) view.expected = Math.min(view.open, promised + scale * (view.expected - promised));
    view.probability = view.open > 0 ? view.expected / view.open : 0;
    view.expected = Math.round(view.expected);
  }
  return {
    asOf: inputs.asOf,
    weeks: weekly,
    months: monthly,
    expectedWriteOff: Math.round(expectedWriteOff),
    lateness,
    rollRates: rates,
    spread,
    customers: [...outlook.values()].sort((a, b) => b.expected - a.expected || a.customerId - b.customerId),
    newSalesBilled,
    averageDaysToPay,
    pace,
    behaviourWindow: inputs.behaviourWindow ?? { ...behaviourMonths(inputs.asOf, null, null), firstSalesMonth: null },
  };
}

/** `column IN (the scope's customers)`, as the forecast's queries filter them. */
function inScope(column: string, scope: ForecastScopeFilter) {
  const ref = sql.ref(column);
  switch (scope.kind) {
    case "company":
      return sql<boolean>`1 = 1`;
    case "owner":
      return sql<boolean>`${ref} IN (SELECT id FROM customers WHERE owner_id = ${scope.ownerId})`;
    case "region":
      return sql<boolean>`${ref} IN (SELECT id FROM customers WHERE region = ${scope.name})`;
    case "grade":
      return sql<boolean>`${ref} IN (SELECT id FROM customers WHERE credit_grade = ${scope.grade})`;
    case "customer":
      return sql<boolean>`${ref} = ${scope.customerId}`;
  }
}

const behaviourOf = (row: { paid: unknown; late: unknown; pay: unknown; late_sq: unknown; pay_sq: unknown }): PaymentBehaviour => ({
  paidAmount: Number(row.paid),
  lateAmountDays: Number(row.late),
  payAmountDays: Number(row.pay),
  lateAmountDaysSq: Number(row.late_sq),
  payAmountDaysSq: Number(row.pay_sq),
});

/** The payment behaviour over the months [fromMonth, toMonth], summed from the monthly tables. */
async function paymentBehaviourBefore(db: Db, scope: ForecastScopeFilter, fromMonth: string, toMonth: string) {
  const byCustomer = new Map<number, PaymentBehaviour>();
  const byGrade = new Map<string, PaymentBehaviour>();
  let company: PaymentBehaviour = { paidAmount: 0, lateAmountDays: 0, payAmountDays: 0, lateAmountDaysSq: 0, payAmountDaysSq: 0 };
  const customerRows = await sql<{ customer_id: number; paid: number; late: number; pay: number; late_sq: number; pay_sq: number }>`
    SELECT customer_id, sum(paid_amount) AS paid, sum(late_amount_days) AS late, sum(pay_amount_days) AS pay,
      sum(late_amount_days_sq) AS late_sq, sum(pay_amount_days_sq) AS pay_sq
    FROM forecast_payment_months WHERE month >= ${fromMonth} AND month <= ${toMonth} AND ${inScope("customer_id", scope)}
    GROUP BY customer_id`.execute(db);
  for (const row of customerRows.rows) byCustomer.set(row.customer_id, behaviourOf(row));
  const groupRows = await sql<{ group_key: string; paid: number; late: number; pay: number; late_sq: number; pay_sq: number }>`
    SELECT group_key, sum(paid_amount) AS paid, sum(late_amount_days) AS late, sum(pay_amount_days) AS pay,
      sum(late_amount_days_sq) AS late_sq, sum(pay_amount_days_sq) AS pay_sq
    FROM forecast_payment_groups WHERE month >= ${fromMonth} AND month <= ${toMonth}
    GROUP BY group_key`.execute(db);
  for (const row of groupRows.rows) {
    if (row.group_key === "") company = behaviourOf(row);
    else byGrade.set(row.group_key.slice("grade:".length), behaviourOf(row));
  }
  return { byCustomer, byGrade, company };
}

/** Open invoices at the end of asOf, one object each: `open_items`, or the open runs for a date before the latest document. */
async function openInvoicesBefore(db: Db, scope: ForecastScopeFilter, asOf: IsoDate): Promise<OpenInvoice[]> {
  const latest = await sql<{ last: string | null }>`
    SELECT max(last_document_date) AS last FROM status_customer_dates WHERE ${inScope("customer_id", scope)}`.execute(db);
  const last = latest.rows[0]?.last ?? null;
  if (last === null || last <= asOf) {
    const rows = await sql<OpenInvoice>`
      SELECT customer_id AS "customerId", due_date AS "dueDate", open_amount AS "open" FROM open_items
      WHERE open_amount > 0 AND issue_date <= ${asOf} AND ${inScope("customer_id", scope)}`.execute(db);
    return rows.rows;
  }
  const rows = await sql<OpenInvoice>`
    SELECT customer_id AS "customerId", due_date AS "dueDate", open_amount AS "open" FROM status_open_runs
    WHERE from_day <= ${asOf} AND to_day >= ${asOf} AND open_amount > 0 AND ${inScope("customer_id", scope)}`.execute(db);
  return rows.rows;
}

/** The forecast of a scope as of a date (the job's tables built), read and computed as before. */
export async function forecastBefore(db: Db, filter: ForecastScopeFilter, asOf: IsoDate, weeks: number): Promise<{ forecast: Forecast; invoices: OpenInvoice[] }> {
  const lastFullMonth = addMonths(`${asOf.slice(0, 7)}-01`, -1).slice(0, 7);
  const [lags, customers, invoices, promises, history, firstSales] = await Promise.all([
    paymentLags(db, filter.kind === "grade" ? filter.grade : null, addMonths(`${asOf.slice(0, 7)}-01`, -(CURVE_COHORTS + 15)).slice(0, 7), lastFullMonth, true),
    forecastCustomers(db, filter, asOf),
    openInvoicesBefore(db, filter, asOf),
    openPromisesAt(db, filter, asOf),
    scopeHistory(db, filter, asOf),
    ledgerFirstSalesMonth(db),
  ]);
  // the months of payments as the forecast now takes them (a young ledger's run-in left out)
  const firstSalesMonth = firstSales ?? firstMonthWithSales(history.sales);
  const { fromMonth, toMonth } = behaviourMonths(asOf, firstSalesMonth, lags ? cohortCurve(lags, asOf, CURVE_READ_DAYS) : null);
  const behaviour = await paymentBehaviourBefore(db, filter, fromMonth, toMonth);
  const forecast = computeForecastBefore({
    asOf,
    weeks,
    customers,
    invoices,
    promises,
    behaviour: behaviour.byCustomer,
    gradeBehaviour: behaviour.byGrade,
    companyBehaviour: behaviour.company,
    positions: history.positions,
    writeOffPositions: history.writeOffPositions,
    sales: history.sales,
    lagCohorts: lags,
    lagGrade: filter.kind === "grade" ? filter.grade : null,
    trailingCollected: filter.kind === "customer" ? undefined : history.trailingCollected,
    behaviourWindow: { fromMonth, toMonth, firstSalesMonth },
  });
  return { forecast, invoices };
}
