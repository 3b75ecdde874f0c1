import crypto from "node:crypto";

import type { Db } from "~/server/db.server";
import { recordAudit } from "~/features/audit/index.server";
import { AppError } from "~/kernel/app-error";
import { type Permission, type Role, can } from "~/kernel/permissions";

import {
  type ApiTokenSummary,
  findApiTokenByHash,
  listApiTokens,
  findApiTokenById,
  insertApiToken,
  listLiveApiTokens,
  markApiTokenRevoked,
} from "./queries/api-tokens.server";
import { hashToken } from "./sessions.server";

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

export async function createApiToken(
  db: Db,
  input: { userId: number; name: string; expiresInDays: number | null },
  now = new Date(),
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const token = `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
  const expiresAt = input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString();
  const summary = await db.transaction().execute(async (trx) => {
    const row = await insertApiToken(trx, {
      userId: input.userId,
      name: input.name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      createdAt: now.toISOString(),
      expiresAt,
    });
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

/**
 * Revokes one of the user's own tokens (revoking it again changes nothing). Another user's token
 * is refused exactly as a missing one, so the answer never confirms that an id exists.
 */
export async function revokeApiToken(
  db: Db,
  input: { tokenId: number; userId: number },
  now = new Date(),
): Promise<{ name: string; alreadyRevoked: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = await findApiTokenById(trx, input.tokenId);
    if (!row || row.user_id !== input.userId) throw AppError.notFound("apiTokens.unknownToken");
    if (row.revoked_at !== null) return { name: row.name, alreadyRevoked: true };
    await markApiTokenRevoked(trx, row.id, input.userId, now);
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
    return { name: row.name, alreadyRevoked: false };
  });
}

/** The token's row and its user, by the token's value (looked up by hash). */
export function findApiTokenByValue(db: Db, token: string) {
  return findApiTokenByHash(db, hashToken(token));
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
  const live = await listLiveApiTokens(db, userId);
  for (const token of live) {
    await markApiTokenRevoked(db, token.id, userId, now);
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

const MANAGE: Permission = "api-token:manage";

/** The settings page's token list (null for those who may not have tokens), each marked expired or not at `now`. */
export async function apiTokensOf(db: Db, user: { id: number; role: Role }, now = new Date()) {
  if (!can(user, MANAGE)) return null;
  const tokens = await listApiTokens(db, user.id);
  return tokens.map((token) => ({ ...token, expired: token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime() }));
}

/** A token for the signed-in user, if their role may have tokens. */
export function createOwnApiToken(
  db: Db,
  user: { id: number; role: Role },
  input: { name: string; expiresInDays: number | null },
  now = new Date(),
): Promise<{ token: string; summary: ApiTokenSummary }> {
  if (!can(user, MANAGE)) throw AppError.forbidden();
  return createApiToken(db, { userId: user.id, ...input }, now);
}

/** Revokes one of the signed-in user's tokens, if their role may have tokens. */
export function revokeOwnApiToken(
  db: Db,
  user: { id: number; role: Role },
  tokenId: number,
  now = new Date(),
): Promise<{ name: string; alreadyRevoked: boolean }> {
  if (!can(user, MANAGE)) throw AppError.forbidden();
  return revokeApiToken(db, { tokenId, userId: user.id }, now);
}
