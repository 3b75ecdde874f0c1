import { Form, Link, useNavigation } from "@remix-run/react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";

import { SelectField, TextAreaField, TextField, useErrorText } from "~/ui/field";
import { useFormatDate } from "~/ui/use-format-amount";
import { CHASE_ACTION_KINDS, chaseOrderProblems } from "~/features/forecast/push-make.schema";

/**
 * The push page's "make" form (head only). The chase list's boxes belong to it through their
 * `form` attribute, so the table stays one table. Checked on the page with the action's schema
 * before posting; without JavaScript the action checks it alone.
 */

export const CHASE_FORM_ID = "chase-make";

export interface MakeAnswer {
  ok: boolean;
  intent?: string | null;
  message?: string | null;
  params?: Record<string, string | number>;
  fieldErrors?: Record<string, string[] | undefined>;
  submitted?: Record<string, string>;
  make?: "plan_items" | "collection_actions";
  count?: number;
  planId?: number;
}

export function ChaseMakeForm({
  item,
  planApproved,
  may,
  answer,
  closingCodes,
}: {
  item: { planId: number; title: string; dueDate: string };
  planApproved: boolean;
  may: { planItems: boolean; collectionActions: boolean };
  answer: MakeAnswer | null;
  /** the rows that close the gap, for the "choose them" button */
  closingCodes: readonly string[];
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const [checked, setChecked] = useState<Record<string, string[]> | null>(null);
  const refused = answer && !answer.ok ? answer : null;
  const errors: Record<string, string[] | undefined> = checked ?? refused?.fieldErrors ?? {};
  const submitted = refused?.submitted ?? {};
  const firstMake = may.planItems ? "plan_items" : "collection_actions";
  const [make, setMake] = useState(submitted.make === "collection_actions" || submitted.make === "plan_items" ? submitted.make : firstMake);
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "make";

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const problems = chaseOrderProblems(new FormData(event.currentTarget));
    setChecked(problems);
    if (problems) event.preventDefault();
  };
  const chooseClosing = () => {
    const wanted = new Set(closingCodes);
    for (const box of document.querySelectorAll<HTMLInputElement>(`input[form="${CHASE_FORM_ID}"][name="customer"]`)) box.checked = wanted.has(box.value);
  };
  const message = refused?.message && refused.message !== "errors.checkFields" ? refused.message : null;
  const boxError = errors.customer?.[0];

  return (
    <section className="panel" aria-labelledby="chase-make-title">
      <h2 id="chase-make-title" className="panel__title">
        {t("pushPlanner.make.title")}
      </h2>
      <p className="muted">{t("pushPlanner.make.intro")}</p>
      {answer?.ok && answer.count !== undefined ? (
        <p className="alert alert--success" role="status">
          {t(answer.make === "plan_items" ? "pushPlanner.make.madePlanItems" : "pushPlanner.make.madeCollectionActions", { count: answer.count })}{" "}
          {answer.make === "plan_items" ? <Link to={`/plans/${answer.planId ?? item.planId}`}>{t("pushPlanner.make.openPlan")}</Link> : null}
        </p>
      ) : null}
      {message ? (
        <p className="alert alert--error" role="alert">
          {t(message, refused?.params ?? {})}
        </p>
      ) : null}
      {closingCodes.length > 0 ? (
        <p>
          <button type="button" className="button" onClick={chooseClosing}>
            {t("pushPlanner.make.chooseAll")}
          </button>
        </p>
      ) : null}
      {boxError ? (
        <p className="field__error" id="chase-customer-error" role="alert">
          {errorText(boxError)}
        </p>
      ) : null}
      <Form method="post" id={CHASE_FORM_ID} onSubmit={onSubmit} noValidate className="chase-make">
        <input type="hidden" name="intent" value="make" />
        <input type="hidden" name="planId" value={item.planId} />
        <fieldset className="field">
          <legend>{t("pushPlanner.make.what")}</legend>
          {may.planItems ? (
            <div>
              <label>
                <input type="radio" name="make" value="plan_items" checked={make === "plan_items"} onChange={() => setMake("plan_items")} />{" "}
                {t("pushPlanner.make.planItems", { date: formatDate(item.dueDate) })}
              </label>
            </div>
          ) : null}
          {may.collectionActions ? (
            <div>
              <label>
                <input type="radio" name="make" value="collection_actions" checked={make === "collection_actions"} onChange={() => setMake("collection_actions")} />{" "}
                {t("pushPlanner.make.collectionActions")}
              </label>
            </div>
          ) : null}
          {errors.make?.[0] ? <p className="field__error">{errorText(errors.make[0])}</p> : null}
        </fieldset>
        {may.collectionActions ? (
          <SelectField label={t("pushPlanner.make.kind")} name="kind" id="chase-kind" defaultValue={submitted.kind ?? ""} error={errors.kind?.[0]}>
            <option value="">{t("pushPlanner.make.kindNone")}</option>
            {CHASE_ACTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`collectionActions.kind.${kind}`)}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField
          label={t("pushPlanner.make.note")}
          name="note"
          id="chase-note"
          defaultValue={submitted.note ?? t("pushPlanner.make.defaultNote", { title: item.title })}
          maxLength={150}
          error={errors.note?.[0]}
        />
        {planApproved && may.planItems ? (
          <TextAreaField label={t("pushPlanner.make.reason")} name="reason" id="chase-reason" rows={2} defaultValue={submitted.reason ?? ""} error={errors.reason?.[0]} />
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {t("pushPlanner.make.submit")}
        </button>
      </Form>
    </section>
  );
}
