import crypto from "node:crypto";

import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's recommended memory/time cost; hashing runs off the main thread.
const ALGORITHM_ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ALGORITHM_ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash that no password matches, verified against for unknown users so timing does not tell. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomBytes(24).toString("base64"));
  return decoyHash;
}

/** 20 characters from an alphabet without look-alikes: easy to read out, ~110 bits. */
export const GENERATED_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/**
 * 20 characters drawn uniformly from an alphabet without look-alikes. `crypto.randomInt` rejects
 * and redraws out-of-range values, so no character is likelier than another (a byte modulo 57
 * would favour the first 28).
 */
export function generatePassword(): string {
  const alphabet = GENERATED_PASSWORD_ALPHABET;
  return Array.from({ length: 20 }, () => alphabet[crypto.randomInt(alphabet.length)]).join("");
}
