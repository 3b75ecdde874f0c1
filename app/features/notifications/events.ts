/**
 * What a notification is, as data: the kinds of event, where each can go, the defaults, the
 * retry schedule of the outbox and the @mentions of a comment. Pure: no I/O.
 */
import { isOneOf } from "~/kernel/guards";
import { toEpochDay } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";

export const EVENT_KINDS = [
  "plan_submitted",
  "plan_returned",
  "plan_approved",
  "item_assigned",
  "item_due_soon",
  "item_overdue",
  "item_commented",
  "mentioned",
  "promise_due",
  "promise_broken",
  "hold_set",
  "hold_released",
  "limit_awaiting_approval",
  "import_finished",
  "import_failed",
  "warning_raised",
  "provision_run_drafted",
  "provision_run_approved",
  "status_published",
  "status_commented",
  "digest",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const CHANNELS = ["inbox", "email", "chat", "none"] as const;
export type Channel = (typeof CHANNELS)[number];

export function isEventKind(value: unknown): value is EventKind {
  return isOneOf(EVENT_KINDS, value);
}
export function isChannel(value: unknown): value is Channel {
  return isOneOf(CHANNELS, value);
}

/**
 * Without a choice of their own, what asks someone to act (approve, fix, chase) also goes by
 * e-mail; the rest waits in the inbox. `inbox` keeps it in the app only, `email` and `chat`
 * also send it (the inbox keeps it too), `none` drops it.
 */
const DEFAULT_EMAIL: readonly EventKind[] = ["plan_submitted", "plan_returned", "item_overdue", "promise_broken", "limit_awaiting_approval", "import_failed", "mentioned", "warning_raised", "provision_run_drafted", "digest"];

export function defaultChannel(kind: EventKind): Channel {
  return DEFAULT_EMAIL.includes(kind) ? "email" : "inbox";
}

export function effectiveChannel(kind: EventKind, stored: ReadonlyMap<string, Channel>): Channel {
  return stored.get(kind) ?? defaultChannel(kind);
}

/** Days before an item's due date that it counts as due soon. */
export const DUE_SOON_DAYS = 3;

/** Outbox retries: 30 s, 1 min, 2 min, ... doubling up to 6 hours; after this many attempts the message is failed. */
export const MAX_ATTEMPTS = 12;
const FIRST_DELAY_MS = 30_000;
const LONGEST_DELAY_MS = 6 * 60 * 60_000;

/** When the attempt after `attempts` failed ones is due. */
export function nextAttemptAt(attempts: number, now: Date): Date {
  const delay = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return new Date(now.getTime() + delay);
}

/**
 * The people a comment mentions: `@` followed by a user's e-mail, or by the part of it before
 * the `@` (`@li.wei`). Names are not matched: two people may share one.
 */
export function mentionedUserIds(body: string, users: readonly { id: number; email: string }[]): number[] {
  const handles = new Set([...body.matchAll(/(?:^|[^\w.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)/g)].map((match) => (match[1] ?? "").toLowerCase().replace(/\.$/, "")));
  return users
    .filter((user) => {
      const email = user.email.toLowerCase();
      return handles.has(email) || handles.has(email.split("@")[0] ?? "");
    })
    .map((user) => user.id);
}

/** An event's parameters as stored (JSON text), read back without trusting their shape. */
export function readParams(text: string): Record<string, string | number> {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) return {};
    const params: Record<string, string | number> = {};
    for (const [key, entry] of Object.entries(value)) if (typeof entry === "string" || typeof entry === "number") params[key] = entry;
    return params;
  } catch {
    return {};
  }
}

/** One entry of a user's inbox as the page gets it (its words are put together in the page's language). */
export interface InboxEntry {
  id: number;
  kind: string;
  params: Record<string, string | number>;
  link: string;
  read: boolean;
  createdAt: string;
}

export const DIGESTS = ["staff", "head", "leadership"] as const;
export type DigestKind = (typeof DIGESTS)[number];

/** 0 = Sunday ... 6 = Saturday (1970-01-01, epoch day 0, was a Thursday). */
export function weekday(date: IsoDate): number {
  return (((toEpochDay(date) + 4) % 7) + 7) % 7;
}

/** The weekly digests go out on Mondays, leadership's monthly one on the 1st (about the month before). */
export function digestsDueOn(date: IsoDate): DigestKind[] {
  const due: DigestKind[] = [];
  if (weekday(date) === 1) due.push("staff", "head");
  if (date.endsWith("-01")) due.push("leadership");
  return due;
}

/** The administrator's outbox page shows the messages of one state, or all. */
export const OUTBOX_FILTERS = ["pending", "failed", "sent", "all"] as const;
export type OutboxFilter = (typeof OUTBOX_FILTERS)[number];
