import { Form, Link, useSearchParams } from "@remix-run/react";
import { type MouseEvent, useRef, useState } from "react";
import { useFieldArray, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";

import { TextAreaField, TextField, useErrorText } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { Amount } from "~/ui/amount";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";
import {
  COLLECTION_ACTION_KINDS,
  type CollectionActionFormValues,
  type CollectionActionKind,
  collectionActionSchema,
  parsePositiveAmount,
  splitIntoMonthly,
} from "~/features/credit/collection-actions/schema";

/**
 * Collection actions (催收记录): the history on the customer page, the record form, and the
 * follow-ups on My tasks. Statuses come from the server (../collection-actions.server.ts), judged
 * from the ledger; nothing here decides kept or broken.
 */

type PromiseStatus = "pending" | "kept" | "broken";

export interface PromiseItem {
  id: number;
  kind: "promise" | "instalment";
  sequence: number;
  dueOn: string;
  amount: number;
  status: PromiseStatus;
  paid: number;
  keptOn: string | null;
}

export interface ActionItem {
  id: number;
  kind: CollectionActionKind;
  actionDate: string;
  note: string;
  amount: number | null;
  userName: string | null;
  promises: PromiseItem[];
}

const STATUS_CLASS: Record<PromiseStatus, string> = {
  pending: "badge badge--info",
  kept: "badge badge--ok",
  broken: "badge badge--bad",
};

export function PromiseBadge({ status }: { status: PromiseStatus }) {
  const { t } = useTranslation();
  return <span className={STATUS_CLASS[status]}>{t(`collectionActions.status.${status}`)}</span>;
}

export function newActionHref(customerCode: string, kind?: CollectionActionKind): string {
  const base = `/customers/${encodeURIComponent(customerCode)}/actions/new`;
  return kind ? `${base}?kind=${kind}` : base;
}

function PromiseLine({ promise, count }: { promise: PromiseItem; count: number }) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  const what =
    promise.kind === "promise"
      ? t("collectionActions.promise", { amount: formatAmount(promise.amount), date: formatDate(promise.dueOn) })
      : t("collectionActions.instalment", {
          sequence: promise.sequence,
          count,
          amount: formatAmount(promise.amount),
          date: formatDate(promise.dueOn),
        });
  return (
    <li className="promise">
      <span>{what}</span> <PromiseBadge status={promise.status} />
      {promise.keptOn ? <span className="muted"> {t("collectionActions.keptOn", { date: formatDate(promise.keptOn) })}</span> : null}
      {promise.status !== "kept" ? (
        <span className="promise__paid"> {t("collectionActions.paidSoFar", { amount: formatAmount(promise.paid) })}</span>
      ) : null}
    </li>
  );
}

