/**
 * A document e-mailed to a customer (a statement of account, a dunning letter): queued in the
 * outbox with its PDF attached and sent by the job runner like every other e-mail, so a mail
 * server that is down delays it and loses nothing. Called inside the transaction that records the
 * collection action, under a key naming that action: one action, one message.
 */
import { createI18n } from "~/i18n";
import { AppError } from "~/kernel/app-error";
import type { Db } from "~/server/db.server";
import { mailConfigured } from "~/features/notifications/settings.server";
import { insertOutbox } from "~/features/notifications/queries.server";

export interface CustomerMail {
  to: string;
  /** the letter's language: the covering words follow it */
  locale: "en" | "zh-CN";
  customerName: string;
  /** what is attached, as the letter calls itself ("Demand for payment", "对账单") */
  document: string;
  sender: string;
  company: { name: string; contact: string };
  attachment: { name: string; bytes: Uint8Array };
  /** names the collection action the sending is */
  key: string;
}

/** Refused (409) before anything is made when this installation sends no e-mail. */
export function requireMail(): void {
  if (!mailConfigured()) throw new AppError("conflict", "notifications.customerMail.mailOff");
}

export async function queueCustomerMail(db: Db, mail: CustomerMail, now = new Date()): Promise<void> {
  requireMail();
  const { t } = createI18n(mail.locale);
  const signature = [mail.sender, mail.company.name, mail.company.contact].filter((line) => line.trim() !== "").join("\n");
  await insertOutbox(
    db,
    [
      {
        channel: "email",
        eventId: null,
        userId: null,
        robotId: null,
        recipient: mail.to,
        subject: mail.company.name ? `${mail.document} · ${mail.company.name}` : mail.document,
        body: `${t("notifications.customerMail.body", { customer: mail.customerName, document: mail.document })}\n\n${signature}\n`,
        dedupeKey: mail.key,
        attachment: { name: mail.attachment.name, base64: Buffer.from(mail.attachment.bytes).toString("base64") },
      },
    ],
    now.toISOString(),
  );
}
