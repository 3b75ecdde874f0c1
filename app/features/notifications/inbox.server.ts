/** A user's inbox: the list, the bell's count, marking read, and their choices per event kind. */
import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { type Channel, EVENT_KINDS, type InboxEntry, type EventKind, effectiveChannel, readParams } from "~/features/notifications/events";
import { mailConfigured } from "~/features/notifications/settings.server";
import {
  countInbox,
  inboxPage,
  markAllNotificationsRead,
  markNotificationRead,
  replacePreferences,
  storedPreferences,
} from "~/features/notifications/queries.server";

export const INBOX_PAGE_SIZE = 50;


export async function unreadCount(db: Db, userId: number): Promise<number> {
  return countInbox(db, userId, true);
}

/** A page of the user's inbox, newest first; the words are put together in the page's language. */
export async function loadInbox(db: Db, user: { id: number }, options: { unreadOnly: boolean; page: number }) {
  const [rows, unread, total] = await Promise.all([
    inboxPage(db, user.id, { unreadOnly: options.unreadOnly, limit: INBOX_PAGE_SIZE, offset: (options.page - 1) * INBOX_PAGE_SIZE }),
    countInbox(db, user.id, true),
    countInbox(db, user.id, options.unreadOnly),
  ]);
  const entries: InboxEntry[] = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    params: readParams(row.params),
    link: row.link,
    read: row.readAt !== null,
    createdAt: row.createdAt,
  }));
  return { entries, unread, total, page: options.page, pageSize: INBOX_PAGE_SIZE, unreadOnly: options.unreadOnly };
}

/** Marks one notification read; another user's (or none) is refused with 404 and changes nothing. */
export async function markRead(db: Db, userId: number, notificationId: number, now = new Date()): Promise<void> {
  if (!(await markNotificationRead(db, userId, notificationId, now.toISOString()))) throw AppError.notFound("notifications.notFound");
}

export async function markAllRead(db: Db, userId: number, now = new Date()): Promise<void> {
  await markAllNotificationsRead(db, userId, now.toISOString());
}

export async function notificationPreferences(db: Db, userId: number): Promise<{ choices: { kind: EventKind; channel: Channel }[]; mail: boolean }> {
  const stored = new Map((await storedPreferences(db, [userId])).map((row) => [row.kind, row.channel]));
  return { choices: EVENT_KINDS.map((kind) => ({ kind, channel: effectiveChannel(kind, stored) })), mail: mailConfigured() };
}

/** Saves the choices posted as `notify-<kind>`; a kind not posted keeps its default. */
export async function saveNotificationPreferences(db: Db, userId: number, choices: Record<string, Channel | undefined>): Promise<void> {
  await replacePreferences(
    db,
    userId,
    EVENT_KINDS.flatMap((kind) => {
      const channel = choices[`notify-${kind}`];
      return channel ? [{ kind, channel }] : [];
    }),
  );
}