/** The customer page's section: what was done to collect, newest first, and links to record more. */
export function CollectionActionsSection({
  customerCode,
  customerName,
  actions,
  total,
  canRecord,
  asOf,
}: {
  customerCode: string;
  customerName: string;
  actions: ActionItem[];
  total: number;
  canRecord: boolean;
  asOf: string;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const [searchParams] = useSearchParams();
  const recorded = searchParams.get("recorded") === "1";

  return (
    <section aria-labelledby="collection-actions-heading" className="section" id="collection-actions">
      <div className="section__head">
        <h2 id="collection-actions-heading">{t("collectionActions.title")}</h2>
        {canRecord ? (
          <Link className="button button--primary" to={newActionHref(customerCode)}>
            {t("collectionActions.record")}
          </Link>
        ) : null}
      </div>
      {recorded ? (
        <p className="alert alert--success" role="status">
          {t("collectionActions.recorded")}
        </p>
      ) : null}
      <p className="muted">{t("collectionActions.intro")}</p>
      {canRecord ? (
        <p className="collection-quick-links">
          {(["call", "visit", "promise_to_pay", "repayment_agreement"] as const).map((kind, i) => (
            <span key={kind}>
              {i > 0 ? " · " : null}
              <Link to={newActionHref(customerCode, kind)}>{t(`collectionActions.recordKind.${kind}`)}</Link>
            </span>
          ))}
        </p>
      ) : (
        <p className="muted">{t("collectionActions.readOnly")}</p>
      )}
      {actions.length === 0 ? (
        <p>{t("collectionActions.none")}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">{t("collectionActions.caption", { customer: customerName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("collectionActions.column.date")}</th>
                  <th scope="col">{t("collectionActions.column.action")}</th>
                  <th scope="col">{t("collectionActions.column.by")}</th>
                  <th scope="col">{t("collectionActions.column.note")}</th>
                  <th scope="col" className="num">
                    {t("collectionActions.column.amount")}
                  </th>
                  <th scope="col">{t("collectionActions.column.promises")}</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((action) => (
                  <tr key={action.id} id={`action-${action.id}`}>
                    <td className="cell--title">{formatDate(action.actionDate)}</td>
                    <th scope="row" className="cell--title">
                      {t(`collectionActions.kind.${action.kind}`)}
                    </th>
                    <td data-label={t("collectionActions.column.by")}>
                      {action.userName ?? <span className="muted">{t("collectionActions.unknownUser")}</span>}
                    </td>
                    <td className="collection-note user-text cell--block" data-label={t("collectionActions.column.note")}>
                      {action.note}
                    </td>
                    <td className="num" data-label={t("collectionActions.column.amount")}>
                      {action.amount !== null ? <Amount minor={action.amount} /> : null}
                    </td>
                    <td className="cell--block" data-label={t("collectionActions.column.promises")}>
                      {action.promises.length > 0 ? (
                        <ul className="promise-list">
                          {action.promises.map((promise) => (
                            <PromiseLine key={promise.id} promise={promise} count={action.promises.length} />
                          ))}
                        </ul>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="table-note">
            {t("collectionActions.statusAsOf", { date: formatDate(asOf) })}{" "}
            {total > actions.length ? t("collectionActions.showingNewest", { shown: actions.length, total }) : null}
          </p>
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The record form

export type CollectionFieldErrors = Record<string, string[] | undefined>;

/** Reads `a.1.b` out of react-hook-form's nested errors (or the array's own `root` error). */
function errorAt(errors: unknown, path: string): string | undefined {
  let node: unknown = errors;
  for (const part of path.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    // walking react-hook-form's nested errors by path; a missing step gives undefined, checked below
    node = (node as Record<string, unknown>)[part];
  }
  // an error leaf, if any, has a message; its type is checked before use
  const own = (node as { message?: unknown } | undefined)?.message;
  if (typeof own === "string") return own;
  // an array's error keeps its own message under root; its type is checked before use
  const root = (node as { root?: { message?: unknown } } | undefined)?.root?.message;
  return typeof root === "string" ? root : undefined;
}

/** The kind chooser: links, so the form for each kind loads with or without JavaScript. */
export function KindChooser({ customerCode, current }: { customerCode: string; current: CollectionActionKind }) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("collectionActions.form.kindLegend")} className="collection-kinds">
      <ul>
        {COLLECTION_ACTION_KINDS.map((kind) => (
          <li key={kind}>
            <Link
              to={newActionHref(customerCode, kind)}
              aria-current={kind === current ? "page" : undefined}
              className={kind === current ? "active" : undefined}
              replace
            >
              {t(`collectionActions.kind.${kind}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * One action. Input names are react-hook-form's dotted paths (`instalments.1.amount`), so a post
 * without JavaScript carries the same names and the server's errors land on the same fields. The
 * add / remove / split buttons post an `intent` without JavaScript (the page answers with the
 * changed rows); with it they change the rows in place.
 */
export function CollectionActionForm({
  today,
  kind,
  defaultValues,
  serverErrors,
  split,
  submitting,
  cancelHref,
}: {
  today: string;
  kind: CollectionActionKind;
  defaultValues: CollectionActionFormValues;
  serverErrors?: CollectionFieldErrors;
  /** The split fields as last posted, so a refused split shows what was typed at its field. */
  split?: { count?: string; first?: string };
  submitting: boolean;
  cancelHref: string;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  // the defaults are the schema's input; the spread loses the literal types
  const { register, control, onSubmit, formState, getValues, trigger } = useValidatedForm(collectionActionSchema(today), {
    ...defaultValues,
    kind,
  } as never);
  // react-hook-form's types follow the schema's nested shape; this form's fields are read by the names the schema has
  const { fields, append, remove, replace } = useFieldArray({ control, name: "instalments" as never });
  const error = (path: string) => errorAt(formState.errors, path) ?? serverErrors?.[path]?.[0];
  const hasErrors = Object.keys(formState.errors).length > 0 || Object.keys(serverErrors ?? {}).length > 0;
  const noteRequired = kind === "call" || kind === "visit" || kind === "email" || kind === "lawyer_letter";

  return (
    <Form method="post" onSubmit={onSubmit} noValidate className="collection-form card">
      {hasErrors ? (
        <p className="alert alert--error" role="alert">
          {t("collectionActions.form.fixErrors")}
          {serverErrors?.kind?.[0] ? <> {errorText(serverErrors.kind[0])}</> : null}
        </p>
      ) : null}
      <input type="hidden" defaultValue={kind} {...register("kind")} />
      <div className="form-grid">
        <TextField
          label={t("collectionActions.form.actionDate")}
          type="date"
          max={today}
          defaultValue={defaultValues.actionDate}
          help={t("collectionActions.form.actionDateHelp")}
          error={error("actionDate")}
          {...register("actionDate")}
        />
        {kind === "promise_to_pay" ? (
          <>
            <TextField
              label={t("collectionActions.form.promiseAmount")}
              inputMode="decimal"
              autoComplete="off"
              defaultValue={defaultValues.amount}
              error={error("amount")}
              {...register("amount")}
            />
            <TextField
              label={t("collectionActions.form.promiseDueOn")}
              type="date"
              min={today}
              defaultValue={defaultValues.dueOn}
              help={t("collectionActions.form.promiseDueHelp")}
              error={error("dueOn")}
              {...register("dueOn")}
            />
          </>
        ) : null}
        {kind === "repayment_agreement" ? (
          <TextField
            label={t("collectionActions.form.agreementTotal")}
            inputMode="decimal"
            autoComplete="off"
            defaultValue={defaultValues.amount}
            error={error("amount")}
            {...register("amount")}
          />
        ) : null}
      </div>

      {kind === "repayment_agreement" ? (
        <InstalmentTable
          today={today}
          // react-hook-form's nested field types again (see useFieldArray above)
          fields={fields as unknown as { id: string; dueOn: string; amount: string }[]}
          defaults={defaultValues.instalments}
          splitPosted={split}
          // react-hook-form's nested field types again (see useFieldArray above)
          register={register as never}
          // react-hook-form's nested field types again (see useFieldArray above)
          control={control as never}
          error={error}
          // react-hook-form's nested field types again (see useFieldArray above)
          onAdd={() => append({ dueOn: "", amount: "" } as never)}
          onRemove={(index) => remove(index)}
          onSplit={(count, first) => {
            // react-hook-form's nested field types again (see useFieldArray above)
            const split = splitIntoMonthly(String(getValues("amount" as never) ?? ""), count, first);
            // react-hook-form's types follow the schema's nested shape; the split's rows are instalment rows
            if (split.ok) replace(split.instalments as never);
            return split;
          }}
          // react-hook-form's nested field types again (see useFieldArray above)
          onTotalError={() => void trigger("amount" as never)}
        />
      ) : null}

      <TextAreaField
        label={t("collectionActions.form.note")}
        help={noteRequired ? t("collectionActions.form.noteHelpRequired") : t("collectionActions.form.noteHelpOptional")}
        defaultValue={defaultValues.note}
        error={error("note")}
        {...register("note")}
      />
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={submitting}>
          {t("collectionActions.form.save")}
        </button>
        <Link to={cancelHref}>{t("collectionActions.form.cancel")}</Link>
      </div>
    </Form>
  );
}

type SplitResult = ReturnType<typeof splitIntoMonthly>;

function InstalmentTable({
  today,
  fields,
  defaults,
  splitPosted,
  register,
  control,
  error,
  onAdd,
  onRemove,
  onSplit,
  onTotalError,
}: {
  today: string;
  fields: { id: string; dueOn: string; amount: string }[];
  defaults: { dueOn: string; amount: string }[];
  splitPosted?: { count?: string; first?: string };
  register: (name: string) => Record<string, unknown>;
  control: never;
  error: (path: string) => string | undefined;
  onAdd: () => void;
  onRemove: (index: number) => void;
  onSplit: (count: string, first: string) => SplitResult;
  onTotalError: () => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const countRef = useRef<HTMLInputElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const [splitError, setSplitError] = useState<{ field: string; message: string } | null>(null);
  const scheduleError = error("instalments");

  // With JavaScript the buttons act in place; without it they post their intent to the page.
  const act = (event: MouseEvent<HTMLButtonElement>, run: () => void) => {
    event.preventDefault();
    run();
  };
  const split = () => {
    const result = onSplit(countRef.current?.value ?? "", firstRef.current?.value ?? "");
    if (result.ok) setSplitError(null);
    else {
      setSplitError({ field: result.field, message: result.message });
      if (result.field === "amount") onTotalError();
    }
  };

  return (
    <fieldset className="collection-schedule">
      <legend>{t("collectionActions.form.instalmentsLegend")}</legend>
      <div className="collection-split">
        <p className="field__help">
          <strong>{t("collectionActions.form.splitLegend")}.</strong> {t("collectionActions.form.splitHelp")}
        </p>
        <div className="collection-split__row">
          <TextField
            ref={countRef}
            label={t("collectionActions.form.splitCount")}
            name="splitCount"
            inputMode="numeric"
            defaultValue={splitPosted?.count ?? "3"}
            error={splitError?.field === "splitCount" ? splitError.message : error("splitCount")}
          />
          <TextField
            ref={firstRef}
            label={t("collectionActions.form.splitFirst")}
            name="splitFirst"
            type="date"
            min={today}
            defaultValue={splitPosted?.first ?? today}
            error={splitError?.field === "splitFirst" ? splitError.message : error("splitFirst")}
          />
          <button type="submit" name="intent" value="split" className="button" formNoValidate onClick={(event) => act(event, split)}>
            {t("collectionActions.form.split")}
          </button>
        </div>
      </div>
      {scheduleError ? (
        <p className="field__error" role="alert" id="instalments-error">
          {errorText(scheduleError)}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="credit-table">
          <caption className="visually-hidden">{t("collectionActions.form.instalmentsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("collectionActions.form.instalmentNumber")}</th>
              <th scope="col">{t("collectionActions.form.instalmentDueOn")}</th>
              <th scope="col">{t("collectionActions.form.instalmentAmount")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("collectionActions.form.removeInstalment", { number: "" })}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field, index) => {
              const number = index + 1;
              return (
                <tr key={field.id}>
                  <th scope="row">{number}</th>
                  <td>
                    <CellInput
                      id={`instalments-${index}-dueOn`}
                      label={t("collectionActions.form.dueOnOf", { number })}
                      type="date"
                      min={today}
                      defaultValue={field.dueOn ?? defaults[index]?.dueOn ?? ""}
                      error={error(`instalments.${index}.dueOn`)}
                      register={register(`instalments.${index}.dueOn`)}
                    />
                  </td>
                  <td>
                    <CellInput
                      id={`instalments-${index}-amount`}
                      label={t("collectionActions.form.amountOf", { number })}
                      inputMode="decimal"
                      defaultValue={field.amount ?? defaults[index]?.amount ?? ""}
                      error={error(`instalments.${index}.amount`)}
                      register={register(`instalments.${index}.amount`)}
                    />
                  </td>
                  <td>
                    <button
                      type="submit"
                      name="intent"
                      value={`remove-instalment:${index}`}
                      formNoValidate
                      className="button button--ghost"
                      onClick={(event) => act(event, () => onRemove(index))}
                    >
                      {t("collectionActions.form.removeInstalment", { number })}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ScheduleSum control={control} />
      <button type="submit" name="intent" value="add-instalment" formNoValidate className="button" onClick={(event) => act(event, onAdd)}>
        {t("collectionActions.form.addInstalment")}
      </button>
    </fieldset>
  );
}

function CellInput({
  id,
  label,
  error,
  register,
  ...input
}: {
  id: string;
  label: string;
  error?: string;
  register: Record<string, unknown>;
  type?: string;
  min?: string;
  inputMode?: "decimal";
  defaultValue: string;
}) {
  const text = useErrorText()(error);
  return (
    <div className="credit-cell">
      <input
        id={id}
        aria-label={label}
        aria-invalid={text ? true : undefined}
        aria-describedby={text ? `${id}-error` : undefined}
        autoComplete="off"
        {...input}
        {...register}
      />
      {text ? (
        <p className="field__error" id={`${id}-error`}>
          {text}
        </p>
      ) : null}
    </div>
  );
}

/** "Instalments add up to X of Y", live as the rows are typed (JavaScript only). */
function ScheduleSum({ control }: { control: never }) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  // react-hook-form's nested field types again (see useFieldArray above)
  const rows = useWatch({ control, name: "instalments" as never }) as unknown as { amount?: string }[] | undefined;
  // react-hook-form's nested field types again (see useFieldArray above)
  const totalText = useWatch({ control, name: "amount" as never }) as unknown as string | undefined;
  const total = parsePositiveAmount(totalText ?? "");
  const amounts = (rows ?? []).map((row) => parsePositiveAmount(row?.amount ?? ""));
  if (!total.ok || amounts.length === 0 || amounts.some((amount) => !amount.ok)) return null;
  const sum = amounts.reduce((acc, amount) => acc + (amount.ok ? amount.minor : 0), 0);
  return (
    <p className={sum === total.minor ? "muted" : "collection-sum--off"} aria-live="polite">
      {t("collectionActions.form.scheduleSum", { sum: formatAmount(sum), total: formatAmount(total.minor) })}
    </p>
  );
}

// ---------------------------------------------------------------------------------------------
// My tasks

export interface FollowUpItem {
  id: number;
  customerCode: string;
  customerName: string;
  kind: "promise" | "instalment";
  sequence: number;
  of: number;
  dueOn: string;
  amount: number;
  paid: number;
  outstanding: number;
}

export interface FollowUpsData {
  dueSoon: FollowUpItem[];
  broken: FollowUpItem[];
  recent: {
    id: number;
    customerCode: string;
    customerName: string;
    kind: CollectionActionKind;
    actionDate: string;
    note: string;
    amount: number | null;
    userName: string | null;
  }[];
  dueSoonUntil: string;
  recentSince: string;
}

function customerHref(code: string) {
  return `/customers/${encodeURIComponent(code)}#collection-actions`;
}

function CustomerCell({ code, name }: { code: string; name: string }) {
  return (
    <td className="cell--title">
      <Link to={customerHref(code)}>{name}</Link> <span className="muted">{code}</span>
    </td>
  );
}

function FollowUpTable({ rows, caption, broken }: { rows: FollowUpItem[]; caption: string; broken: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <div className="table-wrap">
      <table className="stack-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("collectionActions.tasks.dueOn")}</th>
            <th scope="col">{t("collectionActions.tasks.customer")}</th>
            <th scope="col">{t("collectionActions.tasks.promiseOrInstalment")}</th>
            <th scope="col" className="num">
              {t("collectionActions.tasks.amount")}
            </th>
            <th scope="col" className="num">
              {broken ? t("collectionActions.tasks.outstanding") : t("collectionActions.tasks.paid")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td className="cell--title">{formatDate(row.dueOn)}</td>
              <CustomerCell code={row.customerCode} name={row.customerName} />
              <td data-label={t("collectionActions.tasks.promiseOrInstalment")}>
                {row.kind === "promise"
                  ? t("collectionActions.tasks.promise")
                  : t("collectionActions.tasks.instalment", { sequence: row.sequence, count: row.of })}{" "}
                <PromiseBadge status={broken ? "broken" : "pending"} />
              </td>
              <td className="num" data-label={t("collectionActions.tasks.amount")}>
                <Amount minor={row.amount} />
              </td>
              <td className="num" data-label={broken ? t("collectionActions.tasks.outstanding") : t("collectionActions.tasks.paid")}>
                {broken ? <Amount minor={row.outstanding} alert /> : <Amount minor={row.paid} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** My tasks: what to chase on the user's customers. */
export function CollectionFollowUpsSection({ followUps }: { followUps: FollowUpsData }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const { dueSoon, broken, recent } = followUps;
  return (
    <section aria-labelledby="collection-follow-ups" className="section collection-follow-ups">
      <h2 id="collection-follow-ups">{t("collectionActions.tasks.title")}</h2>
      <p className="muted">
        {t("collectionActions.tasks.intro", { date: formatDate(followUps.dueSoonUntil), since: formatDate(followUps.recentSince) })}
      </p>

      <h3>{t("collectionActions.tasks.dueSoon")}</h3>
      {dueSoon.length === 0 ? (
        <p>{t("collectionActions.tasks.noneDueSoon")}</p>
      ) : (
        <FollowUpTable rows={dueSoon} caption={t("collectionActions.tasks.dueSoonCaption")} broken={false} />
      )}

      <h3>{t("collectionActions.tasks.broken")}</h3>
      {broken.length === 0 ? (
        <p>{t("collectionActions.tasks.noneBroken")}</p>
      ) : (
        <FollowUpTable rows={broken} caption={t("collectionActions.tasks.brokenCaption")} broken />
      )}

      <h3>{t("collectionActions.tasks.recent")}</h3>
      {recent.length === 0 ? (
        <p>{t("collectionActions.tasks.noneRecent")}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption className="visually-hidden">{t("collectionActions.tasks.recentCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("collectionActions.tasks.date")}</th>
                <th scope="col">{t("collectionActions.tasks.customer")}</th>
                <th scope="col">{t("collectionActions.tasks.action")}</th>
                <th scope="col">{t("collectionActions.tasks.note")}</th>
                <th scope="col" className="num">
                  {t("collectionActions.tasks.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {recent.map((action) => (
                <tr key={action.id}>
                  <td className="cell--title">{formatDate(action.actionDate)}</td>
                  <CustomerCell code={action.customerCode} name={action.customerName} />
                  <td data-label={t("collectionActions.tasks.action")}>{t(`collectionActions.kind.${action.kind}`)}</td>
                  <td className="collection-note user-text cell--block" data-label={t("collectionActions.tasks.note")}>
                    {action.note}
                  </td>
                  <td className="num" data-label={t("collectionActions.tasks.amount")}>
                    {action.amount !== null ? <Amount minor={action.amount} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
