import { AlignmentType, BorderStyle, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { formatAmount } from "~/kernel/money";
import type { Actor } from "~/features/plans";
import { type Locale, createI18n } from "~/i18n";
import { quarterLabel } from "~/features/kpi";
import { type Block, type Line, parseMarkdown } from "~/features/year-review/markdown";
import { REPORT_SECTIONS, percentText, wanFixed } from "~/features/year-review/report-draft";
import { type ConfirmationCounts, measureSentencesByTable } from "~/features/year-review/measures";
import { barChartPng } from "~/features/year-review/chart-png.server";
import { type ReportView, reportAndReview } from "~/features/year-review/report.server";
import type { NextYearProjection } from "~/features/year-review/next-year";
import { nextYearSection } from "~/features/year-review/next-year.server";
import type { ReviewViewer, YearReview } from "~/features/year-review/year-review.server";
import { type ReportPeriod, periodHeadingLabel } from "~/features/year-review/report-period";

/**
 * The written report as a Word document (the department's reports live in Word/WPS): the title,
 * the state it is in, the overdue figures, the head's four sections (the accepted text once
 * accepted), and the year's measures as tables with their sentences. Text goes into runs as text:
 * nothing the head typed is read as markup.
 */

const FONT = { ascii: "Calibri", hAnsi: "Calibri", eastAsia: "SimSun", cs: "Calibri" };
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: "999999" };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

function runs(line: Line): TextRun[] {
  return line.map((span) => new TextRun({ text: span.text, bold: span.bold }));
}

type Align = "left" | "right" | "center";
const ALIGN = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER } as const;

function cell(content: string | Line, header = false, align: Align = "left"): TableCell {
  const children = typeof content === "string" ? [new TextRun({ text: content, bold: header })] : runs(content);
  return new TableCell({
    borders: BORDERS,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [new Paragraph({ children, alignment: ALIGN[align] })],
  });
}

/** A table; columns from `numericFrom` on are right-aligned unless `align` says otherwise. */
function table(header: (string | Line)[], rows: (string | Line)[][], numericFrom = 1, align?: Align[]): Table {
  const alignOf = (index: number): Align => align?.[index] ?? (index >= numericFrom ? "right" : "left");
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((text, index) => cell(text, true, alignOf(index))) }),
      ...rows.map((row) => new TableRow({ children: row.map((text, index) => cell(text, false, alignOf(index))) })),
    ],
  });
}

/** The Markdown of a section as Word paragraphs and tables. */
export function blocksToDocx(blocks: Block[]): (Paragraph | Table)[] {
  return blocks.flatMap((block): (Paragraph | Table)[] => {
    switch (block.type) {
      case "heading":
        return [new Paragraph({ heading: block.level === 1 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_4, children: runs(block.line) })];
      case "paragraph":
        return [new Paragraph({ spacing: { after: 120 }, children: block.lines.flatMap((line, index) => (index === 0 ? runs(line) : [new TextRun({ text: "", break: 1 }), ...runs(line)])) })];
      case "list":
        return block.items.map(
          (item, index) => new Paragraph({ indent: { left: 360, hanging: 360 }, children: [new TextRun(block.ordered ? `${index + 1}. ` : "• "), ...runs(item)] }),
        );
      case "table":
        return [table(block.header, block.rows, Number.MAX_SAFE_INTEGER, block.align), new Paragraph("")];
    }
  });
}

