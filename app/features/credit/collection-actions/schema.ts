import { z } from "zod";

import { type InstalmentDraft, equalInstalments, scheduleProblems } from "~/features/credit/collection-actions/promises";
import { AppError } from "~/kernel/app-error";
import { addMonths, isValidIsoDate } from "~/kernel/dates";
import { isOneOf } from "~/kernel/guards";
import { parseNestedFields } from "~/kernel/form-fields";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorString, parseAmount } from "~/kernel/money";

/**
 * The "record a collection action" form, shared by react-hook-form on the page and the service on
 * the server. Everything arrives as text; amounts are parsed with the ledger's money parser into
 * minor units. Messages are i18n keys. `today` is the server's date, handed to the page by the
 * loader so both sides judge "in the past" and "in the future" the same way.
 */
export const COLLECTION_ACTION_KINDS = ["call", "visit", "email", "lawyer_letter", "promise_to_pay", "repayment_agreement"] as const;
export type CollectionActionKind = (typeof COLLECTION_ACTION_KINDS)[number];
export const NOTE_MAX = 2000;
export const MAX_INSTALMENTS = 36;
/** How far ahead a promise to pay may fall (a longer arrangement is a repayment agreement), and an agreement's instalments. */
export const PROMISE_MONTHS_AHEAD = 12;
export const INSTALMENT_MONTHS_AHEAD = 60;

export function isCollectionActionKind(value: unknown): value is CollectionActionKind {
  return isOneOf(COLLECTION_ACTION_KINDS, value);
}

/** Kinds that carry money: a promise (amount and date) and an agreement (total and schedule). */
export function kindHasPromises(kind: CollectionActionKind): boolean {
  return kind === "promise_to_pay" || kind === "repayment_agreement";
}

export interface InstalmentFormValues {
  dueOn: string;
  amount: string;
}

export interface CollectionActionFormValues {
  kind: string;
  actionDate: string;
  note: string;
  /** a promise's amount or an agreement's total */
  amount: string;
  /** a promise's date */
  dueOn: string;
  instalments: InstalmentFormValues[];
}

export type CollectionActionInput =
  | { kind: "call" | "visit" | "email" | "lawyer_letter"; actionDate: IsoDate; note: string }
  | { kind: "promise_to_pay"; actionDate: IsoDate; note: string; amount: number; dueOn: IsoDate }
  | { kind: "repayment_agreement"; actionDate: IsoDate; note: string; amount: number; instalments: InstalmentDraft[] };

/** A positive amount of money typed by a person, in minor units; or the i18n key of what is wrong. */
export function parsePositiveAmount(text: string): { ok: true; minor: number } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: false, message: "collectionActions.validation.amountRequired" };
  const parsed = parseAmount(text);
  if (!parsed.ok) {
    return {
      ok: false,
      message: parsed.message.includes("decimal places") ? "collectionActions.validation.amountDecimals" : "collectionActions.validation.amount",
    };
  }
  if (parsed.minor <= 0) return { ok: false, message: "collectionActions.validation.amountPositive" };
  return { ok: true, minor: parsed.minor };
}

const text = (max: number) => z.string({ error: "collectionActions.validation.invalid" }).max(max, "collectionActions.validation.tooLong").default("");

