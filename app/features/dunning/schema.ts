import { z } from "zod";

import { BODY_MAX, DUNNING_LEVELS, SUBJECT_MAX, TEMPLATE_LOCALES, placeholderProblems } from "~/features/dunning/dunning";

/** The head's template form: one level in one language. Messages are i18n keys. */
export const templateSchema = z
  .object({
    level: z.enum(DUNNING_LEVELS, { message: "dunning.validation.level" }),
    locale: z.enum(TEMPLATE_LOCALES, { message: "dunning.validation.locale" }),
    subject: z.string().trim().min(1, "dunning.validation.subjectRequired").max(SUBJECT_MAX, "dunning.validation.subjectTooLong"),
    body: z.string().trim().min(1, "dunning.validation.bodyRequired").max(BODY_MAX, "dunning.validation.bodyTooLong"),
  })
  .superRefine((value, context) => {
    for (const field of ["subject", "body"] as const) {
      for (const message of placeholderProblems(value[field])) context.addIssue({ code: "custom", path: [field], message });
    }
  });

export type TemplateValues = z.infer<typeof templateSchema>;

/** The customer page's "print a dunning letter" form. */
export const letterSchema = z.object({
  level: z.enum(DUNNING_LEVELS, { message: "dunning.validation.level" }),
  lang: z.enum(TEMPLATE_LOCALES, { message: "dunning.validation.locale" }),
});
