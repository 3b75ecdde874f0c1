/**
 * The demo receivables ledger: about 200 customers and four and a half years of invoices,
 * payments and adjustments, generated from a seed. Pure code, no database, no clock: the same
 * options always give byte-identical output.
 *
 * The story it tells is the seed review's (逾期账款管理评审工作总结), and it tells it on any date:
 * the ledger starts on 1 July four years before today's year, so the three complete years before
 * this one all have an opening position. Overdue receivables build up until the end of the year
 * before last (slow payers drift 1-4 months late, a few large debtors stop paying and are put on
 * hold), then fall through the last complete year thanks to a collection drive: slow payers catch
 * up, and the big debtors are worked one by one with a repayment agreement (还款协议), a lawyer's
 * letter (律师函), a three-way offset (三方抹账), a write-off (坏账核销), while one of them still
 * does not answer. This year keeps the drive's gains. The demo's fiscal year is the calendar
 * year (the installation's default).
 *
 * Determinism: randomness comes from mulberry32 streams forked per customer, and floats only
 * meet + - * / sqrt (exactly rounded by IEEE 754) and floor/ceil/round, never exp/log/pow, whose
 * last bits may differ between JavaScript engines. Dates are integer epoch days inside.
 */
import {
  datePartsOf,
  daysInMonth,
  fromEpochDay,
  isoDate,
  isValidIsoDate,
  toEpochDay,
} from "../../app/kernel/dates";
import type {
  AdjustmentRecord,
  AdjustmentType,
  CustomerRecord,
  InvoiceRecord,
  IsoDate,
  LedgerSnapshot,
  PaymentRecord,
} from "../../app/kernel/ledger/types";

export interface DemoLedgerOptions {
  /** The demo's "today": no document is dated later. */
  today: IsoDate;
  /** Staff emails; each customer gets one of them as its owner (none: owner left empty). */
  owners: string[];
  customerCount?: number;
  seed?: number;
}

export const DEFAULT_DEMO_CUSTOMER_COUNT = 200;
/** The seed review's year-start overdue, in 万元: any number would do, this one is a nod. */
export const DEFAULT_DEMO_SEED = 9649;

/** Sales regions as the department names them; 海外 holds the export customers. */
export const DEMO_REGIONS = ["华东", "华北", "华南", "华中", "西南", "海外"] as const;
export type DemoRegion = (typeof DEMO_REGIONS)[number];

// ---------------------------------------------------------------- money and days

/** Minor units (fen) per yuan, and per 万元: repayments are agreed in round 万. */
const YUAN = 100;
const WAN = 10_000 * YUAN;

const MIN_INVOICE = 3_000 * YUAN;
const MAX_INVOICE = 3_000_000 * YUAN;
/** Average yearly sales per customer: 200 customers bill about 5 亿元 a year. */
const ANNUAL_SALES_PER_CUSTOMER_YUAN = 2_400_000;

/** An epoch day (days since 1970-01-01); turned into an ISO date only on output. */
type Day = number;

const roundDownTo = (amount: number, unit: number) => Math.floor(amount / unit) * unit;
const roundUpTo = (amount: number, unit: number) => Math.ceil(amount / unit) * unit;

// ---------------------------------------------------------------- seeded randomness

/** mulberry32: tiny and fast, plenty for demo data. Returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to turn "seed + label" into an independent stream's seed. */
function hashLabel(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i += 1) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  /** A separate stream per customer, so tuning one behaviour does not reshuffle all the others. */
  static fork(seed: number, label: string): Rng {
    return new Rng(hashLabel(seed, label));
  }

  float(): number {
    return this.next();
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return at(choices, choices.length - 1)[0];
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
    }
    return copy;
  }
}

// ---------------------------------------------------------------- the calendar of the story

interface Timeline {
  today: Day;
  /** First day of the ledger: 1 July four years before today's year. */
  start: Day;
  /** 1 January of last year: the year of the collection drive, the last complete one. */
  driveYearStart: Day;
  /** 31 December of last year. */
  driveYearEnd: Day;
  /** The drive starts after the year-end review of the year before. */
  driveStart: Day;
}

/** Slow payers reach their drive-time lateness over this many days. */
const DRIVE_RAMP_DAYS = 120;

/** The first day of the demo ledger for `today`: 1 July four years before today's year. */
export function demoLedgerStart(today: IsoDate): IsoDate {
  return isoDate(datePartsOf(today).year - 4, 7, 1);
}

function timelineFor(today: IsoDate): Timeline {
  const { year } = datePartsOf(today);
  const driveYearStart = toEpochDay(isoDate(year - 1, 1, 1));
  return {
    today: toEpochDay(today),
    start: toEpochDay(demoLedgerStart(today)),
    driveYearStart,
    driveYearEnd: toEpochDay(isoDate(year - 1, 12, 31)),
    driveStart: driveYearStart + 14,
  };
}

/** A day of the drive year at `fraction` of the way from its third week to its last day. */
function dayIntoDriveYear(timeline: Timeline, fraction: number): Day {
  const first = timeline.driveYearStart + 20;
  return first + Math.round(fraction * (timeline.driveYearEnd - first));
}

function partsOfDay(day: Day) {
  return datePartsOf(fromEpochDay(day));
}

