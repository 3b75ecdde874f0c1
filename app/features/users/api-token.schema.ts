import { z } from "zod";

export const API_TOKEN_NAME_MAX = 100;
export const API_TOKEN_MAX_DAYS = 365;

// Messages are i18n keys. `expiresInDays` empty = the token works until revoked.
export const createApiTokenSchema = z.object({
  intent: z.literal("create-token"),
  name: z.string().trim().min(1, "validation.required").max(API_TOKEN_NAME_MAX, "validation.nameTooLong"),
  expiresInDays: z
    .string()
    .trim()
    .default("")
    .refine(
      (days) => days === "" || (/^\d{1,3}$/.test(days) && Number(days) >= 1 && Number(days) <= API_TOKEN_MAX_DAYS),
      "apiTokens.expiryInvalid",
    )
    .transform((days) => (days === "" ? null : Number(days))),
});

export const revokeApiTokenSchema = z.object({
  intent: z.literal("revoke-token"),
  tokenId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, "apiTokens.unknownToken")
    .transform(Number),
});
