import { z } from "zod";

import { HOLD_KINDS } from "~/features/credit/holds/holds";

/** The head sets or releases a hold, always with a reason. */
/** The longest reason a hold is set or released with (the form's textarea stops there too). */
export const HOLD_REASON_MAX = 500;
const holdReason = z.string().trim().min(1, "holds.validation.reasonRequired").max(HOLD_REASON_MAX, "holds.validation.reasonTooLong");

export const setHoldSchema = z.object({
  intent: z.literal("set-hold"),
  kind: z.enum(HOLD_KINDS, { message: "holds.validation.kind" }),
  reason: holdReason,
});

export const releaseHoldSchema = z.object({
  intent: z.literal("release-hold"),
  reason: holdReason,
});

const customerField = z.string().trim().min(1, "holds.validation.customerRequired").max(64, "holds.validation.unknownCustomer");

export const setHoldFormSchema = setHoldSchema.extend({ customer: customerField });
export const releaseHoldFormSchema = releaseHoldSchema.extend({ customer: customerField });
export const holdChangeSchema = z.discriminatedUnion("intent", [setHoldFormSchema, releaseHoldFormSchema]);
