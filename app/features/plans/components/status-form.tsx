import { useFetcher } from "@remix-run/react";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { z } from "zod";

import { SelectField, TextField, useErrorText } from "~/ui/field";
import { useLocale } from "~/ui/use-format-amount";
import { ITEM_STATUSES, ITEM_STATUS_NAMES, type ItemStatus } from "~/features/plans/categories";
import { itemStatusSchema } from "~/features/plans/schema";
import { itemNoteSchema } from "~/features/plans/item-forms.schema";
import type { Refusal } from "~/server/responses.server";

/**
 * The tick-done / status control and the note form of one item (My tasks, the item page, the
 * board). Plain forms that post and come back without JavaScript; with it, a fetcher posts in
 * the background, the new status shows at once and rolls back with the reason if refused.
 */

export interface StatusItem {
  id: number;
  title: string;
  version: number;
  status: ItemStatus;
  blockedReason: string | null;
}

/** What the action answers a refused post with: the one refusal shape, `subjectId` the item it is about. */
export type ItemRefusal = Refusal<{ version: number; status: ItemStatus; blockedReason: string | null }>;

type Answer = ItemRefusal | { ok: true; intent: string; itemId: number } | undefined;

export const STATUS_CLASS: Record<ItemStatus, string> = {
  todo: "badge--muted",
  in_progress: "badge--info",
  done: "badge--ok",
  blocked: "badge--bad",
  cancelled: "badge--muted",
};

