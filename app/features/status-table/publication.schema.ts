import { z } from "zod";

import { COMMENT_MAX, tooLong } from "~/features/plans";

/** A note: room for a few pages of Markdown, as a report section. */
export const NOTE_MAX = 20_000;

const version = z.coerce.number({ message: "status.published.error.version" }).int("status.published.error.version").min(0, "status.published.error.version");

/**
 * The head's publish form: the month, the note leadership reads with the table (required: a table
 * sent without a word is not a report), and the version it corrects (0: a first publication).
 */
export const publishSchema = z.object({
  month: z.string().trim(),
  note: z
    .string()
    .max(NOTE_MAX, "status.published.error.noteTooLong")
    .transform((value) => value.replace(/\r\n?/g, "\n").trimEnd())
    .refine((value) => value.trim() !== "", "status.published.error.noteRequired"),
  version,
});
export type PublishInput = z.infer<typeof publishSchema>;

/** Leadership's comment on the version they read. */
export const commentSchema = z.object({
  body: z.string().trim().min(1, "status.published.error.commentRequired").max(COMMENT_MAX, tooLong(COMMENT_MAX)),
  version,
});
