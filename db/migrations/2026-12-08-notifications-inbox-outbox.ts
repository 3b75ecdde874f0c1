import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Notifications. An event (a plan submitted, an item overdue, ...) is one row of
// `notification_events`; its `dedupe_key` is unique, so an event raised by the job runner each
// day (overdue, promise broken) is recorded once. Each recipient who keeps it in the inbox gets
// a `notifications` row (read or not). Whatever leaves the app (an e-mail, a chat robot's
// message) waits in `notification_outbox` until the job runner delivers it, with its attempts
// and the time of the next one: a mail server that is down delays nothing and loses nothing.
// `notification_preferences` holds a user's choice per event kind (absent = the default);
// `chat_robots` the group chat webhooks the administrator configures (URL and secret sealed with
// the installation's key); `job_locks` lets one process at a time run the delivery job.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notification_events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    // JSON: the message's parameters (names, titles, dates), rendered in each reader's language
    .addColumn("params", "text", (c) => c.notNull().defaultTo("{}"))
    // the path of the thing the event is about, e.g. /plans/3
    .addColumn("link", "text", (c) => c.notNull())
    .addColumn("actor_id", "integer", (c) => c.references("users.id"))
    .addColumn("dedupe_key", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("notification_events_dedupe").on("notification_events").column("dedupe_key").unique().execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("event_id", "integer", (c) => c.notNull().references("notification_events.id"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("read_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("notifications_event_user", ["event_id", "user_id"])
    .execute();
  await db.schema.createIndex("notifications_user_read").on("notifications").columns(["user_id", "read_at"]).execute();

  await db.schema
    .createTable("notification_preferences")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('inbox', 'email', 'chat', 'none')`))
    .addPrimaryKeyConstraint("notification_preferences_pk", ["user_id", "kind"])
    .execute();

  await db.schema
    .createTable("chat_robots")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('wecom', 'dingtalk', 'feishu')`))
    .addColumn("name", "text", (c) => c.notNull())
    // sealed (`v1:` AES-256-GCM) when the installation has QUARTERDECK_SECRET_KEY
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("zh-CN"))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("notification_outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('email', 'chat')`))
    .addColumn("event_id", "integer", (c) => c.references("notification_events.id"))
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("robot_id", "integer", (c) => c.references("chat_robots.id"))
    // an e-mail address; for chat the robot's id says where
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("dedupe_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("notification_outbox_dedupe").on("notification_outbox").column("dedupe_key").unique().execute();
  await db.schema.createIndex("notification_outbox_due").on("notification_outbox").columns(["status", "next_attempt_at"]).execute();

  await db.schema
    .createTable("job_locks")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_locks").execute();
  await db.schema.dropTable("notification_outbox").execute();
  await db.schema.dropTable("chat_robots").execute();
  await db.schema.dropTable("notification_preferences").execute();
  await db.schema.dropTable("notifications").execute();
  await db.schema.dropTable("notification_events").execute();
}
