import type { Db } from "~/server/db.server";

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

export function insertApiToken(
  db: Db,
  values: { userId: number; name: string; tokenHash: string; tokenPrefix: string; createdAt: string; expiresAt: string | null },
): Promise<ApiTokenSummary> {
  return db
    .insertInto("api_tokens")
    .values({
      user_id: values.userId,
      name: values.name,
      token_hash: values.tokenHash,
      token_prefix: values.tokenPrefix,
      created_at: values.createdAt,
      expires_at: values.expiresAt,
    })
    .returning(SUMMARY_COLUMNS)
    .executeTakeFirstOrThrow();
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

export function findApiTokenById(db: Db, tokenId: number) {
  return db.selectFrom("api_tokens").select(["id", "user_id", "name", "token_prefix", "revoked_at"]).where("id", "=", tokenId).executeTakeFirst();
}

/** The user's tokens not yet revoked. */
export function listLiveApiTokens(db: Db, userId: number) {
  return db.selectFrom("api_tokens").select(["id", "name", "token_prefix"]).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
}

/** Revokes the token, only if it belongs to `userId`. */
export async function markApiTokenRevoked(db: Db, tokenId: number, userId: number, now: Date): Promise<void> {
  await db.updateTable("api_tokens").set({ revoked_at: now.toISOString() }).where("id", "=", tokenId).where("user_id", "=", userId).execute();
}

/** The token's row and its user, by the token's hash. */
export function findApiTokenByHash(db: Db, tokenHash: string) {
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
    .where("api_tokens.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, tokenId: number, now: Date): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now.toISOString() }).where("id", "=", tokenId).execute();
}
