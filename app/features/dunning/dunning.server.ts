import {
  DEFAULT_TEMPLATES,
  DUNNING_LEVELS,
  type DunningLevel,
  type DunningTemplate,
  type PlaceholderValues,
  TEMPLATE_LOCALES,
  type TemplateLocale,
  actionKindOf,
  dunningLetterDocument,
  fillTemplate,
  letterDate,
  noLetterReason,
  reminderPausedUntil,
} from "~/features/dunning/dunning";
import { letterSchema, templateSchema } from "~/features/dunning/schema";
import { saveTemplateRow, storedTemplate, storedTemplates, userNames } from "~/features/dunning/queries.server";
import { recordAudit } from "~/features/audit/index.server";
import { canRecordCollectionAction, customerForLogging, loadPromiseStatuses, recordCollectionAction } from "~/features/credit/collection-actions/index.server";
import { customerDocuments } from "~/features/ledger/index.server";
import { getSettings } from "~/features/settings/index.server";
import { queueCustomerMail, requireMail } from "~/features/notifications/index.server";
import { requireContactEmail } from "~/features/statements/index.server";
import { pdfBytes } from "~/server/pdf.server";
import { createI18n } from "~/i18n";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import { customerPosition } from "~/kernel/ledger/customer-position";
import type { IsoDate } from "~/kernel/ledger/types";
import { formatAmount } from "~/kernel/money";
import type { PdfDocumentSpec } from "~/kernel/pdf-document";
import { can } from "~/kernel/permissions";
import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";

/**
 * Dunning letters: the head edits the templates (audited); the head or a customer's owner prints
 * a letter for a customer, which records a collection action. Refusals: field errors (400) and
 * nothing stored; forbidden for a role or a customer that is not the user's; a conflict (409) for
 * any letter while nothing is overdue, and for a reminder while a promise to pay is open and not
 * yet due.
 */

const translator = (locale: TemplateLocale) => {
  const i18n = createI18n(locale);
  return (key: string, params?: Record<string, string | number>) => i18n.t(key, params ?? {});
};

function zodFieldErrors(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const list = (errors[issue.path.length > 0 ? String(issue.path[0]) : "form"] ??= []);
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return errors;
}

async function effectiveTemplate(db: Db, level: DunningLevel, locale: TemplateLocale): Promise<DunningTemplate> {
  const stored = await storedTemplate(db, level, locale);
  return { level, locale, ...(stored ?? DEFAULT_TEMPLATES[level][locale]) };
}

// ---------------------------------------------------------------- the templates page

/** Everyone reading the ledger sees the templates; the head edits them. */
export async function dunningTemplatesPage(db: Db, user: CurrentUser) {
  const stored = await storedTemplates(db);
  const { baseCurrency } = await getSettings(db);
  return {
    canEdit: can(user, "credit:review"),
    templates: DUNNING_LEVELS.flatMap((level) =>
      TEMPLATE_LOCALES.map((locale) => {
        const row = stored.find((s) => s.level === level && s.locale === locale);
        const t = translator(locale);
        const example: PlaceholderValues = {
          customer: t("dunning.example.customer"),
          customer_code: t("dunning.example.code"),
          amount: formatAmount(12_345_600, { locale, currency: baseCurrency }),
          overdue: formatAmount(4_567_800, { locale, currency: baseCurrency }),
          as_of: letterDate("2026-11-30", locale),
          owner: t("dunning.example.owner"),
        };
        const template = row ?? DEFAULT_TEMPLATES[level][locale];
        return {
          level,
          locale,
          subject: template.subject,
          body: template.body,
          edited: row ? { by: row.updatedBy, at: row.updatedAt } : null,
          preview: { subject: fillTemplate(template.subject, example), body: fillTemplate(template.body, example) },
        };
      }),
    ),
  };
}

/** Stores one template (head only), with its audit entry, in one transaction. */
export async function saveDunningTemplate(db: Db, user: CurrentUser, values: Record<string, string | undefined>, now = new Date()): Promise<{ ok: true; level: DunningLevel; locale: TemplateLocale }> {
  if (!can(user, "credit:review")) throw AppError.forbidden();
  const parsed = templateSchema.safeParse(values);
  if (!parsed.success) throw AppError.invalid(zodFieldErrors(parsed.error.issues));
  const { level, locale, subject, body } = parsed.data;
  await db.transaction().execute(async (trx) => {
    const before = await storedTemplate(trx, level, locale);
    await saveTemplateRow(trx, { level, locale, subject, body, userId: user.id, at: now.toISOString() });
    await recordAudit(trx, { userId: user.id, entity: "dunning_template", entityId: `${level}:${locale}`, action: "update", before: before ?? null, after: { subject, body } }, now);
  });
  return { ok: true, level, locale };
}

// ---------------------------------------------------------------- the customer page

/**
 * What the customer page's dunning form needs: may the user print, until when reminders are
 * paused, and why no letter can go out (an i18n key: nothing open or nothing overdue), or null.
 * `position` is the customer's today, as the page already worked it out from its documents.
 */
export async function dunningPanel(
  db: Db,
  user: CurrentUser,
  customer: { id: number; ownerId: number | null },
  today: IsoDate,
  position: { arTotal: number; overdueTotal: number },
) {
  const canPrint = canRecordCollectionAction(user, customer.ownerId);
  const pausedUntil = reminderPausedUntil(await loadPromiseStatuses(db, [customer.id], today), today);
  return { canPrint, pausedUntil, noLetter: noLetterReason(position) };
}

