/**
 * The balance confirmation letter (企业询证函) of one customer, laid out as the customary Chinese
 * form: number, addressee, the request, the balance table (you owe us / we owe you), the note that
 * it is no demand for payment, our seal and date; then, below a cut line, the reply slip with its
 * two conclusions (信息证明无误 / 信息不符) each with seal, signature and date lines. The words come
 * from `confirmations.letter.*` in the letter's language.
 */
import type { IsoDate } from "~/kernel/ledger/types";
import { dateInWords } from "~/kernel/dates";
import { formatAmount } from "~/kernel/money";
import type { Letterhead, PdfBlock, PdfDocumentSpec, PdfSection } from "~/kernel/pdf-document";

export type LetterLocale = "en" | "zh-CN";

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export interface ConfirmationLetterInput {
  batchId: number;
  periodEnd: IsoDate;
  customerCode: string;
  customerName: string;
  ownerName: string | null;
  /** our balance at the period end, minor units: positive when the customer owes us */
  balance: number;
}

/** A date as a letter writes it: 2025年6月30日 / 30 June 2025. */
export function letterDate(date: IsoDate, locale: LetterLocale): string {
  return dateInWords(date, locale);
}

export interface LetterContext {
  t: Translate;
  locale: LetterLocale;
  currency: string;
  today: IsoDate;
  /** our company: named above our seal, its address and contact line as where to reply */
  letterhead?: Letterhead;
}

export function confirmationLetter(input: ConfirmationLetterInput, context: LetterContext): PdfSection {
  const { t, locale } = context;
  const amount = (minor: number) => formatAmount(minor, { locale, currency: context.currency });
  const asOf = letterDate(input.periodEnd, locale);
  const right = (text: string): PdfBlock => ({ kind: "paragraph", text, align: "right" });
  const company = context.letterhead;
  // the customary reply lines under the request: where to send the letter back, and to whom
  const replyTo: PdfBlock[] = [
    ...(company?.address ? [{ kind: "paragraph" as const, text: t("confirmations.letter.replyAddress", { address: company.address }) }] : []),
    ...(company?.contact ? [{ kind: "paragraph" as const, text: t("confirmations.letter.replyContact", { contact: company.contact }) }] : []),
  ];
  const sealBlock = (): PdfBlock[] => [{ kind: "space" }, right(t("confirmations.letter.yourSeal")), right(t("confirmations.letter.signature")), right(t("confirmations.letter.replyDate"))];
  return {
    blocks: [
      { kind: "title", text: t("confirmations.letter.title") },
      right(t("confirmations.letter.number", { number: `${input.batchId}-${input.customerCode}` })),
      { kind: "paragraph", text: t("confirmations.letter.to", { customer: input.customerName, code: input.customerCode }), bold: true },
      { kind: "paragraph", text: t("confirmations.letter.intro", { date: asOf }), indent: true },
      ...replyTo,
      { kind: "space", lines: 0.5 },
      { kind: "paragraph", text: t("confirmations.letter.itemsHeading", { date: asOf }) },
      {
        kind: "table",
        columns: [
          { header: t("confirmations.letter.asOf"), width: 2 },
          { header: t("confirmations.letter.youOweUs"), width: 3, align: "right" },
          { header: t("confirmations.letter.weOweYou"), width: 3, align: "right" },
          { header: t("confirmations.letter.note"), width: 2 },
        ],
        rows: [[asOf, input.balance > 0 ? amount(input.balance) : "", input.balance < 0 ? amount(-input.balance) : "", ""]],
      },
      { kind: "paragraph", text: t("confirmations.letter.notPayment"), indent: true },
      { kind: "space" },
      ...(company?.name ? [right(company.name)] : []),
      right(t("confirmations.letter.ourSeal")),
      right(t("confirmations.letter.preparedBy", { name: input.ownerName ?? "____________" })),
      right(t("confirmations.letter.dated", { date: letterDate(context.today, locale) })),
      { kind: "space" },
      { kind: "cut", text: t("confirmations.letter.cut") },
      { kind: "paragraph", text: t("confirmations.letter.conclusion"), bold: true },
      { kind: "paragraph", text: t("confirmations.letter.agrees") },
      ...sealBlock(),
      { kind: "paragraph", text: t("confirmations.letter.disagrees") },
      { kind: "writeLines", count: 3 },
      ...sealBlock(),
    ],
  };
}

/** The letters of a batch as one document, each letter its own section (own page numbers). */
export function confirmationLettersDocument(
  letters: readonly ConfirmationLetterInput[],
  context: LetterContext,
): PdfDocumentSpec {
  return {
    title: context.t("confirmations.letter.title"),
    pageLabel: (page, pages) => context.t("confirmations.letter.pageLabel", { page, pages }),
    sections: letters.map((letter) => confirmationLetter(letter, context)),
  };
}
