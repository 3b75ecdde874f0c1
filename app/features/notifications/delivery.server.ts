/**
 * Delivers the outbox: e-mails over SMTP and chat robots' messages, oldest first. A message that
 * fails stays queued with its error and is tried again later, the delay doubling (30 s up to
 * 6 hours) until MAX_ATTEMPTS; a message is marked sent only once the server accepted it, and a
 * sent one is never picked again. Run by the one job runner that holds the lock.
 */
import nodemailer from "nodemailer";

import type { Db } from "~/server/db.server";
import { openSecret } from "~/server/secret-box.server";
import { MAX_ATTEMPTS, nextAttemptAt } from "~/features/notifications/events";
import { postToRobot } from "~/features/notifications/chat.server";
import { mailSettings } from "~/features/notifications/settings.server";
import { type OutboxRow, dueOutbox, findRobot, markOutboxFailedAttempt, markOutboxSent } from "~/features/notifications/queries.server";

const BATCH = 50;

export interface DeliveryReport {
  sent: number;
  failed: number;
}

/** SMTP_URL as nodemailer's options: smtp:// (STARTTLS when offered) or smtps://, user and password in the URL. */
function smtpOptions(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === "smtps:";
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : undefined,
    // a server that does not answer makes this attempt fail; the outbox tries again later
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

async function deliver(db: Db, row: OutboxRow, now: Date): Promise<void> {
  if (row.channel === "email") {
    const settings = mailSettings();
    if (!settings) throw new Error("SMTP_URL is not set");
    const transport = nodemailer.createTransport(smtpOptions(settings.url));
    try {
      // The outbox row's id in the Message-ID lets a mail system tell a retried message from a new one.
      await transport.sendMail({
        from: settings.from,
        to: row.recipient,
        subject: row.subject,
        text: row.body,
        messageId: `<outbox-${row.id}@quarterdeck>`,
        attachments: row.attachment === null ? [] : [{ filename: row.attachmentName ?? "document.pdf", content: Buffer.from(row.attachment, "base64"), contentType: "application/pdf" }],
      });
    } finally {
      transport.close();
    }
    return;
  }
  const robot = row.robotId === null ? undefined : await findRobot(db, row.robotId);
  if (!robot) throw new Error("the robot no longer exists");
  await postToRobot({ kind: robot.kind, url: openSecret(robot.url), secret: robot.secret === null ? null : openSecret(robot.secret) }, row.body, now);
}

/** Sends what is due now; returns how many went and how many failed this time. */
export async function deliverOutbox(db: Db, now = new Date()): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0 };
  for (const row of await dueOutbox(db, now.toISOString(), BATCH)) {
    try {
      await deliver(db, row, now);
      await markOutboxSent(db, row.id, new Date().toISOString());
      report.sent += 1;
    } catch (error) {
      const attempts = row.attempts + 1;
      const next = attempts >= MAX_ATTEMPTS ? null : nextAttemptAt(attempts, now).toISOString();
      await markOutboxFailedAttempt(db, row.id, attempts, next, error instanceof Error ? error.message.slice(0, 500) : String(error));
      report.failed += 1;
    }
  }
  return report;
}
