import { contactEmailSchema, statementMailSchema } from "~/features/statements/schema";
import { customerContactEmail, setCustomerContactEmail } from "~/features/statements/queries.server";
import { customerStatement } from "~/features/statements/statements.server";
import { documentDate } from "~/features/statements/statement";
import { recordAudit } from "~/features/audit/index.server";
import { canRecordCollectionAction, customerForLogging, recordCollectionAction } from "~/features/credit/collection-actions/index.server";
import { queueCustomerMail, requireMail } from "~/features/notifications/index.server";
import { getSettings } from "~/features/settings/index.server";
import { createI18n } from "~/i18n";
import { AppError, type FieldErrors } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";
import { pdfBytes } from "~/server/pdf.server";

/**
 * Letters by e-mail: the customer's contact e-mail (kept by the head or the customer's owner,
 * audited) and the statement of account e-mailed to it with the PDF attached, which records a
 * collection action (an e-mail) and queues the message in the outbox in one transaction.
 */

function fieldErrorsOf(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) (errors[issue.path.length > 0 ? String(issue.path[0]) : "form"] ??= []).push(issue.message);
  return errors;
}

/** The customer page's contact e-mail: shown to everyone reading the customer, editable by whoever may log its actions. */
export async function customerContact(db: Db, user: CurrentUser, customer: { id: number; ownerId: number | null }) {
  return { email: await customerContactEmail(db, customer.id), canEdit: canRecordCollectionAction(user, customer.ownerId) };
}

export async function saveContactEmail(db: Db, user: CurrentUser, code: string, values: Record<string, string | undefined>, now = new Date()): Promise<{ email: string | null }> {
  const customer = await customerForLogging(db, user, code);
  const parsed = contactEmailSchema.safeParse(values);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const email = parsed.data.email;
  await db.transaction().execute(async (trx) => {
    const before = await customerContactEmail(trx, customer.id);
    if (before === email) return;
    await setCustomerContactEmail(trx, customer.id, email);
    await recordAudit(trx, { userId: user.id, entity: "customer", entityId: customer.code, action: "contact_email", before: { email: before }, after: { email } }, now);
  });
  return { email };
}

/** The address a letter to the customer goes to; refused in words when there is none. */
export async function requireContactEmail(db: Db, customerId: number): Promise<string> {
  const email = await customerContactEmail(db, customerId);
  if (!email) throw new AppError("conflict", "notifications.customerMail.noContact");
  return email;
}

/** E-mails the statement as of the posted date in the posted language; returns where it went. */
export async function emailStatement(db: Db, user: CurrentUser, code: string, values: Record<string, string | undefined>, today: IsoDate, now = new Date()): Promise<{ to: string }> {
  const customer = await customerForLogging(db, user, code);
  const parsed = statementMailSchema(today).safeParse(values);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  requireMail();
  const to = await requireContactEmail(db, customer.id);
  const { asOf, lang } = parsed.data;
  const made = await customerStatement(db, user, code, new URLSearchParams({ asOf, lang, format: "pdf" }), today);
  const bytes = await pdfBytes(made.pdf());
  const { company } = await getSettings(db);
  const letterT = createI18n(lang).t;
  const userT = createI18n(user.locale).t;
  const document = `${letterT("statements.title")} ${documentDate(asOf, lang)}`;
  const note = userT("statements.mail.note", { date: asOf, to });
  await recordCollectionAction(db, user, code, { kind: "email", actionDate: today, note, amount: "", dueOn: "", instalments: [] }, today, now, (trx, actionId) =>
    queueCustomerMail(
      trx,
      {
        to,
        locale: lang,
        customerName: customer.name,
        document,
        sender: user.name,
        company,
        attachment: { name: made.fileName, bytes },
        key: `customer-mail:${actionId}`,
      },
      now,
    ),
  );
  return { to };
}
