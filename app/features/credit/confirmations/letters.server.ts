import { confirmationLettersDocument, type ConfirmationLetterInput } from "~/features/credit/confirmations/letter";
import { allBatchRows, findBatch } from "~/features/credit/confirmations/queries.server";
import { readBatchView } from "~/features/credit/confirmations/confirmations.server";
import { getSettings } from "~/features/settings/index.server";
import { createI18n, isLocale } from "~/i18n";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import type { PdfDocumentSpec } from "~/kernel/pdf-document";
import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";

/**
 * The confirmation letters (询证函) of a batch as one PDF document: every customer of the batch
 * the user may see that matches the page's filters (a merged file for printing), or one
 * customer's (`customer=<code>`). `lang` picks the letter's language (default: the user's).
 * Staff get the letters of their own customers only: another's customer is not found.
 */
export async function confirmationLetters(
  db: Db,
  user: CurrentUser,
  batchId: number,
  search: URLSearchParams,
  today: IsoDate,
): Promise<{ fileName: string; document: PdfDocumentSpec }> {
  const lang = search.get("lang") ?? user.locale;
  if (!isLocale(lang)) {
    throw new AppError("invalid", "confirmations.letter.badLanguage", { fieldErrors: { lang: ["confirmations.letter.badLanguage"] } });
  }
  const customer = search.get("customer") ?? "";
  const batch = await findBatch(db, batchId);
  if (!batch) throw AppError.notFound();
  const letters: ConfirmationLetterInput[] = [];
  for await (const row of allBatchRows(db, batchId, ledgerScopeOf(user), readBatchView(search).filters)) {
    if (customer !== "" && row.customerCode !== customer) continue;
    letters.push({
      batchId: batch.id,
      periodEnd: batch.periodEnd,
      customerCode: row.customerCode,
      customerName: row.customerName,
      ownerName: row.ownerName,
      balance: row.ourBalance,
    });
  }
  if (customer !== "" && letters.length === 0) throw AppError.notFound();
  if (letters.length === 0) throw new AppError("invalid", "confirmations.letter.nothing", { fieldErrors: { form: ["confirmations.letter.nothing"] } });
  const { baseCurrency, company } = await getSettings(db);
  const i18n = createI18n(lang);
  const t = (key: string, params?: Record<string, string | number>) => i18n.t(key, params ?? {});
  const suffix = customer === "" ? "" : `-${customer.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return {
    fileName: `confirmation-letters-${batch.id}-${batch.periodEnd}${suffix}-${lang}.pdf`,
    document: confirmationLettersDocument(letters, { t, locale: lang, currency: baseCurrency, today, letterhead: company }),
  };
}
