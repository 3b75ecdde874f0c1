import { Form, useNavigation } from "@remix-run/react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";

import { useErrorText } from "~/ui/field";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { PLAN_CATEGORY_NAMES, type PlanCategory } from "~/features/plans/categories";
import { assignmentsFrom } from "~/features/plans/assign.schema";
import type { AssignConflict } from "~/features/plans/assign.server";
import type { Refusal } from "~/server/responses.server";

export interface AssignRow {
  id: number;
  title: string;
  category: PlanCategory;
  ownerId: number | null;
  dueDate: string | null;
  version: number;
}

/** The action's answer to a refused assignment post: 400 field errors, 409 with the stale rows as they are now in `current`. */
export type AssignAnswer = Refusal<AssignConflict[]>;

/**
 * Owners and due dates of every live item in one form and one save (head only). Each row posts
 * its version and the values it showed, so only the rows changed here are saved, each checked
 * against its version; a row someone else saved meanwhile comes back marked with their values,
 * the form keeping yours on top of their version for a second save. Works without JavaScript.
 */
export function AssignForm({
  rows,
  owners,
  window,
  approved,
  answer,
  saved,
}: {
  rows: AssignRow[];
  owners: { id: number; name: string }[];
  window: { start: string; end: string };
  approved: boolean;
  answer: AssignAnswer | null;
  /** How many items the last save changed (from the redirect), or null. */
  saved: number | null;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const lang = locale === "zh-CN" ? "zh" : "en";
  const errorText = useErrorText();
  const formatDate = useFormatDate();
  const navigation = useNavigation();
  const [checked, setChecked] = useState<Record<string, string[]> | null>(null);
  const errors: Record<string, string[] | undefined> = checked ?? answer?.fieldErrors ?? {};
  const conflicts = new Map((answer?.current ?? []).map((row) => [row.id, row]));
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "assign";
  const missing = rows.filter((row) => row.ownerId === null || row.dueDate === null).length;
  const ownerName = (id: number | null) => (id === null ? t("plans.board.noOwner") : owners.find((owner) => owner.id === id)?.name ?? `#${id}`);

  // After a refusal the rows the head had changed keep the typed values; the others show what is stored now.
  const shown = (row: AssignRow) => {
    const posted = answer?.submitted;
    const touched =
      posted !== undefined &&
      (posted[`owner-${row.id}`] !== posted[`was-owner-${row.id}`] || posted[`due-${row.id}`] !== posted[`was-due-${row.id}`]);
    return {
      owner: touched ? posted[`owner-${row.id}`] ?? "" : row.ownerId === null ? "" : String(row.ownerId),
      due: touched ? posted[`due-${row.id}`] ?? "" : row.dueDate ?? "",
    };
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const parsed = assignmentsFrom(new FormData(event.currentTarget));
    if (!parsed.ok) {
      event.preventDefault();
      setChecked(parsed.fieldErrors);
      return;
    }
    setChecked(null);
  };

  const firstError = (name: string) => errorText(errors[name]?.[0]);
  const formKey = `${rows.map((row) => row.version).join(".")}:${answer ? "answered" : "fresh"}`;

  return (
    <details className="card assign" id="assign" open={answer !== null || saved !== null || (!approved && missing > 0)}>
      <summary>
        <h2 className="assign__title">{t("plans.assign.title")}</h2>
        <span className="muted"> {missing > 0 ? t("plans.assign.missing", { count: missing }) : t("plans.assign.allSet")}</span>
      </summary>
      <p className="muted">{t("plans.assign.lead", { start: formatDate(window.start), end: formatDate(window.end) })}</p>
      {saved !== null ? (
        <p className="alert alert--success" role="status">
          {t("plans.assign.saved", { count: saved })}
        </p>
      ) : null}
      {answer ? (
        <p className="alert alert--error" role="alert">
          {errorText(answer.message ?? "plans.error.checkFields")}
        </p>
      ) : null}
      {errors.form ? (
        <p className="alert alert--error" role="alert">
          {firstError("form")}
        </p>
      ) : null}
      <Form method="post" className="assign__form" onSubmit={onSubmit} noValidate key={formKey}>
        <input type="hidden" name="intent" value="assign" />
        <div className="table-wrap">
          <table className="ledger-table assign-table">
            <caption className="visually-hidden">{t("plans.assign.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("plans.board.item")}</th>
                <th scope="col">{t("plans.board.owner")}</th>
                <th scope="col">{t("plans.board.due")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const value = shown(row);
                const theirs = conflicts.get(row.id);
                // A second save is based on their version and values, whether or not the page was reloaded since.
                const base = theirs && theirs.version > row.version ? theirs : row;
                const ownerError = firstError(`owner-${row.id}`);
                const dueError = firstError(`due-${row.id}`);
                return (
                  <tr key={row.id} id={`assign-${row.id}`} className={theirs ? "row--flagged" : undefined}>
                    <th scope="row">
                      <input type="hidden" name="item" value={row.id} />
                      <input type="hidden" name={`version-${row.id}`} value={base.version} />
                      <input type="hidden" name={`was-owner-${row.id}`} value={base.ownerId === null ? "" : base.ownerId} />
                      <input type="hidden" name={`was-due-${row.id}`} value={base.dueDate ?? ""} />
                      <span className="assign-table__title">{row.title}</span>
                      <span className="muted small"> · {PLAN_CATEGORY_NAMES[row.category][lang]}</span>
                      {theirs ? (
                        <span className="assign-table__theirs" role="note">
                          {t("plans.assign.theirs", {
                            owner: theirs.ownerName ?? ownerName(theirs.ownerId),
                            due: theirs.dueDate ? formatDate(theirs.dueDate) : t("plans.assign.noDue"),
                          })}
                        </span>
                      ) : null}
                    </th>
                    <td>
                      <label className="visually-hidden" htmlFor={`owner-${row.id}`}>
                        {t("plans.assign.ownerOf", { title: row.title })}
                      </label>
                      <select
                        id={`owner-${row.id}`}
                        name={`owner-${row.id}`}
                        defaultValue={value.owner}
                        aria-invalid={ownerError ? true : undefined}
                        aria-describedby={ownerError ? `owner-${row.id}-error` : undefined}
                      >
                        <option value="">{t("plans.board.noOwner")}</option>
                        {owners.map((owner) => (
                          <option key={owner.id} value={owner.id}>
                            {owner.name}
                          </option>
                        ))}
                      </select>
                      {ownerError ? (
                        <p className="field__error" id={`owner-${row.id}-error`}>
                          {ownerError}
                        </p>
                      ) : null}
                    </td>
                    <td>
                      <label className="visually-hidden" htmlFor={`due-${row.id}`}>
                        {t("plans.assign.dueOf", { title: row.title })}
                      </label>
                      <input
                        id={`due-${row.id}`}
                        name={`due-${row.id}`}
                        type="date"
                        min={window.start}
                        max={window.end}
                        defaultValue={value.due}
                        aria-invalid={dueError ? true : undefined}
                        aria-describedby={dueError ? `due-${row.id}-error` : undefined}
                      />
                      {dueError ? (
                        <p className="field__error" id={`due-${row.id}-error`}>
                          {dueError}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {approved ? (
          <div className="field">
            <label htmlFor="assign-reason">{t("planItems.form.reason")}</label>
            <textarea
              id="assign-reason"
              name="reason"
              rows={2}
              defaultValue={answer?.submitted.reason ?? ""}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "assign-reason-help assign-reason-error" : "assign-reason-help"}
            />
            <p className="field__help" id="assign-reason-help">
              {t("planItems.form.reasonHelp")}
            </p>
            {errors.reason ? (
              <p className="field__error" id="assign-reason-error">
                {firstError("reason")}
              </p>
            ) : null}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("plans.assign.save")}
          </button>
        </div>
      </Form>
    </details>
  );
}
