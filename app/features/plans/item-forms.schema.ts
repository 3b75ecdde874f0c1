import { z } from "zod";

import { COMMENT_MAX, tooLong } from "~/features/plans/schema";

/**
 * The note form of My tasks and the board: the item page's `commentSchema` posts to the item's
 * own URL, while these lists post many items' forms to one page, so the item is named.
 */
export const itemNoteSchema = z.object({
  intent: z.literal("note"),
  itemId: z.string().regex(/^[1-9]\d{0,15}$/, "plans.validation.invalid").transform(Number),
  body: z.string().trim().min(1, "validation.required").max(COMMENT_MAX, tooLong(COMMENT_MAX)),
});