/** The 1st of every month touching [start, end], as epoch days. */
function monthsBetween(start: Day, end: Day): { first: Day; days: number; month: number }[] {
  const months: { first: Day; days: number; month: number }[] = [];
  let { year, month } = partsOfDay(start);
  for (;;) {
    const first = toEpochDay(isoDate(year, month, 1));
    if (first > end) return months;
    months.push({ first, days: daysInMonth(year, month), month });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** Sales by calendar month: the Spring Festival dip, a mid-year bump and the year-end peak. */
/** `items[index]` for an index the generator computed within the list: a bug otherwise, so it throws. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`demo ledger: index ${index} outside a list of ${items.length}`);
  return item;
}

const SEASONALITY = [1.05, 0.6, 0.95, 1.0, 1.0, 1.1, 0.95, 0.9, 1.05, 1.05, 1.2, 1.45];
const SEASONALITY_MEAN = SEASONALITY.reduce((sum, factor) => sum + factor, 0) / 12;

// ---------------------------------------------------------------- customers

type Behaviour = "good" | "slow" | "bad" | "prepaying";
type SlowStyle = "referenced" | "lumpSum";
/**
 * How the drive year's collection drive works on one big debtor, after the seed review's measures;
 * handed out largest debtor first (the leadership visits the largest).
 */
type Recovery = "agreement" | "offset" | "lawyer" | "writeOff" | "stalled";
const RECOVERIES: readonly Recovery[] = ["agreement", "offset", "lawyer", "writeOff", "stalled"];

interface DemoCustomer {
  record: CustomerRecord;
  behaviour: Behaviour;
  /** Expected sales per month (yuan), before seasonality. */
  monthlySales: number;
  /** Expected invoices per month, before seasonality. */
  invoicesPerMonth: number;
  slowStyle: SlowStyle;
  /** Days late before and after the drive (slow payers). */
  latenessBefore: number;
  latenessAfter: number;
  /** Also one of our suppliers: balances are netted (冲抵) every quarter. */
  mutualSupplier: boolean;
  /** Bad payers: from this day on, cash before delivery (款到发货). */
  holdDay: Day | null;
  recovery: Recovery | null;
  rng: Rng;
}

/** Name parts, written as one line each; `words` splits on spaces, `phrases` on commas. */
const words = (list: string) => list.split(" ");
const phrases = (list: string) => list.split(", ");

const CITIES: Record<DemoRegion, readonly string[]> = {
  华东: words("上海 杭州 苏州 无锡 南京 宁波 常州 合肥 济南 青岛 温州 扬州"),
  // The north team also covers the north-east (大连, 长春, 哈尔滨), as in the seed review.
  华北: words("北京 天津 石家庄 唐山 沧州 保定 太原 大连 沈阳 长春 哈尔滨"),
  华南: words("广州 深圳 佛山 东莞 厦门 珠海 南宁 柳州 福州 泉州"),
  华中: words("武汉 长沙 郑州 襄阳 十堰 南昌 洛阳 株洲"),
  西南: words("重庆 成都 昆明 贵阳 绵阳 遵义 宜宾"),
  海外: [],
};
const TRADE_NAMES = words(
  "恒通 宏达 华信 永盛 鑫源 瑞丰 天成 中联 金源 博远 精工 联创 新宇 海通 德力 凯瑞 富华 安达 " +
    "远航 顺昌 启明 鼎盛 华泰 通达 长风 万隆 力拓 嘉禾 宏图 汇通 正兴 东升 金鹏 同创 骏马 方圆"
);
const INDUSTRIES = words(
  "机电设备 汽车零部件 客车 专用汽车 机械制造 精密铸造 电气 液压件 轴承 工程机械 动力科技 " +
    "新能源科技 橡塑制品 汽车空调 车桥 物资贸易"
);
const COMPANY_SUFFIXES = [
  ["有限公司", 60],
  ["股份有限公司", 25],
  ["集团有限公司", 8],
  ["有限责任公司", 7],
] as const;
const EXPORT_NAMES = words(
  "Northstar Pacific Andes Volga Mekong Sahara Anatolia Baltic Caspian Danube Gulf Horizon " +
    "Indus Kalahari Lagos Maple Nile Pampas Savanna Tasman Ural Zambezi"
);
const EXPORT_INDUSTRIES = phrases(
  "Motors, Auto Parts, Transport, Bus, Trucks, Machinery, Engineering, Fleet Services"
);
const EXPORT_SUFFIXES = phrases("Ltd., LLC, GmbH, S.A., Pte. Ltd., FZE, Sdn. Bhd., JSC");

const REGION_WEIGHTS: Record<DemoRegion, number> = {
  华东: 30,
  华北: 22,
  华南: 18,
  华中: 12,
  西南: 10,
  海外: 8,
};

function domesticName(region: DemoRegion, rng: Rng): string {
  const suffix = rng.weighted(COMPANY_SUFFIXES);
  return `${rng.pick(CITIES[region])}${rng.pick(TRADE_NAMES)}${rng.pick(INDUSTRIES)}${suffix}`;
}

function exportName(rng: Rng): string {
  return `${rng.pick(EXPORT_NAMES)} ${rng.pick(EXPORT_INDUSTRIES)} ${rng.pick(EXPORT_SUFFIXES)}`;
}

function companyName(region: DemoRegion, rng: Rng, taken: Set<string>): string {
  for (let attempt = 0; ; attempt += 1) {
    const name = region === "海外" ? exportName(rng) : domesticName(region, rng);
    // After many clashes (only with thousands of customers) a branch number keeps names unique.
    const unique = attempt < 50 ? name : `${name} (${attempt})`;
    if (!taken.has(unique)) {
      taken.add(unique);
      return unique;
    }
  }
}

/** Regions in the weights' proportions (largest remainder), then shuffled: stable shares. */
function regionsFor(count: number, rng: Rng): DemoRegion[] {
  const totalWeight = DEMO_REGIONS.reduce((sum, region) => sum + REGION_WEIGHTS[region], 0);
  const quotas = DEMO_REGIONS.map((region) => (count * REGION_WEIGHTS[region]) / totalWeight);
  const counts = quotas.map(Math.floor);
  const byRemainder = DEMO_REGIONS.map((_, i) => i).sort(
    (a, b) => at(quotas, b) - at(counts, b) - (at(quotas, a) - at(counts, a)) || a - b
  );
  for (let i = 0; counts.reduce((sum, n) => sum + n, 0) < count; i += 1) {
    const region = at(byRemainder, i % byRemainder.length);
    counts[region] = at(counts, region) + 1;
  }
  return rng.shuffle(
    DEMO_REGIONS.flatMap((region, i) => Array<DemoRegion>(at(counts, i)).fill(region))
  );
}

/**
 * Field staff (驻外人员) cover one or two home regions each; with more staff than regions,
 * several share one.
 */
function ownersByRegion(owners: readonly string[]): Map<DemoRegion, string[]> {
  const map = new Map<DemoRegion, string[]>(DEMO_REGIONS.map((region) => [region, []]));
  if (owners.length === 0) return map;
  // the map has every region (made from DEMO_REGIONS above)
  DEMO_REGIONS.forEach((region, i) => map.get(region)!.push(at(owners, i % owners.length)));
  for (let i = DEMO_REGIONS.length; i < owners.length; i += 1) {
    // the map has every region (made from DEMO_REGIONS above)
    map.get(at(DEMO_REGIONS, i % DEMO_REGIONS.length))!.push(at(owners, i));
  }
  return map;
}

function ownerFor(
  region: DemoRegion,
  owners: readonly string[],
  byRegion: Map<DemoRegion, string[]>,
  rng: Rng
): string | null {
  if (owners.length === 0) return null;
  // Most accounts belong to the region's own staff; a few follow a person who moved on.
  return rng.chance(0.88) ? rng.pick(byRegion.get(region)!) : rng.pick(owners);
}

/**
 * Who behaves how. Key accounts (the three largest) pay well, as 哈轻, 金杯 and 福田 do in the
 * seed; the big debtors are large but not the largest; prepayers are export customers when
 * there are some (T/T in advance).
 */
function assignBehaviours(
  sizeRanks: readonly number[],
  regions: readonly DemoRegion[],
  rng: Rng
): Behaviour[] {
  const count = sizeRanks.length;
  const behaviours: Behaviour[] = Array<Behaviour>(count).fill("good");
  const free = (i: number) => behaviours[i] === "good" && at(sizeRanks, i) > 3;
  const indices = rng.shuffle(sizeRanks.map((_, i) => i));

  const prepayCount = count >= 10 ? 2 : 1;
  const prepayers = [
    ...indices.filter((i) => regions[i] === "海外" && at(sizeRanks, i) > count / 3),
    ...indices.filter((i) => at(sizeRanks, i) > count / 2),
  ];
  for (const i of prepayers.filter(free).slice(0, prepayCount)) behaviours[i] = "prepaying";

  const badCount = Math.max(1, Math.round(count * 0.035));
  const largeButNotKey = indices.filter((i) => at(sizeRanks, i) <= Math.max(8, count * 0.12));
  for (const i of [...largeButNotKey, ...indices].filter(free).slice(0, badCount))
    behaviours[i] = "bad";

  const slowCount = Math.round(count * 0.3);
  for (const i of indices.filter(free).slice(0, slowCount)) behaviours[i] = "slow";
  return behaviours;
}

const GRADES_BY_BEHAVIOUR: Record<Behaviour, readonly (readonly [string, number])[]> = {
  good: [
    ["A", 50],
    ["B", 40],
    ["C", 10],
  ],
  slow: [
    ["A", 5],
    ["B", 40],
    ["C", 45],
    ["D", 10],
  ],
  bad: [
    ["C", 30],
    ["D", 70],
  ],
  prepaying: [["B", 1]],
};
/** Credit limit in months of sales on top of the payment terms, by grade. */
const LIMIT_FACTOR: Record<string, number> = { A: 1.5, B: 1.2, C: 1.0, D: 0.5 };
function limitFactor(grade: string): number {
  const factor = LIMIT_FACTOR[grade];
  if (factor === undefined) throw new Error(`no credit limit factor for grade ${grade}`);
  return factor;
}

function creditGradeFor(behaviour: Behaviour, rng: Rng): string | null {
  // Prepayers need no credit; a few new accounts are not graded yet.
  if (behaviour === "prepaying" || rng.chance(0.04)) return null;
  return rng.weighted(GRADES_BY_BEHAVIOUR[behaviour]);
}

function paymentTermsFor(region: DemoRegion, grade: string | null, rng: Rng): number {
  if (region === "海外") return rng.pick([60, 90]);
  if (grade === "A")
    return rng.weighted([
      [30, 20],
      [60, 50],
      [90, 30],
    ]);
  return rng.weighted([
    [30, 45],
    [60, 40],
    [90, 15],
  ]);
}

function creditLimitFor(grade: string | null, monthlySales: number, terms: number): number | null {
  if (grade === null) return null;
  const yuan = monthlySales * (terms / 30 + 1) * limitFactor(grade);
  return Math.max(100_000 * YUAN, roundUpTo(Math.round(yuan * YUAN), 100_000 * YUAN));
}

function planCustomers(
  count: number,
  owners: readonly string[],
  seed: number,
  timeline: Timeline
): DemoCustomer[] {
  const rng = Rng.fork(seed, "customers");
  const regions = regionsFor(count, rng);
  // Sales follow a Zipf-like curve over a shuffled rank: a few key accounts, a long tail.
  const sizeRanks = rng.shuffle(regions.map((_, i) => i + 1));
  const harmonic = sizeRanks.reduce((sum, rank) => sum + 1 / (rank + 3), 0);
  const behaviours = assignBehaviours(sizeRanks, regions, rng);
  const byRegion = ownersByRegion(owners);
  const names = new Set<string>();
  const customers: DemoCustomer[] = [];
  // The big debtors, largest first: put on hold one after another, each with its own recovery.
  const badByRank = sizeRanks
    .map((rank, i) => ({ rank, i }))
    .filter(({ i }) => behaviours[i] === "bad")
    .sort((a, b) => a.rank - b.rank)
    .map(({ i }) => i);

  for (let i = 0; i < count; i += 1) {
    const code = `C${String(i + 1).padStart(4, "0")}`;
    const own = Rng.fork(seed, code);
    const region = at(regions, i);
    const behaviour = at(behaviours, i);
    const annualSales =
      ((ANNUAL_SALES_PER_CUSTOMER_YUAN * count) / harmonic / (at(sizeRanks, i) + 3)) *
      own.between(0.8, 1.2);
    const monthlySales = annualSales / 12;
    const grade = creditGradeFor(behaviour, own);
    const terms = paymentTermsFor(region, grade, own);
    const isBad = behaviour === "bad";
    const badIndex = badByRank.indexOf(i);
    const holdDay = isBad ? holdDayFor(badIndex, badByRank.length, timeline, own) : null;
    const recovery = isBad ? at(RECOVERIES, badIndex % RECOVERIES.length) : null;
    customers.push({
      record: {
        code,
        name: companyName(region, own, names),
        region,
        ownerEmail: ownerFor(region, owners, byRegion, own),
        creditGrade: grade,
        creditLimit: creditLimitFor(grade, monthlySales, terms),
        paymentTermsDays: terms,
      },
      behaviour,
      monthlySales,
      // Bigger customers buy more often and in bigger lots: count grows with the square root.
      invoicesPerMonth: Math.sqrt(monthlySales / 9_000),
      slowStyle: own.chance(0.4) ? "lumpSum" : "referenced",
      latenessBefore: own.between(35, 120),
      latenessAfter: own.weighted([
        [own.between(3, 30), 55],
        [own.between(30, 75), 35],
        [own.between(75, 120), 10],
      ]),
      mutualSupplier: false,
      holdDay,
      recovery,
      rng: own,
    });
  }
  // A few slow payers are also our suppliers: their debt is netted against our purchases.
  const slow = customers.filter((customer) => customer.behaviour === "slow");
  for (const customer of slow.slice(0, Math.max(1, Math.round(count * 0.015))))
    customer.mutualSupplier = true;
  return customers;
}

/** Holds spread from six months into the ledger to early in the drive year. */
function holdDayFor(index: number, count: number, timeline: Timeline, rng: Rng): Day {
  const first = timeline.driveYearStart - 240;
  const last = timeline.driveYearStart + 60;
  const fraction = count === 1 ? 0.5 : index / (count - 1);
  return Math.min(timeline.today, first + Math.round(fraction * (last - first)) + rng.int(-10, 10));
}

// ---------------------------------------------------------------- invoices

interface InvoiceDraft {
  customerCode: string;
  issue: Day;
  due: Day;
  amount: number;
  invoiceNo: string;
  /** What the generator's own book says is still owed (sizes later payments). */
  remaining: number;
  /** Paid on the day it is issued (款到发货). */
  cashBeforeDelivery: boolean;
  /** Kept open at today so the due-today / due-soon / just-overdue cases always exist. */
  heldOpen: boolean;
}

function invoiceDraft(
  customer: DemoCustomer,
  issue: Day,
  amount: number,
  flags: Partial<InvoiceDraft> = {}
): InvoiceDraft {
  return {
    customerCode: customer.record.code,
    issue,
    due: issue + customer.record.paymentTermsDays,
    amount,
    invoiceNo: "",
    remaining: amount,
    cashBeforeDelivery: false,
    heldOpen: false,
    ...flags,
  };
}

/** A few thousand yuan to a few million, skewed small, with the odd project order. */
function invoiceAmount(averageYuan: number, rng: Rng): number {
  const skew = 0.3 + 2.1 * rng.float() * rng.float();
  const project = rng.chance(0.015) ? rng.between(5, 15) : 1;
  const yuan = Math.min(
    MAX_INVOICE / YUAN,
    Math.max(MIN_INVOICE / YUAN, averageYuan * skew * project)
  );
  return Math.round(yuan * YUAN);
}

/** Invoices month by month over the window, with seasonality and a little growth. */
function billCustomer(customer: DemoCustomer, timeline: Timeline): InvoiceDraft[] {
  const { rng } = customer;
  const invoices: InvoiceDraft[] = [];
  for (const { first, days, month } of monthsBetween(timeline.start, timeline.today)) {
    const from = Math.max(first, timeline.start);
    const to = Math.min(first + days - 1, timeline.today);
    const season = at(SEASONALITY, month - 1) / SEASONALITY_MEAN;
    const growth = 1 + (0.03 * (from - timeline.start)) / 365;
    const expected = customer.invoicesPerMonth * season * ((to - from + 1) / days);
    const averageYuan = (customer.monthlySales * growth) / customer.invoicesPerMonth;
    const count = Math.floor(expected * rng.between(0.75, 1.25) + rng.float());
    for (let n = 0; n < count; n += 1) {
      const issue = rng.int(from, to);
      const onHold = customer.holdDay !== null && issue >= customer.holdDay;
      // On hold, only small cash-before-delivery orders still go out.
      if (onHold && !rng.chance(0.3)) continue;
      invoices.push(
        invoiceDraft(customer, issue, invoiceAmount(averageYuan, rng), {
          cashBeforeDelivery: onHold,
        })
      );
    }
  }
  return invoices;
}

/**
 * A few invoices pinned around today so every aging boundary shows in the demo: due today
 * (not overdue), due in a few days, a few days to weeks overdue, and half a year or more.
 */
function invoicesDueAroundToday(
  customers: readonly DemoCustomer[],
  timeline: Timeline
): InvoiceDraft[] {
  const good = customers.filter((customer) => customer.behaviour === "good").slice(0, 3);
  const slow = customers
    .filter((customer) => customer.behaviour === "slow" && customer.slowStyle === "referenced")
    .slice(0, 2);
  const pinned: InvoiceDraft[] = [];
  const pin = (customer: DemoCustomer, daysFromToday: number) => {
    const issue = timeline.today + daysFromToday - customer.record.paymentTermsDays;
    if (issue < timeline.start || issue > timeline.today) return;
    const averageYuan = customer.monthlySales / customer.invoicesPerMonth;
    pinned.push(
      invoiceDraft(customer, issue, invoiceAmount(averageYuan, customer.rng), { heldOpen: true })
    );
  };
  good.forEach((customer, i) => {
    pin(customer, 0);
    pin(customer, 2 + 2 * i);
  });
  slow.forEach((customer, i) => pin(customer, -(5 + 12 * i)));
  // Disputed deliveries still unpaid half a year and more after their due date.
  slow.forEach((customer, i) => pin(customer, -(200 + 90 * i)));
  return pinned;
}

/** INV-YYYY-NNNNNN, numbered per year in date order as an ERP would. */
function numberInvoices(invoices: InvoiceDraft[]): InvoiceDraft[] {
  const sorted = [...invoices].sort(
    (a, b) =>
      a.issue - b.issue || compareText(a.customerCode, b.customerCode) || a.amount - b.amount
  );
  const perYear = new Map<number, number>();
  for (const invoice of sorted) {
    const year = partsOfDay(invoice.issue).year;
    const next = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, next);
    invoice.invoiceNo = `INV-${year}-${String(next).padStart(6, "0")}`;
  }
  return sorted;
}

// ---------------------------------------------------------------- one customer's book

type SettlementKind = "payment" | AdjustmentType;

interface SettlementDraft {
  kind: SettlementKind;
  customerCode: string;
  date: Day;
  amount: number;
  invoice: InvoiceDraft | null;
}

/**
 * The generator's own running view of one customer's account, so later payments can be sized
 * from what is actually owed. It follows KPIS.md section 3: named documents settle their
 * invoice, the rest (and any excess) goes to a pool applied oldest first.
 */
class CustomerBook {
  readonly settlements: SettlementDraft[] = [];
  private readonly invoices: InvoiceDraft[];
  private pool = 0;
  /** Invoices before this index are fully settled: the pool never looks back. */
  private firstOpen = 0;

  constructor(
    private readonly customerCode: string,
    invoices: readonly InvoiceDraft[],
    private readonly today: Day
  ) {
    // One customer has one payment term, so due order is issue order.
    this.invoices = [...invoices].sort(
      (a, b) => a.due - b.due || a.issue - b.issue || compareText(a.invoiceNo, b.invoiceNo)
    );
  }

  /** A document naming `invoice`; whatever exceeds what is owed on it joins the pool. */
  settle(kind: SettlementKind, date: Day, invoice: InvoiceDraft, amount: number): void {
    if (amount <= 0 || date > this.today) return;
    const applied = Math.min(amount, invoice.remaining);
    invoice.remaining -= applied;
    this.pool += amount - applied;
    this.settlements.push({ kind, customerCode: this.customerCode, date, amount, invoice });
    this.applyPool(date);
  }

  /** Settles what is still owed on `invoice`, if anything. */
  settleRemaining(kind: SettlementKind, date: Day, invoice: InvoiceDraft): void {
    this.settle(kind, date, invoice, invoice.remaining);
  }

  /** A document naming no invoice: straight into the pool. */
  lumpSum(kind: SettlementKind, date: Day, amount: number): void {
    if (amount <= 0 || date > this.today) return;
    this.pool += amount;
    this.settlements.push({ kind, customerCode: this.customerCode, date, amount, invoice: null });
    this.applyPool(date);
  }

  applyPool(date: Day): void {
    for (let i = this.firstOpen; i < this.invoices.length && this.pool > 0; i += 1) {
      const invoice = at(this.invoices, i);
      if (invoice.issue > date) break;
      const applied = Math.min(this.pool, invoice.remaining);
      invoice.remaining -= applied;
      this.pool -= applied;
    }
    while (this.firstOpen < this.invoices.length && at(this.invoices, this.firstOpen).remaining === 0) {
      this.firstOpen += 1;
    }
  }

  /** Owed at the end of `date` on invoices issued by then and due on or before `dueBy`. */
  owed(date: Day, dueBy: Day = Number.POSITIVE_INFINITY): number {
    let total = 0;
    for (let i = this.firstOpen; i < this.invoices.length; i += 1) {
      const invoice = at(this.invoices, i);
      if (invoice.issue > date) break;
      if (invoice.due <= dueBy) total += invoice.remaining;
    }
    return total;
  }

  /** Invoices issued by `date` with something still owed, oldest first. */
  openInvoices(date: Day): InvoiceDraft[] {
    return this.invoices
      .slice(this.firstOpen)
      .filter((invoice) => invoice.issue <= date && invoice.remaining > 0);
  }

  get unappliedCredit(): number {
    return this.pool;
  }
}

/**
 * Events of one customer's account, run in date order so that amounts sized from the book
 * (lump sums, instalments, offsets) see everything that happened before them.
 */
class Agenda {
  private readonly events: { day: Day; seq: number; run: () => void }[] = [];

  constructor(private readonly timeline: Timeline) {}

  at(day: Day, run: () => void): void {
    if (day > this.timeline.today) return;
    this.events.push({ day, seq: this.events.length, run });
  }

  run(book: CustomerBook): void {
    this.events.sort((a, b) => a.day - b.day || a.seq - b.seq);
    for (const event of this.events) {
      book.applyPool(event.day);
      event.run();
    }
  }
}

// ---------------------------------------------------------------- payer behaviours

/** One customer's account as its behaviour plans it: events go on the agenda, money in the book. */
interface Account {
  customer: DemoCustomer;
  invoices: readonly InvoiceDraft[];
  book: CustomerBook;
  agenda: Agenda;
  timeline: Timeline;
  rng: Rng;
}

/** A discount or return (红字发票/折让) on some invoices, a couple of weeks after issue. */
function maybeCreditNote({ book, agenda, rng }: Account, invoice: InvoiceDraft, chance: number) {
  if (!rng.chance(chance)) return;
  const amount = roundDownTo(invoice.amount * rng.between(0.02, 0.1), YUAN);
  const day = invoice.issue + rng.int(3, 25);
  agenda.at(day, () =>
    book.settle("credit_note", day, invoice, Math.min(amount, invoice.remaining))
  );
}

/** Good payers: on time or a little early, each payment naming its invoice. */
function planGoodPayer(account: Account): void {
  const { invoices, book, agenda, rng } = account;
  for (const invoice of invoices) {
    maybeCreditNote(account, invoice, 0.02);
    if (invoice.heldOpen) continue;
    const lateBy = rng.chance(0.88) ? rng.int(-12, 3) : rng.int(4, 25);
    const payDay = Math.max(invoice.issue, invoice.due + lateBy);
    // Now and then a payment is rounded up to the next hundred yuan: the excess joins the pool.
    const roundsUp = rng.chance(0.004);
    agenda.at(payDay, () => {
      if (invoice.remaining === 0) return;
      const amount = roundsUp ? roundUpTo(invoice.remaining + 1, 100 * YUAN) : invoice.remaining;
      book.settle("payment", payDay, invoice, amount);
    });
  }
}

/**
 * How late a slow payer is on `day`: drifting later and later until the drive (from under half
 * its worst at the ledger's start), then easing to its drive level within a few months.
 */
function latenessOn(customer: DemoCustomer, day: Day, timeline: Timeline): number {
  if (day <= timeline.driveStart) {
    const drift = (day - timeline.start) / (timeline.driveStart - timeline.start);
    return customer.latenessBefore * (0.4 + 0.6 * drift);
  }
  const progress = Math.min(1, (day - timeline.driveStart) / DRIVE_RAMP_DAYS);
  return customer.latenessBefore + (customer.latenessAfter - customer.latenessBefore) * progress;
}

/** The first day the invoice is as late as its customer is by then: the drive makes them catch up. */
function slowPayDay({ customer, timeline }: Account, due: Day, jitter: number): Day {
  let day = due + Math.floor(Math.min(customer.latenessBefore, customer.latenessAfter) * jitter);
  while (day - due < latenessOn(customer, day, timeline) * jitter && day <= timeline.today) {
    day += 1;
  }
  return day;
}

/** Slow payers who pay invoice by invoice: late, sometimes in two parts, now and then disputed. */
function planSlowReferenced(account: Account): void {
  const { invoices, book, agenda, rng } = account;
  for (const invoice of invoices) {
    maybeCreditNote(account, invoice, 0.03);
    if (invoice.heldOpen) continue;
    if (invoice.amount >= 50_000 * YUAN && rng.chance(0.02)) {
      planDispute(account, invoice);
      continue;
    }
    const payDay = slowPayDay(account, invoice.due, rng.between(0.7, 1.3));
    if (rng.chance(0.25)) {
      const firstPart = roundDownTo(invoice.amount * rng.between(0.3, 0.7), 1_000 * YUAN);
      const firstDay = Math.max(invoice.issue, payDay - rng.int(15, 45));
      agenda.at(firstDay, () =>
        book.settle("payment", firstDay, invoice, Math.min(firstPart, invoice.remaining))
      );
    }
    agenda.at(payDay, () => book.settleRemaining("payment", payDay, invoice));
  }
}

/** A quality dispute: months later a discount settles it and the rest is paid. */
function planDispute({ book, agenda, rng }: Account, invoice: InvoiceDraft): void {
  const resolved = invoice.due + rng.int(120, 420);
  const discount = roundDownTo(invoice.amount * rng.between(0.05, 0.2), YUAN);
  agenda.at(resolved, () =>
    book.settle("credit_note", resolved, invoice, Math.min(discount, invoice.remaining))
  );
  const paid = resolved + rng.int(7, 30);
  agenda.at(paid, () => book.settleRemaining("payment", paid, invoice));
}

/** Slow payers who send one round sum a month without saying what it pays. */
function planSlowLumpSum(account: Account): void {
  const { customer, invoices, book, agenda, timeline, rng } = account;
  for (const invoice of invoices) maybeCreditNote(account, invoice, 0.03);
  const payDayOfMonth = rng.int(5, 28);
  for (const { first, days } of monthsBetween(timeline.start, timeline.today)) {
    const day = first + Math.min(payDayOfMonth, days) - 1;
    if (day < timeline.start) continue;
    const jitter = rng.between(0.8, 1.2);
    agenda.at(day, () => {
      const owed = book.owed(day, day - Math.round(latenessOn(customer, day, timeline) * jitter));
      book.lumpSum("payment", day, owed >= WAN ? roundDownTo(owed, WAN) : owed);
    });
  }
}

/** Suppliers who are also customers: each quarter part of the overdue debt is netted (冲抵). */
function planQuarterlyOffsets({ book, agenda, timeline, rng }: Account): void {
  for (const { first, days, month } of monthsBetween(timeline.start, timeline.today)) {
    if (month % 3 !== 0) continue;
    const day = first + days - 3;
    const share = rng.between(0.2, 0.4);
    agenda.at(day, () =>
      book.lumpSum("offset", day, roundDownTo(book.owed(day, day - 1) * share, 1_000 * YUAN))
    );
  }
}

/** Prepayers keep about two months of purchases on deposit (T/T in advance), topped up monthly. */
function planPrepayer({ customer, book, agenda, timeline, rng }: Account): void {
  const depositDay = rng.int(1, 5);
  const target = roundUpTo(Math.round(customer.monthlySales * 2 * YUAN), WAN);
  for (const { first, days } of monthsBetween(timeline.start, timeline.today)) {
    const day = Math.max(timeline.start, first + Math.min(depositDay, days) - 1);
    agenda.at(day, () => {
      const shortfall = target + book.owed(day) - book.unappliedCredit;
      book.lumpSum("payment", day, shortfall > 0 ? roundUpTo(shortfall, WAN) : 0);
    });
  }
}

/**
 * The big debtors: before the drive they are chased and pay a part now and then, so the debt
 * grows; once on hold they buy only cash before delivery; in the drive year each gets its
 * recovery measure.
 */
function planBadPayer(account: Account): void {
  const { customer, invoices, book, agenda, timeline, rng } = account;
  for (const invoice of invoices.filter((invoice) => invoice.cashBeforeDelivery)) {
    agenda.at(invoice.issue, () => book.settleRemaining("payment", invoice.issue, invoice));
  }
  // Chased every six to ten weeks until the year-end review hands them to the leadership.
  for (let chased = timeline.start + rng.int(45, 90); chased < timeline.driveYearStart; ) {
    const day = chased;
    const onHold = customer.holdDay !== null && day >= customer.holdDay;
    const share = onHold ? rng.between(0.02, 0.06) : rng.between(0.05, 0.15);
    agenda.at(day, () =>
      book.lumpSum("payment", day, roundDownTo(book.owed(day, day - 1) * share, WAN))
    );
    chased += rng.int(40, 75);
  }
  RECOVERY_PLANS[customer.recovery ?? "stalled"](account);
}

const RECOVERY_PLANS: Record<Recovery, (account: Account) => void> = {
  /** Leadership visits, a repayment agreement, then monthly instalments (now and then one missed). */
  agreement({ book, agenda, timeline, rng }) {
    const signed = dayIntoDriveYear(timeline, 0.15);
    let instalment = 0;
    agenda.at(signed, () => {
      instalment = roundUpTo(book.owed(signed) / 15, WAN);
    });
    for (let n = 1; n <= 12; n += 1) {
      const day = signed + 30 * n;
      const missed = rng.chance(0.12);
      agenda.at(day, () =>
        book.lumpSum("payment", day, missed ? 0 : Math.min(instalment, book.owed(day)))
      );
    }
  },
  /** A lawyer's letter (律师函): two large part payments follow. */
  lawyer({ book, agenda, timeline, rng }) {
    const letter = dayIntoDriveYear(timeline, 0.3);
    const parts = [
      [rng.int(30, 50), 0.3],
      [rng.int(100, 140), 0.2],
    ] as const;
    for (const [after, share] of parts) {
      const day = letter + after;
      agenda.at(day, () => book.lumpSum("payment", day, roundDownTo(book.owed(day) * share, WAN)));
    }
  },
  /** A three-way offset (三方抹账) found through the supply chain, then a second smaller one. */
  offset({ book, agenda, timeline, rng }) {
    const offsets = [
      [0.35, rng.between(0.35, 0.5)],
      [0.75, 0.2],
    ] as const;
    for (const [fraction, share] of offsets) {
      const day = dayIntoDriveYear(timeline, fraction);
      agenda.at(day, () => book.lumpSum("offset", day, roundDownTo(book.owed(day) * share, WAN)));
    }
  },
  /**
   * Bankrupt: the administrator distributes part of the claim, and once the write-off is
   * approved the rest of the old debt (everything billed before the hold) is written off.
   */
  writeOff({ customer, book, agenda, timeline, rng }) {
    const distribution = dayIntoDriveYear(timeline, 0.5);
    const share = rng.between(0.15, 0.3);
    agenda.at(distribution, () =>
      book.lumpSum("payment", distribution, roundDownTo(book.owed(distribution) * share, WAN))
    );
    const approved = dayIntoDriveYear(timeline, 0.62);
    const holdDay = customer.holdDay ?? approved;
    agenda.at(approved, () => {
      for (const invoice of book.openInvoices(approved)) {
        if (invoice.issue < holdDay) book.settleRemaining("write_off", approved, invoice);
      }
    });
  },
  /** No answer yet (仍然一部分清欠大户没有回款答复): the debt just ages. */
  stalled() {},
};

const BEHAVIOUR_PLANS: Record<Behaviour, (account: Account) => void> = {
  good: planGoodPayer,
  slow(account) {
    const { customer } = account;
    if (customer.slowStyle === "lumpSum") planSlowLumpSum(account);
    else planSlowReferenced(account);
    if (customer.mutualSupplier) planQuarterlyOffsets(account);
  },
  bad: planBadPayer,
  prepaying: planPrepayer,
};

function settleAccount(
  customer: DemoCustomer,
  invoices: readonly InvoiceDraft[],
  timeline: Timeline
): SettlementDraft[] {
  const book = new CustomerBook(customer.record.code, invoices, timeline.today);
  const agenda = new Agenda(timeline);
  BEHAVIOUR_PLANS[customer.behaviour]({
    customer,
    invoices,
    book,
    agenda,
    timeline,
    rng: customer.rng,
  });
  agenda.run(book);
  return book.settlements;
}

// ---------------------------------------------------------------- output

/** Plain code-unit order, the same on every machine (no locale collation). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** PAY-/ADJ-YYYY-NNNNNN, numbered per year in date order. */
function numberSettlements(
  settlements: readonly SettlementDraft[],
  prefix: string
): { draft: SettlementDraft; number: string }[] {
  const sorted = [...settlements].sort(
    (a, b) => a.date - b.date || compareText(a.customerCode, b.customerCode)
  );
  const perYear = new Map<number, number>();
  return sorted.map((draft) => {
    const year = partsOfDay(draft.date).year;
    const next = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, next);
    return { draft, number: `${prefix}-${year}-${String(next).padStart(6, "0")}` };
  });
}

