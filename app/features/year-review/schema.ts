import { z } from "zod";

import { COMMENT_MAX, tooLong } from "~/features/plans";

/** The review page's posts: leadership's comment, the head's "draft next year's Q1". */
export const reviewActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("comment"), body: z.string().trim().min(1, "validation.required").max(COMMENT_MAX, tooLong(COMMENT_MAX)) }),
  z.object({ intent: z.literal("draft-next-year"), language: z.enum(["en", "zh"]).default("en") }),
]);
