/**
 * A statement of account (对账单): one customer's open invoices with their aging, the totals and
 * the unapplied credit, as of a date, laid out as a PDF document. Pure: the figures come from the
 * ledger's customer position (kernel/ledger/customer-position.ts), the words from `statements.*`.
 */
import { AGING_BUCKETS, type Aging, type AgingBucket } from "~/kernel/ledger/aging";
import type { IsoDate } from "~/kernel/ledger/types";
import { dateInWords } from "~/kernel/dates";
import { formatAmount } from "~/kernel/money";
import { type Letterhead, type PdfDocumentSpec, letterheadBlocks } from "~/kernel/pdf-document";

export type Translate = (key: string, params?: Record<string, string | number>) => string;
export type StatementLocale = "en" | "zh-CN";

export interface StatementLine {
  invoiceNo: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amount: number;
  openAmount: number;
  daysPastDue: number;
  bucket: AgingBucket;
}

export interface Statement {
  customer: { code: string; name: string; ownerName: string | null; paymentTermsDays: number };
  asOf: IsoDate;
  lines: readonly StatementLine[];
  aging: Aging;
  arTotal: number;
  overdueTotal: number;
  unappliedCredit: number;
}

/** What the customer owes after the credit not yet matched to an invoice. */
export function statementBalance(statement: Pick<Statement, "arTotal" | "unappliedCredit">): number {
  return statement.arTotal - statement.unappliedCredit;
}

export function documentDate(date: IsoDate, locale: StatementLocale): string {
  return dateInWords(date, locale);
}

export function statementDocument(statement: Statement, context: { t: Translate; locale: StatementLocale; currency: string; letterhead?: Letterhead }): PdfDocumentSpec {
  const { t, locale } = context;
  const money = (minor: number) => formatAmount(minor, { locale, currency: context.currency });
  const plain = (minor: number) => formatAmount(minor, { locale, currency: context.currency }).replace(/^[^\d-]+/, "");
  const { customer } = statement;
  return {
    title: `${t("statements.title")} ${customer.code} ${statement.asOf}`,
    pageLabel: (page, pages) => t("statements.pageLabel", { page, pages }),
    sections: [
      {
        blocks: [
          ...letterheadBlocks(context.letterhead),
          { kind: "title", text: t("statements.title") },
          { kind: "paragraph", text: t("statements.customer", { name: customer.name, code: customer.code }), bold: true },
          { kind: "paragraph", text: t("statements.asOfLine", { date: documentDate(statement.asOf, locale) }) },
          { kind: "paragraph", text: t("statements.termsLine", { days: customer.paymentTermsDays, owner: customer.ownerName ?? "—" }) },
          { kind: "space", lines: 0.5 },
          { kind: "paragraph", text: t("statements.intro") },
          { kind: "heading", text: t("statements.openItems") },
          statement.lines.length === 0
            ? { kind: "paragraph", text: t("statements.none") }
            : {
                kind: "table",
                columns: [
                  { header: t("statements.invoiceNo"), width: 2.4 },
                  { header: t("statements.issueDate"), width: 1.8 },
                  { header: t("statements.dueDate"), width: 1.8 },
                  { header: t("statements.amount"), width: 2.2, align: "right" },
                  { header: t("statements.open"), width: 2.2, align: "right" },
                  { header: t("statements.daysPastDue"), width: 1.4, align: "right" },
                  { header: t("statements.bucket"), width: 1.8 },
                ],
                rows: statement.lines.map((line) => [
                  line.invoiceNo,
                  line.issueDate,
                  line.dueDate,
                  plain(line.amount),
                  plain(line.openAmount),
                  line.daysPastDue > 0 ? String(line.daysPastDue) : "",
                  t(`aging.${line.bucket}`),
                ]),
                totals: [[t("statements.total"), "", "", "", plain(statement.arTotal), "", ""]],
              },
          { kind: "heading", text: t("statements.aging") },
          {
            kind: "table",
            columns: [...AGING_BUCKETS.map((bucket) => ({ header: t(`aging.${bucket}`), width: 1, align: "right" as const })), { header: t("aging.total"), width: 1.1, align: "right" }],
            rows: [[...AGING_BUCKETS.map((bucket) => plain(statement.aging[bucket])), plain(statement.arTotal)]],
          },
          { kind: "heading", text: t("statements.summary") },
          {
            kind: "table",
            header: false,
            columns: [{ header: "", width: 3 }, { header: "", width: 1.4, align: "right" }],
            rows: [
              [t("statements.arTotal"), money(statement.arTotal)],
              [t("statements.overdue"), money(statement.overdueTotal)],
              [t("statements.unappliedCredit"), money(-statement.unappliedCredit)],
            ],
            totals: [[t("statements.balance"), money(statementBalance(statement))]],
          },
        ],
      },
    ],
  };
}
