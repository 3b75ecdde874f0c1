/**
 * Raising an event: called by the use cases inside their own transaction (so an event exists
 * exactly when what it tells of was saved) and by the job runner for what falls due with time.
 * It writes the event, an inbox row per recipient who keeps it, and queues the e-mails and chat
 * messages in the outbox, worded in each recipient's language; nothing is sent here.
 */
import type { Db } from "~/server/db.server";
import { createI18n } from "~/i18n";
import { type EventKind, effectiveChannel } from "~/features/notifications/events";
import { absoluteLink, eventText, mailOf } from "~/features/notifications/render";
import { mailConfigured, publicUrl } from "~/features/notifications/settings.server";
import {
  type OutboxInsert,
  activeRobots,
  activeUsers,
  insertEvent,
  insertNotifications,
  insertOutbox,
  storedPreferences,
} from "~/features/notifications/queries.server";

export interface NotificationEvent {
  kind: EventKind;
  params: Record<string, string | number>;
  /** the path of the thing it is about */
  link: string;
  /** who did it (never told of their own act); null for what the job runner raises */
  actorId: number | null;
  recipients: readonly number[];
  /** set for events raised repeatedly (each day's overdue check): the same key is recorded once */
  dedupeKey?: string | null;
  /** more text for the e-mail and chat message (a digest's lists), already in the recipients' language */
  detail?: string;
}

/**
 * What `notify` looks up about its recipients and the chat robots, kept for a batch of events
 * raised together in one transaction (a sweep raising thousands of warnings after a first
 * import): each recipient set is looked up once, not once per event.
 */
export class NotifyLookups {
  private readonly people = new Map<string, Promise<Awaited<ReturnType<typeof activeUsers>>>>();
  private readonly preferences = new Map<string, Promise<Awaited<ReturnType<typeof storedPreferences>>>>();
  private robots: ReturnType<typeof activeRobots> | null = null;

  constructor(private readonly db: Db) {}

  activeUsers(ids: readonly number[]) {
    const key = ids.join(",");
    let found = this.people.get(key);
    if (!found) this.people.set(key, (found = activeUsers(this.db, { ids })));
    return found;
  }

  storedPreferences(ids: readonly number[]) {
    const key = ids.join(",");
    let found = this.preferences.get(key);
    if (!found) this.preferences.set(key, (found = storedPreferences(this.db, ids)));
    return found;
  }

  activeRobots() {
    return (this.robots ??= activeRobots(this.db));
  }
}

/**
 * Raises an event; returns its id, or null when nobody is to hear of it or it was raised before.
 * `lookups` (one per batch, same `db`) spares a batch of events the same recipients' lookups.
 */
export async function notify(db: Db, event: NotificationEvent, now = new Date(), lookups: NotifyLookups = new NotifyLookups(db)): Promise<number | null> {
  const wanted = [...new Set(event.recipients)].filter((id) => id !== event.actorId);
  if (wanted.length === 0) return null;
  const at = now.toISOString();
  const eventId = await insertEvent(db, {
    kind: event.kind,
    params: JSON.stringify(event.params),
    link: event.link,
    actorId: event.actorId,
    dedupeKey: event.dedupeKey ?? null,
    at,
  });
  if (eventId === null) return null;

  const people = await lookups.activeUsers(wanted);
  const stored = await lookups.storedPreferences(people.map((person) => person.id));
  const inbox: number[] = [];
  const outbox: OutboxInsert[] = [];
  const chatNames: string[] = [];
  const link = absoluteLink(publicUrl(), event.link);
  for (const person of people) {
    const choices = new Map(stored.filter((row) => row.user_id === person.id).map((row) => [row.kind, row.channel]));
    const channel = effectiveChannel(event.kind, choices);
    if (channel === "none") continue;
    inbox.push(person.id);
    if (channel === "email" && mailConfigured()) {
      const t = createI18n(person.locale).t;
      const mail = mailOf(eventText(event.kind, event.params, person.locale, t), link, t, event.detail);
      outbox.push({ channel: "email", eventId, userId: person.id, robotId: null, recipient: person.email, ...mail, dedupeKey: `email:${eventId}:${person.id}` });
    }
    if (channel === "chat") chatNames.push(person.name);
  }
  if (chatNames.length > 0) {
    for (const robot of await lookups.activeRobots()) {
      const t = createI18n(robot.locale).t;
      const text = eventText(event.kind, event.params, robot.locale, t);
      outbox.push({
        channel: "chat",
        eventId,
        userId: null,
        robotId: robot.id,
        recipient: robot.name,
        subject: text,
        body: `${text}\n${t("notifications.chat.to", { names: chatNames.join(robot.locale === "zh-CN" ? "、" : ", ") })}\n${link}`,
        dedupeKey: `chat:${eventId}:${robot.id}`,
      });
    }
  }
  await insertNotifications(db, eventId, inbox, at);
  await insertOutbox(db, outbox, at);
  return eventId;
}