/** The document, in the viewer's language. */
export async function reportDocxBytes(report: ReportView, review: YearReview, locale: Locale, nextYear: NextYearProjection | null = null): Promise<Uint8Array<ArrayBuffer>> {
  const { t } = createI18n(locale);
  const zh = locale === "zh-CN";
  const lang = zh ? "zh" : "en";
  const r = "review.report";
  const m = `${r}.measures`;
  const amount = (minor: number | null) => (minor === null ? "—" : zh ? wanFixed(minor) : formatAmount(minor, { locale: "en", currency: report.currency }));
  const unit = zh ? "（万元）" : "";
  const texts = report.accepted ?? report.texts;
  const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ heading: level, children: [new TextRun(text)] });
  const title =
    report.period === "year" ? t(`${r}.docxTitle`, { year: report.fiscalYear }) : t(`${r}.headingPeriod`, { period: periodHeadingLabel(report.fiscalYear, report.period, lang) });
  const sectionTitle = (section: (typeof REPORT_SECTIONS)[number]) =>
    section === "measures" && report.period !== "year" ? t(`${r}.measuresPeriod`) : t(`${r}.sections.${section}`);
  const sc = `${r}.scoring`;
  const percentOf = (share: number | null) => (share === null ? "—" : percentText(share));
  const { scoring } = report;
  const stateText = `${t(`${r}.state.label`)}${t("common.colon")}${t(`${r}.state.${report.state ?? "none"}`)}${report.version > 0 ? ` · ${t(`${r}.state.version`, { version: report.acceptedVersion ?? report.version })}` : ""}`;

  const overdue = review.receivables.overdue;
  const overdueRows = [overdue.year, overdue.previousYear].map((change) => [
    String(change.fiscalYear),
    amount(change.atStart),
    amount(change.atEnd),
    amount(change.reduction),
    change.reductionRate === null ? "—" : `${change.reduction !== null && change.reduction < 0 ? "-" : ""}${percentText(change.reductionRate)}`,
  ]);
  const quarterRows = review.receivables.quarters.map((q) => [
    quarterLabel(review.dates.fiscalYear, q.quarter, locale, review.fiscalStartMonth),
    q.date,
    amount(q.overdueTotal),
    amount(q.arTotal),
    q.collectionRate === null ? "—" : percentText(q.collectionRate),
    q.dso === null ? "—" : q.dso.toFixed(1),
  ]);

  const sentences = measureSentencesByTable(report.measures, report.currency, lang, report.period === "year");
  const measure = (title: string, lines: string[], header: string[], rows: string[][]) => [
    heading(title, HeadingLevel.HEADING_3),
    ...lines.map((line) => new Paragraph({ children: [new TextRun(line)] })),
    table(header, rows),
    new Paragraph(""),
  ];
  const confirmationRows = (rows: ConfirmationCounts[]) =>
    rows.map((row) => [row.name ?? t(`${m}.confirmations.unnamed`), ...[row.total, row.sent, row.returned, row.matched, row.mismatched].map(String)]);
  const confirmationHeader = (first: string) => [first, ...["total", "sent", "returned", "matched", "mismatched"].map((key) => t(`${m}.confirmations.${key}`))];
  const { measures } = report;

  const doc = new Document({
    creator: "Quarterdeck",
    title,
    styles: { default: { document: { run: { font: FONT, size: 22 } } } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(title)] }),
          new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: stateText, italics: true })] }),
          ...REPORT_SECTIONS.flatMap((section) => [
            heading(sectionTitle(section), HeadingLevel.HEADING_1),
            ...(section === "overdue"
              ? [
                  table(
                    [t("review.overdue.year"), `${t("review.overdue.atStart")}${unit}`, `${t("review.overdue.atEnd")}${unit}`, `${t("review.overdue.reduction")}${unit}`, t("review.overdue.reductionRate")],
                    overdueRows,
                  ),
                  new Paragraph(""),
                ]
              : []),
            ...blocksToDocx(parseMarkdown(texts[section])),
            // the year's next measures come with next year's projected receivables (no growth, no target)
            ...(section === "measures" && nextYear !== null
              ? [
                  heading(t("review.nextYear.heading"), HeadingLevel.HEADING_2),
                  table(
                    [t("review.nextYear.month"), `${t("review.nextYear.sales")}${unit}`, `${t("review.nextYear.collections")}${unit}`, `${t("review.nextYear.receivables")}${unit}`, t("review.nextYear.dso")],
                    [
                      ...nextYear.months.map((row) => [row.month, amount(row.sales), amount(row.collections), amount(row.receivables), row.dso === null ? "—" : row.dso.toFixed(1)]),
                      [
                        t("review.nextYear.year"),
                        amount(nextYear.totalSales),
                        amount(nextYear.months.reduce((sum, row) => sum + row.collections, 0)),
                        amount(nextYear.closing),
                        nextYear.months[nextYear.months.length - 1]?.dso?.toFixed(1) ?? "—",
                      ],
                    ],
                  ),
                  new Paragraph(""),
                ]
              : []),
          ]),
          heading(t(report.period === "year" ? `${r}.monthlyChart` : `${r}.monthlyChartPeriod`), HeadingLevel.HEADING_2),
          new Paragraph({
            children: [
              new ImageRun({
                type: "png",
                data: barChartPng(review.receivables.monthly.map((point) => point.overdueTotal)),
                transformation: { width: 600, height: 217 },
                altText: { name: "chart", title: t(`${r}.monthlyChart`), description: t(`${r}.monthlyChart`) },
              }),
            ],
          }),
          table(
            [t("review.xlsx.monthEnd"), `${t("review.quarters.overdue")}${unit}`, `${t("review.quarters.arTotal")}${unit}`],
            review.receivables.monthly.map((point) => [point.date, amount(point.overdueTotal), amount(point.arTotal)]),
          ),
          heading(t(`${r}.quarterFigures`), HeadingLevel.HEADING_2),
          table(
            [t("review.quarters.quarter"), t("review.quarters.asOf"), `${t("review.quarters.overdue")}${unit}`, `${t("review.quarters.arTotal")}${unit}`, t("review.quarters.collectionRate"), t("review.quarters.dso")],
            quarterRows,
            2,
          ),
          heading(t(`${sc}.title`), HeadingLevel.HEADING_1),
          new Paragraph({ children: [new TextRun(t(`${sc}.lead`, { from: scoring.from, to: scoring.to, warnBelow: scoring.warnBelow }))] }),
          new Paragraph({ children: [new TextRun(t("scoreboard.scoring.rule", { ...scoring.weights, warnBelow: scoring.warnBelow }))] }),
          ...(scoring.lines.length === 0
            ? [new Paragraph({ children: [new TextRun(t(`${sc}.none`))] })]
            : [
                table(
                  [
                    t(`${sc}.rank`),
                    t(`${sc}.owner`),
                    t(`${sc}.points`),
                    t("scoreboard.scoring.measure.collectionRate"),
                    t("scoreboard.scoring.measure.overdueReduction"),
                    t("scoreboard.scoring.measure.promisesKept"),
                    t("scoreboard.scoring.measure.itemsOnTime"),
                    t(`${sc}.warning`),
                  ],
                  scoring.lines.map((line) => [
                    line.rank === null ? "—" : String(line.rank),
                    line.name,
                    line.points === null ? t(`${sc}.notScored`) : line.points.toFixed(1),
                    percentOf(line.shares.collectionRate),
                    percentOf(line.shares.overdueReduction),
                    percentOf(line.shares.promisesKept),
                    percentOf(line.shares.itemsOnTime),
                    line.warning ? t(`${sc}.warned`, { warnBelow: scoring.warnBelow }) : "",
                  ]),
                  2,
                  ["center", "left", "right", "right", "right", "right", "right", "left"],
                ),
              ]),
          new Paragraph(""),
          heading(t(report.period === "year" ? `${m}.title` : `${m}.titlePeriod`), HeadingLevel.HEADING_1),
          new Paragraph({ children: [new TextRun(t(`${m}.lead`, { from: measures.from, to: measures.to }))] }),
          ...measure(
            t(`${m}.actions.title`),
            sentences.actions,
            [t(`${m}.actions.kind`), t(`${m}.actions.count`), t(`${m}.actions.customers`), `${t(`${m}.actions.collectedAfter`)}${unit}`],
            measures.actions.map((row) => [t(`${m}.actionKinds.${row.kind}`), String(row.count), String(row.customers), amount(row.collectedAfter)]),
          ),
          ...measure(
            t(`${m}.holds.title`),
            sentences.holds,
            [t(`${m}.holds.kind`), t(`${m}.holds.set`), t(`${m}.holds.released`), t(`${m}.holds.heldAtEnd`), `${t(`${m}.holds.overdueOfHeld`)}${unit}`],
            measures.holds.map((row) => [t(`holds.kind.${row.kind}`), String(row.set), String(row.released), String(row.heldAtEnd), amount(row.overdueOfHeld)]),
          ),
          ...measure(
            t(`${m}.grades.title`),
            sentences.grades,
            [t(`${m}.grades.customer`), t(`${m}.grades.from`), t(`${m}.grades.to`), t(`${m}.grades.direction`), t(`${m}.grades.on`)],
            measures.grades.map((row) => [`${row.code} ${row.name}`, row.from, row.to, t(`${m}.grades.${row.direction}`), row.on]),
          ),
          ...measure(
            t(`${m}.decisions.title`),
            sentences.decisions,
            [t(`${m}.decisions.decision`), t(`${m}.decisions.count`), t(`${m}.decisions.approved`), t(`${m}.decisions.declined`), t(`${m}.decisions.waiting`)],
            measures.decisions.map((row) => [t(`${m}.decisionKinds.${row.decision}`), String(row.count), String(row.approved), String(row.declined), String(row.waiting)]),
          ),
          ...measure(
            `${t(`${m}.confirmations.title`)} · ${t(`${m}.confirmations.byOwner`)}`,
            sentences.confirmations,
            confirmationHeader(t(`${m}.confirmations.owner`)),
            confirmationRows([...measures.confirmations.byOwner, { ...measures.confirmations.all, name: t(`${m}.confirmations.all`) }]),
          ),
          ...measure(
            `${t(`${m}.confirmations.title`)} · ${t(`${m}.confirmations.byRegion`)}`,
            [],
            confirmationHeader(t(`${m}.confirmations.region`)),
            confirmationRows(measures.confirmations.byRegion),
          ),
          ...measure(
            t(`${m}.adjustments.title`),
            sentences.adjustments,
            [t(`${m}.adjustments.type`), t(`${m}.adjustments.count`), `${t(`${m}.adjustments.amount`)}${unit}`],
            measures.adjustments.map((row) => [t(`${m}.adjustmentKinds.${row.type}`), String(row.count), amount(row.amount)]),
          ),
          ...measure(
            t(`${m}.collections.title`),
            sentences.collections,
            [t(`${m}.collections.customer`), `${t(`${m}.collections.payments`)}${unit}`, `${t(`${m}.collections.offsets`)}${unit}`, `${t(`${m}.collections.total`)}${unit}`],
            measures.topCollections.map((row) => [`${row.code} ${row.name}`, amount(row.payments), amount(row.offsets), amount(row.total)]),
          ),
        ],
      },
    ],
  });
  const buffer = await Packer.toBuffer(doc);
  return new Uint8Array(buffer);
}

/** `/review/:year/report/docx`: the report as the viewer reads it, as a .docx, and its file name. */
export async function exportReportDocx(db: Db, viewer: ReviewViewer & Actor & { locale: Locale }, fiscalYear: number, today: IsoDate, period: ReportPeriod = "year") {
  const { report, review } = await reportAndReview(db, viewer, fiscalYear, today, period);
  const nextYear = period === "year" ? (await nextYearSection(db, review.dates, review.work.kpiItems, new URLSearchParams())).projection : null;
  const asciiName = period === "year" ? `year-end-report-${fiscalYear}.docx` : `report-${fiscalYear}-${period}.docx`;
  const zhName = `${periodHeadingLabel(fiscalYear, period, "zh")}工作总结.docx`;
  return { fileName: viewer.locale === "zh-CN" ? zhName : asciiName, asciiName, bytes: await reportDocxBytes(report, review, viewer.locale, nextYear) };
}
