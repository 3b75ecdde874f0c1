import { Form, useFetcher } from "@remix-run/react";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";

import { SelectField, TextField, useErrorText } from "~/ui/field";
import type { CurrentDecision, WorklistItemView } from "~/features/credit/review/review";
import { approvalSchema, decisionSchema } from "~/features/credit/review/schema";
import type { Answer, Refusal } from "~/server/responses.server";

/**
 * A worklist row's decision form and a leader's approve / decline form. Plain forms that post
 * to the page and come back without JavaScript; with it, the shared zod schema checks the form
 * first and a fetcher posts it in the background (the page's loaders revalidate after).
 */

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

type Errors = Record<string, string[] | undefined>;

/** A refused post on a review page: `subjectId` is the worklist row, a 409's `current` the row's decision as stored now. */
export type ReviewRefusal = Refusal<CurrentDecision>;

/** One fetcher per kind of form for the whole page, so the page can say what the last post did. */
export const DECIDE_FETCHER = "credit-review-decide";
export const APPROVE_FETCHER = "credit-review-approve";

function useRowForm(key: string, itemId: number, schema: z.ZodType, refusal: ReviewRefusal | null) {
  const fetcher = useFetcher<Answer<CurrentDecision>>({ key });
  const hydrated = useHydrated();
  const [clientErrors, setClientErrors] = useState<Errors | null>(null);
  const mine = fetcher.data && fetcher.data.subjectId === itemId ? fetcher.data : null;
  const answer = mine ?? refusal;
  const errors: Errors = clientErrors ?? (answer && !answer.ok ? answer.fieldErrors : {});
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    if (!hydrated) return;
    event.preventDefault();
    const form = event.currentTarget;
    // a form's submit event is a SubmitEvent, and its submit controls are buttons
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const formData = new FormData(form);
    if (submitter?.name) formData.set(submitter.name, submitter.value);
    const parsed = schema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) (found[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
      setClientErrors(found);
      return;
    }
    setClientErrors(null);
    fetcher.submit(formData, { method: "post" });
  };
  return { fetcher, errors, answer, onSubmit, busy: fetcher.state !== "idle" && fetcher.formData?.get("itemId") === String(itemId) };
}

/**
 * A refusal that belongs to no field (a 409 also says who decided the row meanwhile); success is
 * said once for the page (see the route).
 */
function FormMessage({ answer, errors }: { answer: Answer<CurrentDecision> | null; errors: Errors }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const refused = answer && !answer.ok ? answer : null;
  const atFields = refused ? Object.values(refused.fieldErrors).some((messages) => messages?.length) : false;
  const general = errors.form?.[0] ?? (refused && !atFields ? refused.message : null);
  if (!general) return null;
  const current = refused?.code === "conflict" ? refused.current : null;
  return (
    <p className="field__error" role="alert">
      {text(general)}
      {current?.decision && current.decidedByName ? (
        <> {t("creditReview.validation.alreadyDecidedBy", { name: current.decidedByName, decision: t(`creditReview.decided.${current.decision}`) })}</>
      ) : null}
    </p>
  );
}

export function DecisionForm({
  item,
  grades,
  refusal,
  suggestionText,
}: {
  item: WorklistItemView;
  grades: string[];
  /** the page's answer to a post without JavaScript, when it was about this row */
  refusal: ReviewRefusal | null;
  suggestionText: ReactNode;
}) {
  const { t } = useTranslation();
  const { errors, answer, onSubmit, busy } = useRowForm(DECIDE_FETCHER, item.id, decisionSchema, refusal);
  const [choice, setChoice] = useState<string>("");
  const customer = `${item.customerCode} ${item.customerName}`;
  const id = (name: string) => `decide-${item.id}-${name}`;
  return (
    <Form method="post" className="review-form" onSubmit={onSubmit} noValidate>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="itemId" value={item.id} />
      <fieldset aria-describedby={errors.decision ? id("decision-error") : undefined}>
        <legend className="visually-hidden">{t("creditReview.form.legend", { customer })}</legend>
        {(["accept", "modify", "reject"] as const).map((decision) => (
          <label key={decision}>
            <input type="radio" name="decision" value={decision} checked={choice === decision} onChange={() => setChoice(decision)} />{" "}
            {t(`creditReview.form.${decision}`)}
          </label>
        ))}
      </fieldset>
      {errors.decision?.[0] ? (
        <p className="field__error" id={id("decision-error")}>
          {t(errors.decision[0])}
        </p>
      ) : null}
      {choice === "accept" ? <p className="muted">{suggestionText}</p> : null}
      {/* Without JavaScript every field shows; with it, only what the choice needs. */}
      <div hidden={choice !== "" && choice !== "modify"}>
        <SelectField id={id("grade")} label={t("creditReview.form.grade")} name="grade" defaultValue="" error={errors.grade?.[0]}>
          <option value="">{t("creditReview.form.keepGrade")}</option>
          {grades.map((grade) => (
            <option key={grade}>{grade}</option>
          ))}
        </SelectField>
        <TextField
          id={id("limit")}
          label={t("creditReview.form.limit")}
          name="limit"
          inputMode="decimal"
          autoComplete="off"
          help={t("creditReview.form.limitHelp")}
          error={errors.limit?.[0]}
        />
      </div>
      <TextField id={id("comment")} label={t("creditReview.form.comment")} name="comment" autoComplete="off" help={t("creditReview.form.commentHelp")} error={errors.comment?.[0]} />
      <div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("creditReview.form.submit")}
        </button>
      </div>
      <FormMessage answer={answer} errors={errors} />
    </Form>
  );
}

export function ApprovalForm({ item, refusal }: { item: WorklistItemView; refusal: ReviewRefusal | null }) {
  const { t } = useTranslation();
  const { errors, answer, onSubmit, busy } = useRowForm(APPROVE_FETCHER, item.id, approvalSchema, refusal);
  const id = (name: string) => `approve-${item.id}-${name}`;
  return (
    <Form method="post" className="review-form" onSubmit={onSubmit} noValidate aria-label={t("creditReview.approval.forCustomer", { customer: `${item.customerCode} ${item.customerName}` })}>
      <input type="hidden" name="itemId" value={item.id} />
      <TextField id={id("comment")} label={t("creditReview.approval.comment")} name="comment" autoComplete="off" help={t("creditReview.approval.commentHelp")} error={errors.comment?.[0]} />
      <div className="review-actions">
        <button type="submit" name="intent" value="approve" className="button button--primary" disabled={busy}>
          {t("creditReview.approval.approve")}
        </button>
        <button type="submit" name="intent" value="decline" className="button" disabled={busy}>
          {t("creditReview.approval.decline")}
        </button>
      </div>
      <FormMessage answer={answer} errors={errors} />
    </Form>
  );
}
