/**
 * The first draft of the head's written report, generated from the review's figures in the
 * head's language: what seed 000 writes by hand ("年末逾期账款6,454万元，比年初9,649万元降低3,195万元，
 * 降幅33.1%"), the year's done work by category, the problems and next year's measures. Plain
 * Markdown (markdown.ts) the head then edits; nothing here reads the database or the clock.
 */
import { dateInWords } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { formatAmount } from "~/kernel/money";
import { PLAN_CATEGORY_NAMES } from "~/features/plans";
import { cellText } from "~/features/year-review/markdown";
import type { OverdueChange, OverdueComparison, Problems, ProposedItem, UnfinishedItem, WorkDone } from "~/features/year-review/year-review";

export const REPORT_SECTIONS = ["overdue", "work", "problems", "measures"] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export type ReportTexts = Record<ReportSection, string>;
export type ReportLanguage = "en" | "zh";

/** What the draft is written from: the review's sections, and the year's measures when known. */
export interface DraftFigures {
  fiscalYear: number;
  currency: string;
  overdue: OverdueComparison;
  work: WorkDone;
  problems: Problems;
  measures: ProposedItem[];
  /** generated sentences of the year's recorded measures (collection actions, holds…), in order */
  measureSentences?: string[];
  /**
   * A half-year's or quarter's report: the period's words ("2026年上半年", "H1 2026") and the same
   * period a year earlier; absent for the year's own report.
   */
  period?: { label: string; previousLabel: string };
  /** the year (or period) is still running: its figures run to this date, not to its end */
  runningTo?: IsoDate | null;
  /** the staff scoring's sentence (考核), when anyone was scored */
  scoringSentence?: string | null;
  /** the sentence on next year's projected receivables (the year's report of an ended year) */
  nextYearSentence?: string | null;
}

const grouping = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });
const groupingCents = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * An amount in 万元 the way the department writes it: whole 万 from 1,000 万 up ("6,454"), two
 * decimals below ("12.35"), half away from zero.
 */
export function wanNumber(minor: number): string {
  if (wanIsWhole(minor)) return grouping.format(wholeWan(minor));
  const hundredths = Math.sign(minor) * Math.floor((Math.abs(minor) + 5_000) / 10_000);
  return groupingCents.format(hundredths / 100);
}

/** True when wanNumber writes the amount in whole 万 (1,000 万 and up once rounded to the cent of 万). */
function wanIsWhole(minor: number): boolean {
  return Math.floor((Math.abs(minor) + 5_000) / 10_000) >= 100_000;
}

/** Whole 万, half away from zero. */
function wholeWan(minor: number): number {
  return Math.sign(minor) * Math.floor((Math.abs(minor) + 500_000) / 1_000_000);
}

/**
 * The change from `from` to `to` in 万 as a sentence beside both writes it: when both are written
 * in whole 万, the change is the difference of the whole figures, so that the sentence adds up
 * ("比年初5,327万元降低743万元", not "降低742.68万元" beside 4,584).
 */
export function wanChange(from: number, to: number): string {
  if (wanIsWhole(from) && wanIsWhole(to)) return grouping.format(Math.abs(wholeWan(from) - wholeWan(to)));
  return wanNumber(Math.abs(from - to));
}

/** An amount in 万元 with two decimals, for table columns whose figures line up ("1,043.00"). */
export function wanFixed(minor: number): string {
  const hundredths = Math.sign(minor) * Math.floor((Math.abs(minor) + 5_000) / 10_000);
  return groupingCents.format(hundredths / 100);
}

/** A ratio as the report writes it: one decimal, "33.1%". */
export function percentText(ratio: number): string {
  return `${(Math.round(Math.abs(ratio) * 1000) / 10).toFixed(1)}%`;
}

function money(minor: number, currency: string): string {
  return formatAmount(minor, { locale: "en", currency });
}

/**
 * The sentence on one year's (or, with `periodLabel`, one half-year's or quarter's) overdue
 * change; null when the ledger has no position at an end.
 */
