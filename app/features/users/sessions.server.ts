import crypto from "node:crypto";

import type { Db } from "~/server/db.server";

import { findSessionById, insertSession } from "./queries/sessions.server";

/** Sessions and API tokens store only the SHA-256 of their value. */
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** A new session for the user; returns its token (the cookie's value), stored only as its hash. */
export async function createSessionRecord(
  db: Db,
  input: { userId: number; ip: string | null; userAgent: string | null; absoluteMinutes: number },
  now = new Date(),
): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await insertSession(db, {
    id: hashToken(token),
    userId: input.userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.absoluteMinutes * 60_000).toISOString(),
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

export function findSessionByToken(db: Db, token: string) {
  return findSessionById(db, hashToken(token));
}
