/**
 * The forecast's second reading of what is already invoiced, and where it takes the first reading's
 * place. Pure.
 *
 * The open invoices, one by one, say when each should come in (forecast.ts). The second reading
 * does not look at which invoice is open: the sales of each past day are settled as the collection
 * curve says for invoices of their age, held to what really came in (collections over the last 13
 * weeks ÷ what the curve says those weeks should have brought: the curve counts invoices settled
 * in full, collections also count part-payments and offsets). Over the next 13 weeks, fading to
 * none over the 13 after, the open book's figures are the curve's reading for the customers not
 * shown apart and the amounts not promised, never more in all than they have open; the months
 * after are the invoices' reading. The curve does not know the customers shown apart: theirs stays
 * the invoices' reading at half probability, scaled down as far as the curve's reading of the rest
 * falls short of the invoices' (their invoices run ahead as the others' do), never up; the range's
 * high end lets them pay in full. Promises keep their day.
 *
 * Why the curve's: on every ledger the backtest reads (npm run forecast:backtest) it came closer
 * to what came in than the invoices' reading. The invoices' reading rests on each customer's days
 * late, measured on the few invoices it paid in a year (often 5 to 15): noise that puts an invoice
 * whose window is nearly over days from now; and on ledgers whose payments often name no invoice
 * and settle the oldest items, what looks open on the newer invoices was often paid already. The
 * invoices' reading still ranks the customers (the push planner's chase list), scaled as the weeks
 * count it.
 *
 * The new sales are paid by the same curve, so they are held by the same hold over the whole
 * horizon, above one or below, never so far that the curve's total share of an invoice comes to
 * more than all of it (newSalesHold; the curve may count less than all: an invoice part-paid never
 * counts as settled). A hold outside HELD_MIN–HELD_MAX says the collections were not the invoiced
 * sales' pace, and a book of fewer than CURVE_MIN_INVOICES open invoices (of the customers not shown
 * apart, not wholly promised) is read better one by one than as a share of sales: the curve's
 * reading is left out.
 */
