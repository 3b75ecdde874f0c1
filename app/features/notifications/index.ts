/** What other features and the routes may use of notifications on both sides. */
export { CHANNELS, EVENT_KINDS, OUTBOX_FILTERS, type Channel, type EventKind, type InboxEntry, type OutboxFilter } from "./events";
