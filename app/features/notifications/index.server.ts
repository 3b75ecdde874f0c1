/** What other features and the routes use of notifications. */
export {
  commentAdded,
  holdChanged,
  importEnded,
  itemAssigned,
  limitAwaitingApproval,
  planTransitioned,
  provisionRunApproved,
  provisionRunDrafted,
  statusPublicationEvent,
  warningsRaised,
} from "~/features/notifications/emit.server";
export { notify, type NotificationEvent } from "~/features/notifications/notify.server";
export { loadInbox, markAllRead, markRead, notificationPreferences, saveNotificationPreferences, unreadCount } from "~/features/notifications/inbox.server";
export { addRobot, loadRobots, removeRobot } from "~/features/notifications/robots.server";
export { notificationsJob, runNotifications } from "~/features/notifications/job.server";
export { deliverOutbox } from "~/features/notifications/delivery.server";
export { raiseTimeEvents } from "~/features/notifications/time-events.server";
export { digestsFor, sendDigests, staffDigest } from "~/features/notifications/digest.server";
export { type CustomerMail, queueCustomerMail, requireMail } from "~/features/notifications/customer-mail.server";
export { loadOutbox, retryOutboxNow } from "~/features/notifications/outbox.server";
