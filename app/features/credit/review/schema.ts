import { z } from "zod";

import { DECISIONS } from "~/features/credit/review/review";
import { parseAmount } from "~/kernel/money";

/** The credit review's forms: one schema per form, shared by the page and its action (strings in). */

const commentField = z.string().trim().max(1000, "creditReview.validation.commentTooLong");

/** A credit limit typed by a person: not negative, at most two decimals (money.ts parses it). */
export const limitText = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    if (text === "") return;
    if (/^-/.test(text.replace(/^[¥￥$\s]+/, ""))) {
      ctx.addIssue({ code: "custom", message: "creditReview.validation.limitNegative" });
      return;
    }
    const parsed = parseAmount(text);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: /decimal/.test(parsed.message) ? "creditReview.validation.limitDecimals" : "creditReview.validation.limit" });
    else if (parsed.minor < 0) ctx.addIssue({ code: "custom", message: "creditReview.validation.limitNegative" });
  })
  .transform((text) => {
    const parsed = text === "" ? null : parseAmount(text);
    return parsed && parsed.ok ? parsed.minor : null;
  });

export const decisionSchema = z
  .object({
    intent: z.literal("decide"),
    itemId: z.string().regex(/^\d{1,12}$/, "creditReview.validation.invalid"),
    decision: z.enum(DECISIONS, { message: "creditReview.validation.decision" }),
    grade: z
      .string()
      .trim()
      .max(8, "creditReview.validation.unknownGrade")
      .optional()
      .transform((code) => (code ? code : null)),
    limit: limitText.optional().transform((minor) => minor ?? null),
    comment: commentField.optional().transform((text) => text ?? ""),
  })
  .superRefine((input, ctx) => {
    if ((input.decision === "modify" || input.decision === "reject") && input.comment === "") {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "creditReview.validation.commentRequired" });
    }
    if (input.decision === "modify" && !input.grade && (input.limit === null || input.limit === undefined)) {
      ctx.addIssue({ code: "custom", path: ["grade"], message: "creditReview.validation.modifyNothing" });
    }
  })
  .transform(({ itemId, decision, grade, limit, comment }) => ({
    itemId: Number(itemId),
    decision,
    grade: decision === "modify" ? grade : null,
    limit: decision === "modify" ? limit : null,
    comment,
  }));

export const approvalSchema = z
  .object({
    intent: z.enum(["approve", "decline"]),
    itemId: z.string().regex(/^\d{1,12}$/, "creditReview.validation.invalid"),
    comment: commentField.optional().transform((text) => text ?? ""),
  })
  .superRefine((input, ctx) => {
    if (input.intent === "decline" && input.comment === "") {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "creditReview.validation.declineComment" });
    }
  })
  .transform(({ intent, itemId, comment }) => ({ approve: intent === "approve", itemId: Number(itemId), comment }));

export const approvalAmountSchema = z.object({
  intent: z.literal("set-approval-amount"),
  amount: z
    .string()
    .trim()
    .min(1, "creditReview.validation.amountRequired")
    .pipe(limitText)
    .transform((minor) => minor ?? 0),
});

export const openReviewSchema = z.object({ intent: z.literal("open") });
