import type { Db } from "~/server/db.server";
import { creditPolicyFormSchema } from "~/features/credit/grades/schema";
import { saveCreditPolicy } from "~/features/credit/grades/queries.server";
import { AppError, type FieldErrors } from "~/kernel/app-error";

/**
 * The head saves the whole policy, validated again with the form's schema (`raw`: the posted
 * form as the nested object the schema reads). Errors are keyed by dotted path
 * (`grades.1.graceDays`); a policy whose grade codes differ from the stored ones (another save
 * came first) is refused as a whole.
 */
export async function saveCreditPolicyForm(db: Db, raw: Record<string, unknown>, userId: number): Promise<{ ok: true; changed: boolean }> {
  const parsed = creditPolicyFormSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? issue.path.join(".") : "form";
      (fieldErrors[key] ??= []).push(issue.message);
    }
    throw AppError.invalid(fieldErrors);
  }
  const { basedOn, ...policy } = parsed.data;
  const result = await saveCreditPolicy(db, policy, userId, new Date(), basedOn);
  if (result.ok) return { ok: true, changed: result.changed };
  if (result.error === "conflict") throw AppError.conflict("credit.validation.policyConflict", result.current);
  throw new AppError("invalid", "credit.validation.gradesChanged", { fieldErrors: { form: ["credit.validation.gradesChanged"] } });
}
