import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// Two-factor sign-in (TOTP). The secret lives on the user (encrypted when the installation has a
// key); a secret being set up waits in `two_factor_pending_secret` until a code confirms it.
// `two_factor_last_step` is the last accepted 30-second step: a code is accepted once.
// Recovery codes are kept only as argon2id hashes. A pending sign-in is the password step's
// result, waiting for the code, bound to the browser by a cookie whose hash is its id.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("two_factor_secret", "text").execute();
  await db.schema.alterTable("users").addColumn("two_factor_pending_secret", "text").execute();
  await db.schema.alterTable("users").addColumn("two_factor_enabled_at", "text").execute();
  await db.schema.alterTable("users").addColumn("two_factor_last_step", "integer").execute();
  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("recovery_codes_user_id").on("recovery_codes").column("user_id").execute();
  await db.schema
    .createTable("pending_sign_ins")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("redirect_to", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("pending_sign_ins").execute();
  await db.schema.dropTable("recovery_codes").execute();
  await db.schema.alterTable("users").dropColumn("two_factor_last_step").execute();
  await db.schema.alterTable("users").dropColumn("two_factor_enabled_at").execute();
  await db.schema.alterTable("users").dropColumn("two_factor_pending_secret").execute();
  await db.schema.alterTable("users").dropColumn("two_factor_secret").execute();
}