export function overdueSentence(change: OverdueChange, currency: string, language: ReportLanguage, periodLabel?: string, runningTo?: IsoDate | null): string | null {
  if (change.atStart === null || change.atEnd === null) return null;
  const reduction = change.atStart - change.atEnd;
  const rate = change.atStart === 0 ? null : reduction / change.atStart;
  // while the year (or period) runs, the balance on the day its figures run to, not "at its end"
  if (language === "zh") {
    const head = runningTo
      ? `截至${dayWords(runningTo, language)}，逾期账款${wanNumber(change.atEnd)}万元，比${periodLabel === undefined ? "年初" : "期初"}${wanNumber(change.atStart)}万元`
      : periodLabel === undefined
        ? `${change.fiscalYear}年末逾期账款${wanNumber(change.atEnd)}万元，比年初${wanNumber(change.atStart)}万元`
        : `${periodLabel}末逾期账款${wanNumber(change.atEnd)}万元，比期初${wanNumber(change.atStart)}万元`;
    if (reduction === 0) return `${head}持平。`;
    const verb = reduction > 0 ? "降低" : "增加";
    const rateWord = reduction > 0 ? "降幅" : "增幅";
    return `${head}${verb}${wanChange(change.atStart, change.atEnd)}万元${rate === null ? "" : `，${rateWord}${percentText(rate)}`}。`;
  }
  const what = periodLabel ?? `fiscal year ${change.fiscalYear}`;
  const head = runningTo
    ? `Overdue receivables stood at ${money(change.atEnd, currency)} on ${dayWords(runningTo, language)}, with ${what} still running`
    : `Overdue receivables stood at ${money(change.atEnd, currency)} at the end of ${what}`;
  if (reduction === 0) return `${head}, the same as at its start.`;
  const verb = reduction > 0 ? "down" : "up";
  return `${head}, ${verb} ${money(Math.abs(reduction), currency)}${rate === null ? "" : ` (${percentText(rate)})`} from ${money(change.atStart, currency)} at its start.`;
}

/** A day as the report writes it: "8 December 2026", "2026年12月8日". */
function dayWords(date: IsoDate, language: ReportLanguage): string {
  return dateInWords(date, language);
}

function overdueText(figures: DraftFigures, language: ReportLanguage): string {
  const zh = language === "zh";
  const lines: string[] = [];
  const period = figures.period;
  const year = overdueSentence(figures.overdue.year, figures.currency, language, period?.label, figures.runningTo);
  const atEnd = figures.overdue.year.atEnd;
  const runningTo = figures.runningTo ?? null;
  const endOnly =
    atEnd === null
      ? ""
      : zh
        ? `${runningTo ? `截至${dayWords(runningTo, language)}` : `${period?.label ?? `${figures.fiscalYear}年`}末`}逾期账款${wanNumber(atEnd)}万元；`
        : `Overdue receivables stood at ${money(atEnd, figures.currency)} ${runningTo ? `on ${dayWords(runningTo, language)}` : `at the end of ${period?.label ?? `fiscal year ${figures.fiscalYear}`}`}; `;
  const noOpening = zh ? `账套从${figures.overdue.year.from}之后才开始，没有年初余额可比。` : `the ledger begins after ${figures.overdue.year.from}, so there is no opening balance to compare with.`;
  lines.push(year ?? `${endOnly}${endOnly === "" && !zh ? noOpening.charAt(0).toUpperCase() + noOpening.slice(1) : noOpening}`);
  const previous = overdueSentence(figures.overdue.previousYear, figures.currency, language, period?.previousLabel);
  const against = figures.overdue.againstPreviousYear;
  if (previous !== null) {
    lines.push("");
    lines.push(zh ? `上年同期：${previous}` : `${period ? "The same period a year earlier" : "The year before"}: ${previous}`);
    if (against !== null && against !== 0) {
      lines.push("");
      lines.push(
        zh
          ? `${period ? "本期" : "今年"}逾期账款的降低额比上年${period ? "同期" : ""}${against > 0 ? "多" : "少"}${wanNumber(Math.abs(against))}万元。`
          : `${period ? "This period's" : "This year's"} reduction was ${money(Math.abs(against), figures.currency)} ${against > 0 ? "more" : "less"} than ${period ? "that of the same period a year earlier" : "the year before's"}.`,
      );
    }
  }
  return lines.join("\n");
}