export function collectionActionSchema(today: IsoDate) {
  return z
    .object({
      kind: z.enum(COLLECTION_ACTION_KINDS, { error: "collectionActions.validation.kind" }),
      actionDate: text(10).transform((value) => value.trim()),
      note: text(NOTE_MAX).transform((value) => value.trim()),
      amount: text(40),
      dueOn: text(10).transform((value) => value.trim()),
      instalments: z
        .array(z.object({ dueOn: text(10).transform((value) => value.trim()), amount: text(40) }), {
          error: "collectionActions.validation.invalid",
        })
        .max(MAX_INSTALMENTS, "collectionActions.validation.tooManyInstalments")
        .default([]),
    })
    .superRefine((value, ctx) => {
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

      if (value.actionDate === "") issue(["actionDate"], "collectionActions.validation.dateRequired");
      else if (!isValidIsoDate(value.actionDate)) issue(["actionDate"], "collectionActions.validation.date");
      else if (value.actionDate > today) issue(["actionDate"], "collectionActions.validation.actionDateFuture");

      const needsNote = value.kind === "call" || value.kind === "visit" || value.kind === "email" || value.kind === "lawyer_letter";
      if (needsNote && value.note === "") issue(["note"], "collectionActions.validation.noteRequired");

      if (value.kind === "promise_to_pay") {
        const amount = parsePositiveAmount(value.amount);
        if (!amount.ok) issue(["amount"], amount.message);
        if (value.dueOn === "") issue(["dueOn"], "collectionActions.validation.dateRequired");
        else if (!isValidIsoDate(value.dueOn)) issue(["dueOn"], "collectionActions.validation.date");
        else if (value.dueOn < today) issue(["dueOn"], "collectionActions.validation.dateInPast");
        // a typo in the year (2999) would pause the customer's reminders until then
        else if (value.dueOn > addMonths(today, PROMISE_MONTHS_AHEAD)) issue(["dueOn"], "collectionActions.validation.promiseTooFar");
      }

      if (value.kind === "repayment_agreement") {
        const total = parsePositiveAmount(value.amount);
        if (!total.ok) issue(["amount"], total.message);
        if (value.instalments.length === 0) {
          issue(["instalments"], "collectionActions.validation.scheduleEmpty");
          return;
        }
        const drafts: InstalmentDraft[] = [];
        let readable = true;
        value.instalments.forEach((row, index) => {
          let dueOn = row.dueOn;
          if (row.dueOn === "") {
            issue(["instalments", index, "dueOn"], "collectionActions.validation.dateRequired");
            readable = false;
          } else if (!isValidIsoDate(row.dueOn)) {
            issue(["instalments", index, "dueOn"], "collectionActions.validation.date");
            readable = false;
            dueOn = today;
          } else if (row.dueOn > addMonths(today, INSTALMENT_MONTHS_AHEAD)) {
            issue(["instalments", index, "dueOn"], "collectionActions.validation.instalmentTooFar");
            readable = false;
          }
          const amount = parsePositiveAmount(row.amount);
          if (!amount.ok) {
            issue(["instalments", index, "amount"], amount.message);
            readable = false;
          }
          drafts.push({ dueOn, amount: amount.ok ? amount.minor : 0 });
        });
        // The schedule's own rules (dates ascending and not past, the sum equal to the total) once
        // every row reads; a row already marked wrong is not marked twice.
        if (!readable) return;
        for (const problem of scheduleProblems(drafts, today, total.ok ? total.minor : undefined)) {
          if (problem.index === -1) {
            if (problem.message === "collectionActions.validation.scheduleTotal" && !total.ok) continue;
            issue(["instalments"], problem.message);
          } else issue(["instalments", problem.index, problem.field], problem.message);
        }
      }
    })
    .transform((value): CollectionActionInput => {
      const { kind, actionDate, note } = value;
      if (kind === "promise_to_pay") {
        return { kind, actionDate, note, amount: minorOf(value.amount), dueOn: value.dueOn };
      }
      if (kind === "repayment_agreement") {
        return {
          kind,
          actionDate,
          note,
          amount: minorOf(value.amount),
          instalments: value.instalments.map((row) => ({ dueOn: row.dueOn, amount: minorOf(row.amount) })),
        };
      }
      return { kind, actionDate, note };
    });
}

function minorOf(text: string): number {
  const parsed = parsePositiveAmount(text);
  if (!parsed.ok) throw new Error("unreachable: validated above");
  return parsed.minor;
}

export type CollectionActionSchema = ReturnType<typeof collectionActionSchema>;

/** The empty form for a kind: today's date, and one instalment row for an agreement. */
export function emptyCollectionActionForm(kind: CollectionActionKind, today: IsoDate): CollectionActionFormValues {
  return {
    kind,
    actionDate: today,
    note: "",
    amount: "",
    dueOn: "",
    instalments: kind === "repayment_agreement" ? [{ dueOn: "", amount: "" }] : [],
  };
}

