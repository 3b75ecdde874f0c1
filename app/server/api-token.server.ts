import crypto from "node:crypto";

import type { Db } from "~/server/db.server";
import { recordAudit } from "~/server/audit.server";
import { hashToken } from "~/server/session.server";

/**
 * Personal API tokens. The value (`qd_` + 256 random bits) is returned once at creation and only
 * its SHA-256 is stored, as for sessions. Every query names the owning user, so one user can
 * never list, use or revoke another's token through these functions.
 */

export const API_TOKEN_PREFIX = "qd_";
/** `qd_` + 43 base64url characters (32 bytes). */
export const API_TOKEN_PATTERN = /^qd_[A-Za-z0-9_-]{43}$/;
/** How much of the token the list shows, to tell tokens apart: `qd_` and 6 random characters. */
const SHOWN_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;

export interface ApiTokenSummary {
  id: number;
  name: string;
  tokenPrefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

const SUMMARY_COLUMNS = [
  "id",
  "name",
  "token_prefix as tokenPrefix",
  "created_at as createdAt",
  "expires_at as expiresAt",
  "last_used_at as lastUsedAt",
] as const;

export async function createApiToken(
  db: Db,
  input: { userId: number; name: string; expiresInDays: number | null },
  now = new Date(),
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const token = `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
  const expiresAt =
    input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString();
  const summary = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("api_tokens")
      .values({
        user_id: input.userId,
        name: input.name,
        token_hash: hashToken(token),
        token_prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        created_at: now.toISOString(),
        expires_at: expiresAt,
      })
      .returning(SUMMARY_COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      {
        userId: input.userId,
        entity: "api_token",
        entityId: row.id,
        action: "create",
        after: { userId: input.userId, name: row.name, tokenPrefix: row.tokenPrefix, expiresAt: row.expiresAt },
      },
      now,
    );
    return row;
  });
  return { token, summary };
}

/** The user's tokens that have not been revoked (expired ones included, so they can be cleared), newest first. */
export function listApiTokens(db: Db, userId: number): Promise<ApiTokenSummary[]> {
  return db
    .selectFrom("api_tokens")
    .select(SUMMARY_COLUMNS)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

export type RevokeOutcome =
  | { outcome: "revoked"; name: string }
  | { outcome: "already-revoked"; name: string }
  | { outcome: "not-found" }
  | { outcome: "not-yours" };

/** Revokes one of the user's own tokens; another user's token id changes nothing. */
export async function revokeApiToken(
  db: Db,
  input: { tokenId: number; userId: number },
  now = new Date(),
): Promise<RevokeOutcome> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("api_tokens")
      .select(["id", "user_id", "name", "token_prefix", "revoked_at"])
      .where("id", "=", input.tokenId)
      .executeTakeFirst();
    if (!row) return { outcome: "not-found" as const };
    if (row.user_id !== input.userId) return { outcome: "not-yours" as const };
    if (row.revoked_at !== null) return { outcome: "already-revoked" as const, name: row.name };
    await trx
      .updateTable("api_tokens")
      .set({ revoked_at: now.toISOString() })
      .where("id", "=", row.id)
      .where("user_id", "=", input.userId)
      .execute();
    await recordAudit(
      trx,
      {
        userId: input.userId,
        entity: "api_token",
        entityId: row.id,
        action: "revoke",
        before: { name: row.name, tokenPrefix: row.token_prefix, revokedAt: null },
        after: { name: row.name, tokenPrefix: row.token_prefix, revokedAt: now.toISOString() },
      },
      now,
    );
    return { outcome: "revoked" as const, name: row.name };
  });
}

/** The token's row and its user, by the token's value (looked up by hash). */
export function findApiTokenByValue(db: Db, token: string) {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.id as tokenId",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "users.id",
      "users.email",
      "users.name",
      "users.role",
      "users.active",
    ])
    .where("api_tokens.token_hash", "=", hashToken(token))
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: number, now = new Date()): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", tokenId).execute();
}

/**
 * Revokes every live token of a user (a password reset: whoever had the account may have
 * created tokens too). Audited per token, by the administrator who acted.
 */
export async function revokeAllApiTokensOf(
  db: Db,
  userId: number,
  actorId: number | null,
  now = new Date(),
  reason: "password-reset" | "deactivated" = "password-reset",
): Promise<number> {
  const live = await db
    .selectFrom("api_tokens")
    .select(["id", "name", "token_prefix"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
  for (const token of live) {
    await db.updateTable("api_tokens").set({ revoked_at: now.toISOString() }).where("id", "=", token.id).execute();
    await recordAudit(
      db,
      {
        userId: actorId,
        entity: "api_token",
        entityId: token.id,
        action: `revoke:${reason}`,
        before: { name: token.name, tokenPrefix: token.token_prefix, revokedAt: null },
        after: { name: token.name, tokenPrefix: token.token_prefix, revokedAt: now.toISOString() },
      },
      now,
    );
  }
  return live.length;
}