function workText(figures: DraftFigures, language: ReportLanguage): string {
  const zh = language === "zh";
  const { work } = figures;
  const lines: string[] = [];
  lines.push(
    zh
      ? `${figures.period ? "本期" : "全年"}计划工作${work.planned}项，完成${work.done}项。`
      : `Of the ${work.planned} plan items of the ${figures.period ? "period" : "year"}, ${work.done} were done.`,
  );
  for (const group of work.categories) {
    lines.push("");
    lines.push(`**${PLAN_CATEGORY_NAMES[group.category][language]}**`);
    lines.push("");
    for (const item of group.items) {
      const note = item.notes[item.notes.length - 1];
      lines.push(`- ${item.title.replace(/\s*\n\s*/g, " ")}${note ? `${zh ? "：" : ": "}${note.replace(/\s*\n\s*/g, " ")}` : ""}`);
    }
  }
  if (figures.measureSentences && figures.measureSentences.length > 0) {
    lines.push("");
    lines.push(zh ? `**${figures.period ? "本期" : "全年"}记录的清欠措施**` : `**The measures recorded during the ${figures.period ? "period" : "year"}**`);
    lines.push("");
    for (const sentence of figures.measureSentences) lines.push(`- ${sentence}`);
  }
  if (figures.scoringSentence) {
    lines.push("");
    lines.push(zh ? "**业务人员考核**" : "**Staff scoring**");
    lines.push("");
    lines.push(figures.scoringSentence);
  }
  return lines.join("\n");
}

/** Each title once, in first-seen order, with how often it came (an item carried over each quarter). */
export function distinctTitles<T extends { title: string }>(items: readonly T[]): { item: T; times: number }[] {
  const seen = new Map<string, { item: T; times: number }>();
  for (const item of items) {
    const key = item.title.trim();
    const entry = seen.get(key);
    if (entry) entry.times += 1;
    else seen.set(key, { item, times: 1 });
  }
  return [...seen.values()];
}

const timesText = (times: number, zh: boolean) => (times < 2 ? "" : zh ? `（共${times}次）` : ` (${times} times)`);

/**
 * The unfinished items split for the report: late (missed, carried over, or open past its due
 * date) and, while the year runs to `runningTo`, open items not due before that day (under way).
 * After the year, every unfinished item is late.
 */
export function lateAndUnderWay(items: readonly UnfinishedItem[], runningTo: IsoDate | null): { late: UnfinishedItem[]; underWay: UnfinishedItem[] } {
  const notYetDue = (item: UnfinishedItem) => runningTo !== null && item.state === "open" && item.dueDate !== null && item.dueDate >= runningTo;
  return { late: items.filter((item) => !notYetDue(item)), underWay: items.filter(notYetDue) };
}