/** The customer's position today from all its documents: what a letter is filled from. */
async function positionToday(db: Db, customer: { id: number; code: string }, today: IsoDate) {
  const documents = await customerDocuments(db, { kind: "all" }, customer.id);
  return customerPosition(customer.code, documents, null, today);
}

/**
 * A dunning letter for one customer: checks the post (level, language), the user's right to the
 * customer and the pause on reminders, and fills the template from the customer's position today.
 * Nothing is written here: the caller renders the PDF and then calls `record`, which stores the
 * collection action (with its audit entry), so a letter that fails to render records nothing.
 */
export async function dunningLetter(db: Db, user: CurrentUser, code: string, values: Record<string, string | undefined>, today: IsoDate) {
  const customer = await customerForLogging(db, user, code);
  const parsed = letterSchema.safeParse(values);
  if (!parsed.success) throw AppError.invalid(zodFieldErrors(parsed.error.issues));
  const { level, lang } = parsed.data;
  const position = await positionToday(db, customer, today);
  const noLetter = noLetterReason(position);
  if (noLetter !== null) throw new AppError("conflict", noLetter, { fieldErrors: { level: [noLetter] } });
  if (level === "reminder") {
    const until = reminderPausedUntil(await loadPromiseStatuses(db, [customer.id], today), today);
    if (until !== null) {
      throw new AppError("conflict", "dunning.validation.paused", { fieldErrors: { level: ["dunning.validation.paused"] }, params: { date: until } });
    }
  }
  const template = await effectiveTemplate(db, level, lang);
  const { baseCurrency, company } = await getSettings(db);
  const money = (minor: number) => formatAmount(minor, { locale: lang, currency: baseCurrency });
  const owner = await ownerName(db, customer.ownerId);
  const filled: PlaceholderValues = {
    customer: customer.name,
    customer_code: customer.code,
    amount: money(position.arTotal),
    overdue: money(position.overdueTotal),
    as_of: letterDate(today, lang),
    owner: owner ?? "",
  };
  const t = translator(lang);
  const document: PdfDocumentSpec = dunningLetterDocument(
    template,
    filled,
    position.openInvoices.map((line) => ({ invoiceNo: line.invoiceNo, dueDate: line.dueDate, openAmount: money(line.openAmount), daysPastDue: line.daysPastDue })),
    { t, today, letterhead: company },
  );
  const userT = translator(user.locale);
  const note = letterNote(userT, "note", { level, lang, subject: fillTemplate(template.subject, filled) });
  const safeCode = customer.code.replace(/[^A-Za-z0-9_-]/g, "_");
  return {
    fileName: `${level}-${safeCode}-${today}-${lang}.pdf`,
    document,
    customer,
    level,
    lang,
    subject: fillTemplate(template.subject, filled),
    record: (recordedNote = note, now = new Date(), within?: (trx: Db, actionId: number) => Promise<void>) =>
      recordCollectionAction(db, user, customer.code, { kind: actionKindOf(level), actionDate: today, note: recordedNote, amount: "", dueOn: "", instalments: [] }, today, now, within),
  };
}

/**
 * The collection action's note for a letter printed or e-mailed: its level, language and subject,
 * the subject left out when it only repeats the level's name (the default templates' do).
 */
function letterNote(
  userT: ReturnType<typeof translator>,
  key: "note" | "mailNote",
  letter: { level: DunningLevel; lang: TemplateLocale; subject: string; to?: string },
): string {
  const level = userT(`dunning.levels.${letter.level}`);
  const values = { level, lang: userT(`dunning.locales.${letter.lang}`), subject: letter.subject, to: letter.to ?? "" };
  return letter.subject.trim() === level ? userT(`dunning.${key}Bare`, values) : userT(`dunning.${key}`, values);
}

async function ownerName(db: Db, ownerId: number | null): Promise<string | null> {
  if (ownerId === null) return null;
  return (await userNames(db, [ownerId]))[0] ?? null;
}

/**
 * The dunning letter e-mailed to the customer's contact e-mail, the PDF attached: the same checks
 * as printing it (a reminder still waits for an open promise not yet due), then the collection
 * action and the outbox message in one transaction. Returns where it went.
 */
export async function emailDunningLetter(db: Db, user: CurrentUser, code: string, values: Record<string, string | undefined>, today: IsoDate, now = new Date()): Promise<{ to: string }> {
  const letter = await dunningLetter(db, user, code, values, today);
  requireMail();
  const to = await requireContactEmail(db, letter.customer.id);
  const bytes = await pdfBytes(letter.document);
  const { company } = await getSettings(db);
  const userT = translator(user.locale);
  const note = letterNote(userT, "mailNote", { level: letter.level, lang: letter.lang, subject: letter.subject, to });
  await letter.record(note, now, (trx, actionId) =>
    queueCustomerMail(
      trx,
      {
        to,
        locale: letter.lang,
        customerName: letter.customer.name,
        document: letter.subject,
        sender: user.name,
        company,
        attachment: { name: letter.fileName, bytes },
        key: `customer-mail:${actionId}`,
      },
      now,
    ),
  );
  return { to };
}
