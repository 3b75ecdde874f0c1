/**
 * Dunning letters (催款函) at three levels: a reminder, a demand, and a lawyer's-letter draft, each
 * from a template in each language the head edits. A template is text with placeholders in braces
 * ({customer}, {amount}, …) filled from the customer's position when the letter is made. Printing
 * a letter is a collection action: an e-mail kind for the reminder and the demand (they go out in
 * writing), a lawyer's letter for the last level. While the customer has a promise to pay that is
 * open and not yet due, no reminder goes out: the promise is given its chance first. Every level
 * asks the customer to pay what is overdue, so no letter goes out while nothing is overdue (or
 * nothing is open at all). Pure.
 */
import type { IsoDate } from "~/kernel/ledger/types";
import { dateInWords } from "~/kernel/dates";
import { isOneOf } from "~/kernel/guards";
import { type Letterhead, type PdfBlock, type PdfDocumentSpec, letterheadBlocks } from "~/kernel/pdf-document";

export const DUNNING_LEVELS = ["reminder", "demand", "lawyer_letter"] as const;
export type DunningLevel = (typeof DUNNING_LEVELS)[number];
export const TEMPLATE_LOCALES = ["zh-CN", "en"] as const;
export type TemplateLocale = (typeof TEMPLATE_LOCALES)[number];

export const PLACEHOLDERS = ["customer", "customer_code", "amount", "overdue", "as_of", "owner"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export function isPlaceholder(name: string): name is Placeholder {
  return isOneOf(PLACEHOLDERS, name);
}
export type PlaceholderValues = Record<Placeholder, string>;

export const SUBJECT_MAX = 200;
export const BODY_MAX = 6000;

export interface DunningTemplate {
  level: DunningLevel;
  locale: TemplateLocale;
  subject: string;
  body: string;
}

/** The collection action a printed letter records. */
export function actionKindOf(level: DunningLevel): "email" | "lawyer_letter" {
  return level === "lawyer_letter" ? "lawyer_letter" : "email";
}

/**
 * What is wrong with a template's text, as i18n keys: an unknown placeholder, or a brace that
 * opens or closes nothing. Empty when it is fine.
 */
export function placeholderProblems(text: string): string[] {
  const problems = new Set<string>();
  const withoutPlaceholders = text.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    if (!isPlaceholder(name)) problems.add("dunning.validation.unknownPlaceholder");
    return "";
  });
  if (/[{}]/.test(withoutPlaceholders)) problems.add("dunning.validation.braces");
  return [...problems];
}

/** The text with its placeholders filled in (a text with problems is refused before it is stored). */
export function fillTemplate(text: string, values: PlaceholderValues): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (isPlaceholder(name) ? values[name] : whole));
}

export interface PromiseForPause {
  status: "pending" | "kept" | "broken";
  dueOn: IsoDate;
}

/** A promise open and not yet due pauses reminders: the earliest such due date, or null. */
export function reminderPausedUntil(promises: readonly PromiseForPause[], today: IsoDate): IsoDate | null {
  let until: IsoDate | null = null;
  for (const promise of promises) {
    if (promise.status === "pending" && promise.dueOn >= today && (until === null || promise.dueOn < until)) until = promise.dueOn;
  }
  return until;
}

/**
 * Why no dunning letter (of any level) can go out for a customer in this position, as an i18n
 * key, or null when one may: every level asks for the overdue amount, so a customer who owes
 * nothing, or whose open invoices are all still to fall due, gets none.
 */
export function noLetterReason(position: { arTotal: number; overdueTotal: number }): "dunning.validation.nothingOpen" | "dunning.validation.nothingOverdue" | null {
  if (position.arTotal <= 0) return "dunning.validation.nothingOpen";
  if (position.overdueTotal <= 0) return "dunning.validation.nothingOverdue";
  return null;
}

export function letterDate(date: IsoDate, locale: TemplateLocale): string {
  return dateInWords(date, locale);
}

export interface DunningInvoice {
  invoiceNo: string;
  dueDate: IsoDate;
  openAmount: string;
  daysPastDue: number;
}