function checkOptions({ today, owners, customerCount, seed }: DemoLedgerOptions): void {
  if (!isValidIsoDate(today))
    throw new RangeError(`today must be a real date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  if (!Array.isArray(owners)) throw new TypeError("owners must be an array of emails");
  if (
    customerCount !== undefined &&
    (!Number.isInteger(customerCount) || customerCount < 1 || customerCount > 9_999)
  ) {
    throw new RangeError(
      `customerCount must be a whole number from 1 to 9999, got ${customerCount}`
    );
  }
  if (seed !== undefined && !Number.isInteger(seed))
    throw new RangeError(`seed must be an integer, got ${seed}`);
}

/** The demo ledger as of `today`: customers by code, documents by date then number. */
export function generateDemoLedger(options: DemoLedgerOptions): LedgerSnapshot {
  checkOptions(options);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const timeline = timelineFor(options.today);
  const customers = planCustomers(
    options.customerCount ?? DEFAULT_DEMO_CUSTOMER_COUNT,
    options.owners,
    seed,
    timeline
  );

  const invoiceDrafts = numberInvoices([
    ...customers.flatMap((customer) => billCustomer(customer, timeline)),
    ...invoicesDueAroundToday(customers, timeline),
  ]);
  const invoicesByCustomer = new Map<string, InvoiceDraft[]>(
    customers.map((customer) => [customer.record.code, []])
  );
  // every draft is for one of these customers, each given an entry above
  for (const invoice of invoiceDrafts) invoicesByCustomer.get(invoice.customerCode)!.push(invoice);

  const settlements = customers.flatMap((customer) =>
    // each customer has an entry (above)
    settleAccount(customer, invoicesByCustomer.get(customer.record.code)!, timeline)
  );

  const invoices: InvoiceRecord[] = invoiceDrafts.map((invoice) => ({
    invoiceNo: invoice.invoiceNo,
    customerCode: invoice.customerCode,
    issueDate: fromEpochDay(invoice.issue),
    dueDate: fromEpochDay(invoice.due),
    amount: invoice.amount,
  }));
  const payments: PaymentRecord[] = numberSettlements(
    settlements.filter((settlement) => settlement.kind === "payment"),
    "PAY"
  ).map(({ draft, number }) => ({
    paymentNo: number,
    customerCode: draft.customerCode,
    date: fromEpochDay(draft.date),
    amount: draft.amount,
    invoiceNo: draft.invoice?.invoiceNo ?? null,
  }));
  const adjustments: AdjustmentRecord[] = numberSettlements(
    settlements.filter((settlement) => settlement.kind !== "payment"),
    "ADJ"
  ).map(({ draft, number }) => ({
    adjustmentNo: number,
    customerCode: draft.customerCode,
    date: fromEpochDay(draft.date),
    amount: draft.amount,
    // the drafts are made with the adjustment types only
    type: draft.kind as AdjustmentType,
    invoiceNo: draft.invoice?.invoiceNo ?? null,
  }));

  return {
    customers: customers
      .map((customer) => customer.record)
      .sort((a, b) => compareText(a.code, b.code)),
    invoices,
    payments,
    adjustments,
  };
}
