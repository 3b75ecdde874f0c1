export { InboxList } from "./inbox-list";
export { NotificationPreferencesSection } from "./preferences-section";
export { Bell } from "./bell";
export { OutboxTable } from "./outbox-table";