/** The letter as a PDF document: subject as title, date, the filled body, the open invoices. */
export function dunningLetterDocument(
  template: DunningTemplate,
  values: PlaceholderValues,
  invoices: readonly DunningInvoice[],
  context: { t: (key: string, params?: Record<string, string | number>) => string; today: IsoDate; letterhead?: Letterhead },
): PdfDocumentSpec {
  const { t } = context;
  const body: PdfBlock[] = fillTemplate(template.body, values)
    .split("\n")
    .map((line): PdfBlock => (line.trim() === "" ? { kind: "space", lines: 0.6 } : { kind: "paragraph", text: line }));
  const table: PdfBlock[] =
    invoices.length === 0
      ? []
      : [
          { kind: "space" },
          { kind: "heading", text: t("dunning.letter.invoices") },
          {
            kind: "table",
            columns: [
              { header: t("dunning.letter.invoiceNo"), width: 3 },
              { header: t("dunning.letter.dueDate"), width: 2 },
              { header: t("dunning.letter.open"), width: 2.5, align: "right" },
              { header: t("dunning.letter.daysPastDue"), width: 2, align: "right" },
            ],
            rows: invoices.map((invoice) => [invoice.invoiceNo, invoice.dueDate, invoice.openAmount, invoice.daysPastDue > 0 ? String(invoice.daysPastDue) : ""]),
          },
        ];
  const subject = fillTemplate(template.subject, values);
  return {
    title: subject,
    pageLabel: (page, pages) => t("dunning.letter.pageLabel", { page, pages }),
    sections: [
      {
        blocks: [
          ...letterheadBlocks(context.letterhead),
          { kind: "title", text: subject },
          { kind: "paragraph", text: letterDate(context.today, template.locale), align: "right" },
          { kind: "space", lines: 0.5 },
          ...body,
          // the sender under the letter, as it is signed
          ...(context.letterhead?.name ? [{ kind: "space", lines: 0.5 } as const, { kind: "paragraph", text: context.letterhead.name, align: "right" } as const] : []),
          ...table,
        ],
      },
    ],
  };
}

/** The built-in wording, used for a level and language the head has not edited. */
export const DEFAULT_TEMPLATES: Record<DunningLevel, Record<TemplateLocale, { subject: string; body: string }>> = {
  reminder: {
    "zh-CN": {
      subject: "付款提醒函",
      body: "{customer}：\n\n根据我司账务记录，截至 {as_of}，贵司（客户编号 {customer_code}）未结款项共计 {amount}，其中已逾期 {overdue}。可能贵司尚未留意，烦请尽快安排付款。如已付款，请忽略本函，并感谢贵司的支持。\n\n此致\n敬礼\n\n{owner}",
    },
    en: {
      subject: "Payment reminder",
      body: "Dear {customer},\n\nOur records show that as of {as_of} your account ({customer_code}) has an open balance of {amount}, of which {overdue} is overdue. Perhaps this has escaped your attention; we would be grateful if you could arrange payment soon. If you have already paid, please disregard this letter, with our thanks.\n\nYours sincerely,\n{owner}",
    },
  },
  demand: {
    "zh-CN": {
      subject: "催款函",
      body: "{customer}：\n\n我司此前已提醒贵司付款。截至 {as_of}，贵司（客户编号 {customer_code}）未结款项共计 {amount}，其中逾期款项 {overdue} 仍未支付。请贵司于收到本函之日起七日内付清逾期款项；逾期未付，我司将暂停供货，并保留采取进一步措施追收欠款的权利。\n\n此致\n敬礼\n\n{owner}",
    },
    en: {
      subject: "Demand for payment",
      body: "Dear {customer},\n\nDespite our earlier reminder, {overdue} of your open balance of {amount} as of {as_of} (account {customer_code}) remains overdue. We ask you to pay the overdue amount within 7 days of this letter. If we do not receive it, we will suspend deliveries and take further steps to recover the debt.\n\nYours faithfully,\n{owner}",
    },
  },
  lawyer_letter: {
    "zh-CN": {
      subject: "律师函（草稿）",
      body: "致：{customer}（客户编号 {customer_code}）\n\n本律师受委托，就贵司拖欠我方委托人货款一事致函如下：截至 {as_of}，贵司尚欠我方委托人款项共计 {amount}，其中逾期款项 {overdue}，经多次催讨仍未支付。\n\n现正式函告贵司：请于收到本函之日起七日内付清上述逾期款项。逾期未付，本律师将依委托人指示依法提起诉讼，追究贵司的违约责任，并主张利息及相关费用。\n\n[律师事务所、律师及日期，由律师填写]",
    },
    en: {
      subject: "Lawyer's letter (draft)",
      body: "To: {customer} (customer {customer_code})\n\nWe act for our client concerning the sums you owe it. As of {as_of} you owe our client {amount}, of which {overdue} is overdue and remains unpaid despite repeated demands.\n\nWe demand that you pay the overdue amount in full within 7 days of receiving this letter. Failing payment, our client has instructed us to start legal proceedings to recover the debt, interest and costs without further notice.\n\n[Law firm, lawyer and date: to be completed by counsel]",
    },
  },
};