import { daysInMonth, toEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

/** Days of collections the curve is held to, and over which its reading takes the open book's place: 13 weeks. */
export const TRAILING_DAYS = 91;
/**
 * The hold (collected ÷ what the curve says) the rule trusts. Outside it the last 13 weeks'
 * collections are not the invoiced sales' pace: far above, they include an old backlog (an
 * instalment plan, a recovered bad debt); far below, a payer who stopped. Then the rule is left out.
 */
export const HELD_MIN = 0.3;
export const HELD_MAX = 1.5;
/**
 * Open invoices from which the curve's reading stands for the book: a share of each day's sales
 * paid on each day is what many invoices do together; a few are read better one by one.
 */
export const CURVE_MIN_INVOICES = 50;

/**
 * Sales invoiced on each of `days` days up to asOf, index i = asOf − i: each month's sales evenly
 * over its days, asOf's month (its sales through asOf) over its days through asOf.
 */
export function invoicedByDay(sales: ReadonlyMap<string, number>, asOf: IsoDate, days: number): Float64Array {
  const invoiced = new Float64Array(days);
  const asOfDay = toEpochDay(asOf);
  const asOfMonth = asOf.slice(0, 7);
  for (const [month, amount] of sales) {
    if (month > asOfMonth || amount === 0) continue;
    const first = toEpochDay(`${month}-01`);
    const length = month === asOfMonth ? asOfDay - first + 1 : daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
    for (let d = 0; d < length; d++) {
      const i = asOfDay - (first + d);
      if (i >= 0 && i < days) invoiced[i] = (invoiced[i] ?? 0) + amount / length;
    }
  }
  return invoiced;
}

export interface SettledFromInvoiced {
  /** what the curve says the sales invoiced through asOf bring on each day after it (index 0 = asOf + 1) */
  ahead: Float64Array;
  /** what it says the sales invoiced by each day brought over the `trailing` days through asOf, summed */
  before: number;
}

/**
 * The invoiced sales (invoicedByDay) settled by the curve's shares of each day after issue (index =
 * days, lag 0 the day of issue): on the `horizon` days after asOf, and over the `trailing` days
 * through it.
 */
export function settledFromInvoiced(invoiced: Float64Array, lags: ArrayLike<number>, trailing: number, horizon: number): SettledFromInvoiced {
  const ahead = new Float64Array(horizon);
  for (let i = 0; i < invoiced.length; i++) {
    const amount = invoiced[i] ?? 0;
    if (amount === 0) continue;
    // issued on asOf − i, settled on asOf + 1 + d: d + 1 + i days after issue
    for (let d = 0; d < horizon && d + 1 + i < lags.length; d++) ahead[d] = (ahead[d] ?? 0) + amount * (lags[d + 1 + i] ?? 0);
  }
  let before = 0;
  for (let j = 0; j < trailing; j++) {
    // day asOf − j: what was issued on it or before, i − j days earlier
    for (let i = j; i < invoiced.length && i - j < lags.length; i++) before += (invoiced[i] ?? 0) * (lags[i - j] ?? 0);
  }
  return { ahead, before };
}

export interface PaceReading {
  /** collected in the TRAILING_DAYS through asOf */
  collected: number;
  /** what the curve says the invoiced sales brought in those days */
  curveSaid: number;
  /** collected ÷ curveSaid: the curve held to the money */
  held: number;
  /** the next `days` days' collections of the open book, invoice by invoice */
  bookAhead: number;
  /** the same as the curve reads the invoiced sales, held */
  curveAhead: number;
  /** the curve's reading's share of the open book's figures over the first 13 weeks: 1, or 0 when the hold is implausible or the book small */
  weight: number;
}

/** Whether the figures take the curve's reading (what the notes and the page then say). */
export function curveRead(pace: PaceReading | null): pace is PaceReading {
  return pace !== null && pace.weight > 0;
}

/**
 * The curve's reading held to the money, and its weight (see the module's note): 1, or 0 when the
 * hold is outside HELD_MIN–HELD_MAX or fewer than CURVE_MIN_INVOICES invoices are open (`invoices`:
 * the customers not shown apart's, not wholly promised); null when there is nothing to hold the curve to.
 */
export function paceReading(input: { collected: number; fromInvoiced: SettledFromInvoiced; bookAhead: number; days: number; invoices: number }): PaceReading | null {
  const { collected, fromInvoiced, bookAhead, days, invoices } = input;
  const curveSaid = fromInvoiced.before;
  if (!(collected > 0) || !(curveSaid > 0)) return null;
  const held = collected / curveSaid;
  let ahead = 0;
  for (let d = 0; d < Math.min(days, fromInvoiced.ahead.length); d++) ahead += fromInvoiced.ahead[d] ?? 0;
  const curveAhead = held * ahead;
  const weight = held >= HELD_MIN && held <= HELD_MAX && invoices >= CURVE_MIN_INVOICES ? 1 : 0;
  return { collected, curveSaid, held, bookAhead, curveAhead, weight };
}

/**
 * The share of the weight on day d after asOf (0 = asOf + 1): all of it over the TRAILING_DAYS the
 * hold was measured on, then less by equal steps to none TRAILING_DAYS later. Beyond the
 * days it was measured on the weight says nothing, and the invoices' slow collection of overdue
 * items (months 4–12) is theirs; the fade, not a cut, keeps the weeks after the 13th from jumping.
 */
export function taper(d: number): number {
  if (d < TRAILING_DAYS) return 1;
  return Math.max(0, 1 - (d - TRAILING_DAYS + 1) / TRAILING_DAYS);
}

/**
 * The daily figures with the curve's reading in (in place; the caller leaves a weight of 0 out):
 * the open book's of the customers not shown apart from it (`ahead`: their share of it, held
 * here), fading after the first TRAILING_DAYS (taper), never more in all than `open` (what they
 * have open, not promised); the customers shown apart's scaled down as far as the curve's reading
 * falls short of the invoices' over the first 13 weeks (pace.curveAhead ÷ pace.bookAhead), with the
 * same fade, never up; the new sales × `newSalesHold` throughout.
 */
export function weighInPace(
  days: { safe: Float64Array; apart: Float64Array; newSales: Float64Array },
  pace: PaceReading,
  ahead: Float64Array,
  open: number,
  newSalesHold: number,
): void {
  const { safe, apart, newSales } = days;
  let total = 0;
  for (let d = 0; d < safe.length; d++) {
    const w = taper(d);
    safe[d] = (1 - w) * (safe[d] ?? 0) + w * pace.held * (ahead[d] ?? 0);
    total += safe[d] ?? 0;
  }
  if (total > open) for (let d = 0; d < safe.length; d++) safe[d] = total > 0 ? ((safe[d] ?? 0) * open) / total : 0;
  const short = pace.bookAhead > 0 ? Math.min(1, pace.curveAhead / pace.bookAhead) : 1;
  if (short < 1) for (let d = 0; d < apart.length; d++) apart[d] = (1 - taper(d) * (1 - short)) * (apart[d] ?? 0);
  if (newSalesHold !== 1) for (let d = 0; d < newSales.length; d++) newSales[d] = newSalesHold * (newSales[d] ?? 0);
}

/**
 * What the new sales are held by: the hold, but never so far that the curve's total share of an
 * invoice (lags summed) comes to more than all of it.
 */
export function newSalesHold(held: number, lags: ArrayLike<number>): number {
  let total = 0;
  for (let d = 0; d < lags.length; d++) total += lags[d] ?? 0;
  return total > 0 ? Math.min(held, 1 / total) : Math.min(held, 1);
}

/** The open book's expected collections by day after asOf (index 0 = asOf + 1) and the new sales'. */
export interface ExpectedDays {
  /** the customers not shown apart, promised amounts left out */
  safe: Float64Array;
  /** the customers shown apart, promised amounts left out */
  apart: Float64Array;
  /** what promises to pay and instalments cover, of each kind of customer */
  promisedSafe: Float64Array;
  promisedApart: Float64Array;
  newSales: Float64Array;
}

export interface Weighed {
  pace: PaceReading | null;
  /**
   * The unpromised open book's expected within the horizon with the curve's reading ÷ without it,
   * of the customers not shown apart: each such customer's unpromised expected × this adds up to
   * what the weeks and months count. One factor for every such customer: the curve's reading does
   * not know which customer an amount is from.
   */
  factor: number;
  /** the same of the customers shown apart (at most 1) */
  apartFactor: number;
  /** the customers shown apart's expected by day as their invoices (and promises) say, not scaled: the range's high end lets them pay in full */
  apartAsInvoiced: Float64Array;
}

/**
 * The curve's reading of the invoiced sales read, put in (in place) and the promised amounts added
 * back: promises keep their day. The curve reads the whole open book, promised parts and the
 * customers shown apart too, so its reading of the customers not shown apart is scaled by their
 * unpromised share of what the open book is expected to bring within the horizon. `invoices` and
 * `open`: the customers not shown apart's open invoices not wholly promised, and their amount not
 * promised.
 */
export function weighInCurve(
  days: ExpectedDays,
  read: {
    sales: ReadonlyMap<string, number>;
    asOf: IsoDate;
    lags: Float64Array | null;
    curveDays: number;
    trailingCollected: number | undefined;
    invoices: number;
    open: number;
  },
): Weighed {
  const { safe, apart, promisedSafe, promisedApart, newSales } = days;
  const horizon = safe.length;
  let safeBefore = 0;
  let apartBefore = 0;
  let promised = 0;
  for (let d = 0; d < horizon; d++) {
    safeBefore += safe[d] ?? 0;
    apartBefore += apart[d] ?? 0;
    promised += (promisedSafe[d] ?? 0) + (promisedApart[d] ?? 0);
  }
  const apartAsInvoiced = Float64Array.from(apart, (amount, d) => amount + (promisedApart[d] ?? 0));
  let pace: PaceReading | null = null;
  if (read.lags && read.trailingCollected !== undefined) {
    const invoiced = invoicedByDay(read.sales, read.asOf, read.curveDays + TRAILING_DAYS);
    const settled = settledFromInvoiced(invoiced, read.lags, TRAILING_DAYS, horizon);
    const book = safeBefore + apartBefore + promised;
    // nothing expected of the open book: the curve's reading of it is nothing too
    const share = book > 0 ? safeBefore / book : 0;
    const fromInvoiced = { before: settled.before, ahead: settled.ahead.map((amount) => amount * share) };
    let bookAhead = 0;
    for (let d = 0; d < Math.min(TRAILING_DAYS, horizon); d++) bookAhead += safe[d] ?? 0;
    pace = paceReading({ collected: read.trailingCollected, fromInvoiced, bookAhead, days: Math.min(TRAILING_DAYS, horizon), invoices: read.invoices });
    if (curveRead(pace)) weighInPace({ safe, apart, newSales }, pace, fromInvoiced.ahead, read.open, newSalesHold(pace.held, read.lags));
  }
  let safeAfter = 0;
  let apartAfter = 0;
  for (let d = 0; d < horizon; d++) {
    safeAfter += safe[d] ?? 0;
    apartAfter += apart[d] ?? 0;
    safe[d] = (safe[d] ?? 0) + (promisedSafe[d] ?? 0);
    apart[d] = (apart[d] ?? 0) + (promisedApart[d] ?? 0);
  }
  return { pace, factor: safeBefore > 0 ? safeAfter / safeBefore : 1, apartFactor: apartBefore > 0 ? apartAfter / apartBefore : 1, apartAsInvoiced };
}