/** What was posted, as form values again (so a page without JavaScript shows it beside the errors). */
export function formValuesFromPost(raw: Record<string, unknown>, fallbackKind: CollectionActionKind): CollectionActionFormValues {
  const str = (value: unknown) => (typeof value === "string" ? value : "");
  const rows = Array.isArray(raw.instalments) ? raw.instalments : [];
  return {
    kind: isCollectionActionKind(raw.kind) ? raw.kind : fallbackKind,
    actionDate: str(raw.actionDate),
    note: str(raw.note),
    amount: str(raw.amount),
    dueOn: str(raw.dueOn),
    instalments: rows.slice(0, MAX_INSTALMENTS).map((row) => {
      // an object (checked) read by property name
      const record = row && typeof row === "object" ? (row as Record<string, unknown>) : {};
      return { dueOn: str(record.dueOn), amount: str(record.amount) };
    }),
  };
}

/**
 * A refusal's `submitted` (the flat post, `instalments.1.amount=…`) as form values again: a page
 * without JavaScript shows what was typed beside the errors.
 */
export function formValuesFromSubmitted(submitted: Record<string, string>, fallbackKind: CollectionActionKind): CollectionActionFormValues {
  return formValuesFromPost(parseNestedFields(Object.entries(submitted)), fallbackKind);
}

/**
 * What the form's buttons (its `intent`) ask for: `save` records the action (null here); the
 * schedule's buttons, posted without JavaScript, only change the form (a row added or removed,
 * the total split into monthly instalments) and save nothing: this is the form as it stands
 * after one. A split that cannot be made is refused at its field; a button the form does not
 * have is refused outright.
 */
export function scheduleFormState(
  intent: string,
  raw: Record<string, unknown>,
  fallbackKind: CollectionActionKind,
): CollectionActionFormValues | null {
  if (intent === "save") return null;
  const values = formValuesFromPost(raw, fallbackKind);
  if (intent === "add-instalment") {
    if (values.instalments.length < MAX_INSTALMENTS) values.instalments.push({ dueOn: "", amount: "" });
    return values;
  }
  const remove = /^remove-instalment:(\d{1,2})$/.exec(intent);
  if (remove) {
    values.instalments.splice(Number(remove[1]), 1);
    return values;
  }
  if (intent === "split") {
    const split = splitIntoMonthly(values.amount, typeof raw.splitCount === "string" ? raw.splitCount : "", typeof raw.splitFirst === "string" ? raw.splitFirst : "");
    if (!split.ok) throw AppError.field(split.field, split.message);
    return { ...values, instalments: split.instalments };
  }
  throw new AppError("invalid", "collectionActions.form.unknownIntent");
}

export const SPLIT_MAX = MAX_INSTALMENTS;

/**
 * "Split equally into N monthly instalments": N rows a month apart from the first date, equal up
 * to the last one taking the remainder cents (equalInstalments). An i18n key when it cannot.
 */
export function splitIntoMonthly(
  totalText: string,
  countText: string,
  firstDueOn: string,
): { ok: true; instalments: InstalmentFormValues[] } | { ok: false; field: "amount" | "splitCount" | "splitFirst"; message: string } {
  const total = parsePositiveAmount(totalText);
  if (!total.ok) return { ok: false, field: "amount", message: total.message };
  const count = countText.trim();
  if (!/^\d{1,2}$/.test(count) || Number(count) < 1 || Number(count) > SPLIT_MAX) {
    return { ok: false, field: "splitCount", message: "collectionActions.validation.splitCount" };
  }
  const first = firstDueOn.trim();
  if (!isValidIsoDate(first)) return { ok: false, field: "splitFirst", message: "collectionActions.validation.date" };
  const amounts = equalInstalments(total.minor, Number(count));
  if (amounts.some((amount) => amount <= 0)) return { ok: false, field: "splitCount", message: "collectionActions.validation.splitTooMany" };
  return {
    ok: true,
    instalments: amounts.map((amount, i) => ({ dueOn: addMonths(first, i), amount: minorToMajorString(amount) })),
  };
}
