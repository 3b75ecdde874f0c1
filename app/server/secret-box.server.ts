import crypto from "node:crypto";

/**
 * Secrets kept at rest (the users' TOTP secrets) are encrypted with AES-256-GCM when the
 * installation has a key: QUARTERDECK_SECRET_KEY, 32 bytes as 64 hex characters or base64. Without
 * a key they are stored as they are (the README says so): a stolen database then yields them.
 * Encrypted values start with `v1:`; values stored before a key was configured still read.
 */
const PREFIX = "v1:";

function secretKey(): Buffer | null {
  const raw = process.env.QUARTERDECK_SECRET_KEY?.trim();
  if (!raw) return null;
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length !== 32) throw new Error("QUARTERDECK_SECRET_KEY must be 32 bytes: 64 hex characters or base64");
  return key;
}

export function sealSecret(plain: string): string {
  const key = secretKey();
  if (!key) return plain;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64")}`;
}

export function openSecret(stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const key = secretKey();
  if (!key) throw new Error("A secret is stored encrypted but QUARTERDECK_SECRET_KEY is not set");
  const bytes = Buffer.from(stored.slice(PREFIX.length), "base64");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}
