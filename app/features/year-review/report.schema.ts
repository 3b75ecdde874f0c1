import { z } from "zod";

import { COMMENT_MAX, tooLong } from "~/features/plans";

const TEXT_TOO_LONG = "review.report.validation.textTooLong";

/** A section's text: room for a few pages of Markdown. */
export const REPORT_TEXT_MAX = 20_000;

const text = z.string().max(REPORT_TEXT_MAX, TEXT_TOO_LONG).transform((value) => value.replace(/\r\n?/g, "\n").trimEnd());
const comment = z.string().trim().max(COMMENT_MAX, tooLong(COMMENT_MAX)).default("");
const version = z.coerce.number().int().min(0);

/**
 * The report page's posts: the head saves or submits the four texts with the version they were
 * based on (0: the generated draft, nothing stored yet); leadership returns or accepts with a
 * comment per section.
 */
export const reportActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.enum(["save", "submit"]), version, overdue: text, work: text, problems: text, measures: text }),
  z.object({
    intent: z.enum(["return", "accept"]),
    version,
    comment_overdue: comment,
    comment_work: comment,
    comment_problems: comment,
    comment_measures: comment,
  }),
]);
export type ReportActionInput = z.infer<typeof reportActionSchema>;