export function StatusBadge({ status }: { status: ItemStatus }) {
  const locale = useLocale();
  return <span className={`badge ${STATUS_CLASS[status]}`}>{ITEM_STATUS_NAMES[status][locale === "zh-CN" ? "zh" : "en"]}</span>;
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * Validates the posted form with the form's shared schema (the action parses it again), shows
 * field errors through react-hook-form, and sends valid forms through the fetcher. With
 * `clearAfter`, the typed text is cleared once the server has taken it (a refused note stays
 * for the user to fix), so a second click cannot post it twice.
 */
function useFetcherForm<S extends z.ZodType>(
  schema: S,
  fetcher: ReturnType<typeof useFetcher<Answer>>,
  action: string | undefined,
  { clearAfter = true } = {}
) {
  const form = useForm<Record<string, string>>();
  const element = useRef<HTMLFormElement | null>(null);
  const posted = useRef(false);
  useEffect(() => {
    if (fetcher.state !== "idle" || !posted.current) return;
    posted.current = false;
    if (clearAfter && fetcher.data?.ok) {
      element.current?.reset();
      form.reset();
    }
  }, [fetcher.state, fetcher.data, clearAfter, form]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    const fields: Record<string, FormDataEntryValue> = {};
    for (const [key, value] of formData) fields[key] = value;
    const parsed = schema.safeParse(fields);
    form.clearErrors();
    if (!parsed.success) {
      for (const issue of parsed.error.issues) form.setError(String(issue.path[0] ?? "root"), { message: issue.message });
      return;
    }
    formData.set("via", "fetcher");
    element.current = event.currentTarget;
    posted.current = true;
    fetcher.submit(formData, { method: "post", action });
  };
  return { form, onSubmit };
}

interface StatusFormProps {
  item: StatusItem;
  /** The route that takes the post (default: the current page). */
  action?: string;
  /** Where a post without JavaScript comes back to. */
  redirectTo?: string;
  /** The head may cancel or revive items; staff never see "cancelled" offered. */
  canCancel: boolean;
  /** A refusal of a post made without JavaScript (the page's action data), for this item. */
  refusal?: ItemRefusal | null;
  /** Show the quick "Done" form (My tasks, the item page). */
  showDone?: boolean;
}

export function StatusForm({ item, action, redirectTo, canCancel, refusal, showDone = true }: StatusFormProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const hydrated = useHydrated();
  const fetcher = useFetcher<Answer>({ key: `item-status-${item.id}` });
  const done = useFetcherForm(itemStatusSchema, fetcher, action);
  const change = useFetcherForm(itemStatusSchema, fetcher, action, { clearAfter: false });
  const [chosen, setChosen] = useState<ItemStatus>(item.status);
  const id = useId();

  const answer = fetcher.data && !fetcher.data.ok ? fetcher.data : refusal && refusal.intent === "set-status" ? refusal : null;
  // Optimistic: while the post is under way, the item shows the status it is being given.
  const pending = fetcher.formData?.get("intent") === "set-status" ? (fetcher.formData.get("status") as ItemStatus) : null;
  const shown = pending ?? item.status;
  // After a 409 the next post is based on what is stored now, so the user can simply try again.
  const version = Math.max(item.version, answer?.current?.version ?? 0);
  const fieldError = (name: string, form: ReturnType<typeof useFetcherForm>["form"]) =>
    form.formState.errors[name]?.message ?? answer?.fieldErrors[name]?.[0];
  const statuses = ITEM_STATUSES.filter((status) => status !== "cancelled" || canCancel || item.status === "cancelled");
  const closedForStaff = item.status === "cancelled" && !canCancel;

  const hidden = (
    <>
      <input type="hidden" name="intent" value="set-status" />
      <input type="hidden" name="itemId" value={item.id} />
      <input type="hidden" name="version" value={version} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
    </>
  );

  return (
    <div className="status-control" aria-busy={pending ? true : undefined}>
      <p className="status-control__now">
        <span className="muted">{t("planItems.status.label")}{t("common.colon")}</span>
        <StatusBadge status={shown} />
        {pending ? <span className="muted"> {t("planItems.status.saving")}</span> : null}
        {shown === "blocked" && !pending && item.blockedReason ? (
          <span className="status-control__reason">
            {" "}
            {t("planItems.status.blockedBecause", { reason: item.blockedReason })}
          </span>
        ) : null}
      </p>
      {answer?.message ? (
        <p className="alert alert--error" role="alert">
          {answer.current && answer.current.status !== item.status
            ? t("planItems.status.conflict", { status: ITEM_STATUS_NAMES[answer.current.status][locale === "zh-CN" ? "zh" : "en"] })
            : errorText(answer.message)}
        </p>
      ) : null}
      {closedForStaff ? null : (
        <div className="status-control__forms">
          {showDone && shown !== "done" ? (
            <fetcher.Form method="post" action={action} onSubmit={done.onSubmit} noValidate className="status-control__done">
              {hidden}
              <input type="hidden" name="status" value="done" />
              <TextField
                label={t("planItems.status.doneNote")}
                id={`${id}-done-note`}
                autoComplete="off"
                error={done.form.formState.errors.note?.message}
                {...done.form.register("note")}
              />
              <button type="submit" className="button button--primary" aria-label={t("planItems.status.doneFor", { title: item.title })}>
                {t("planItems.status.done")}
              </button>
            </fetcher.Form>
          ) : null}
          <fetcher.Form method="post" action={action} onSubmit={change.onSubmit} noValidate className="status-control__change">
            {hidden}
            <SelectField
              label={t("planItems.status.new")}
              id={`${id}-status`}
              defaultValue={refusal?.intent === "set-status" && refusal.submitted.status ? refusal.submitted.status : item.status}
              error={change.form.formState.errors.status?.message}
              // the select offers only item statuses
              {...change.form.register("status", { onChange: (event) => setChosen(event.target.value as ItemStatus) })}
            >
              {statuses.map((status) => (
                <option key={status} value={status}>
                  {ITEM_STATUS_NAMES[status][locale === "zh-CN" ? "zh" : "en"]}
                </option>
              ))}
            </SelectField>
            {!hydrated || chosen === "blocked" ? (
              <TextField
                label={t("planItems.status.reason")}
                id={`${id}-reason`}
                autoComplete="off"
                help={hydrated ? undefined : t("planItems.status.reasonHelp")}
                defaultValue={item.blockedReason ?? ""}
                error={fieldError("reason", change.form)}
                {...change.form.register("reason")}
              />
            ) : null}
            <button type="submit" className="button" aria-label={t("planItems.status.updateFor", { title: item.title })}>
              {t("planItems.status.update")}
            </button>
          </fetcher.Form>
        </div>
      )}
    </div>
  );
}

interface NoteFormProps {
  item: Pick<StatusItem, "id" | "title">;
  action?: string;
  redirectTo?: string;
  refusal?: ItemRefusal | null;
}

/** "Add a note": evidence or progress in a line or two, kept with the item. */
export function NoteForm({ item, action, redirectTo, refusal }: NoteFormProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const fetcher = useFetcher<Answer>({ key: `item-note-${item.id}` });
  const { form, onSubmit } = useFetcherForm(itemNoteSchema, fetcher, action);
  const id = useId();
  const answer = fetcher.data && !fetcher.data.ok ? fetcher.data : refusal && refusal.intent === "note" ? refusal : null;
  const saved = fetcher.state === "idle" && fetcher.data?.ok === true;
  return (
    <fetcher.Form method="post" action={action} onSubmit={onSubmit} noValidate className="note-form">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="itemId" value={item.id} />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <TextField
        label={t("planItems.note.label")}
        id={`${id}-note`}
        autoComplete="off"
        error={form.formState.errors.body?.message ?? answer?.fieldErrors.body?.[0]}
        {...form.register("body")}
      />
      <button type="submit" className="button" aria-label={t("planItems.note.addFor", { title: item.title })}>
        {t("planItems.note.add")}
      </button>
      {answer?.message && !answer.fieldErrors.body ? (
        <p className="field__error" role="alert">
          {errorText(answer.message)}
        </p>
      ) : null}
      {saved ? (
        <p className="muted" role="status">
          {t("planItems.note.saved")}
        </p>
      ) : null}
    </fetcher.Form>
  );
}