function problemsText(figures: DraftFigures, language: ReportLanguage): string {
  const zh = language === "zh";
  const { problems } = figures;
  const lines: string[] = [];
  // While the year runs, an item still open and not yet due is under way, not late.
  const { late, underWay } = lateAndUnderWay(problems.unfinished, figures.runningTo ?? null);
  const itemLines = (items: readonly UnfinishedItem[]) => {
    lines.push("");
    for (const { item, times } of distinctTitles(items)) {
      lines.push(`- ${item.title.replace(/\s*\n\s*/g, " ")}${item.ownerName ? (zh ? `（${item.ownerName}）` : ` (${item.ownerName})`) : ""}${timesText(times, zh)}`);
    }
    lines.push("");
  };
  if (late.length === 0 && problems.missedTargets.length === 0 && problems.grew.count === 0) {
    lines.push(
      zh
        ? underWay.length > 0
          ? `${figures.period ? "本期" : "全年"}到期的计划工作均已完成，未发现突出问题。`
          : `${figures.period ? "本期" : "全年"}计划工作均已完成，未发现突出问题。`
        : underWay.length > 0
          ? `Every plan item of the ${figures.period ? "period" : "year"} due so far was done; no problem stood out.`
          : `Every plan item of the ${figures.period ? "period" : "year"} was done; no problem stood out.`,
    );
    if (underWay.length === 0) return lines[0] ?? "";
    lines.push("");
  }
  if (late.length > 0) {
    lines.push(zh ? `未按期完成的工作${late.length}项：` : late.length === 1 ? "1 plan item was not done on time:" : `${late.length} plan items were not done on time:`);
    itemLines(late);
  }
  if (underWay.length > 0) {
    lines.push(zh ? `尚未到期、仍在进行的工作${underWay.length}项：` : underWay.length === 1 ? "1 plan item is under way and not yet due:" : `${underWay.length} plan items are under way and not yet due:`);
    itemLines(underWay);
  }
  if (problems.missedTargets.length > 0) {
    lines.push(zh ? `未达到目标的指标${problems.missedTargets.length}项：` : problems.missedTargets.length === 1 ? "1 KPI target was missed:" : `${problems.missedTargets.length} KPI targets were missed:`);
    lines.push("");
    for (const { item, times } of distinctTitles(problems.missedTargets)) lines.push(`- ${item.title.replace(/\s*\n\s*/g, " ")}${timesText(times, zh)}`);
    lines.push("");
  }
  if (problems.grew.count > 0) {
    lines.push(
      zh
        ? `${problems.grew.count}家客户的逾期账款比${figures.period ? "期初" : "年初"}增加，合计增加${wanNumber(problems.grew.total)}万元：`
        : `The overdue of ${problems.grew.count === 1 ? "1 customer" : `${problems.grew.count} customers`} grew over the ${figures.period ? "period" : "year"}, by ${money(problems.grew.total, figures.currency)} in all:`,
    );
    lines.push("");
    lines.push(zh ? (figures.period ? "| 客户 | 期初（万元） | 期末（万元） |" : "| 客户 | 年初（万元） | 年末（万元） |") : "| Customer | At the start | At the end |");
    lines.push("| --- | ---: | ---: |");
    for (const mover of problems.grew.customers) {
      const cell = (minor: number) => (zh ? wanFixed(minor) : money(minor, figures.currency));
      lines.push(`| ${cellText(mover.name)} | ${cell(mover.atStart)} | ${cell(mover.atEnd)} |`);
    }
  }
  return lines.join("\n").trimEnd();
}

function measuresText(figures: DraftFigures, language: ReportLanguage): string {
  const list = measureList(figures, language);
  return figures.nextYearSentence ? `${list}\n\n${figures.nextYearSentence}` : list;
}

function measureList(figures: DraftFigures, language: ReportLanguage): string {
  const zh = language === "zh";
  if (figures.measures.length === 0) {
    return zh ? "1. 继续坚持款到发货，对逾期客户及时催收。" : "1. Keep cash before delivery for overdue customers and chase them promptly.";
  }
  return distinctTitles(figures.measures)
    .map(({ item }, index) => `${index + 1}. ${item.title.replace(/\s*\n\s*/g, " ")}${item.ownerName ? (zh ? `（${item.ownerName}）` : ` (${item.ownerName})`) : ""}`)
    .join("\n");
}

/** The generated draft of the four sections, in `language`. */
export function reportDraft(figures: DraftFigures, language: ReportLanguage): ReportTexts {
  return {
    overdue: overdueText(figures, language),
    work: workText(figures, language),
    problems: problemsText(figures, language),
    measures: measuresText(figures, language),
  };
}
