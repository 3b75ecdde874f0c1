/** What other features and the routes may use of notifications on both sides. */
export { CHANNELS, EVENT_KINDS, type Channel, type EventKind, type InboxEntry } from "./events";
