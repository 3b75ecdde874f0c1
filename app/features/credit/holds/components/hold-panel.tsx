import { Form, Link, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";

import { reasonText, type ReasonLike } from "~/features/credit/components/reason-text";
import { SelectField, TextAreaField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { Amount } from "~/ui/amount";
import { useFormatAmount, useLocale } from "~/ui/use-format-amount";
import { HOLD_KINDS, type HoldAdvice, type HoldKind } from "~/features/credit/holds/holds";
import { HOLD_REASON_MAX, releaseHoldSchema, setHoldSchema } from "~/features/credit/holds/schema";
import { formatDateTime, formatPercent, useTimeZone } from "~/ui/format";

/**
 * The hold forms (set / change, release) posted to /credit/holds/change from the holds page and
 * the customer page, and the customer page's hold section. Plain forms: without JavaScript the
 * action validates and comes back (a redirect on success, the form with its errors otherwise);
 * with it, the same zod schemas refuse an empty reason before anything is sent.
 */

export const HOLD_CHANGE_ACTION = "/credit/holds/change";

const setFields = setHoldSchema.omit({ intent: true });
const releaseFields = releaseHoldSchema.omit({ intent: true });

/** Where to come back to: this page, without the last change's notice. */
function useReturnTo(): string {
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  search.delete("holdChanged");
  const query = search.toString();
  return `${location.pathname}${query ? `?${query}` : ""}`;
}

export interface HoldFormErrors {
  [field: string]: string[] | undefined;
}

export function SetHoldForm({
  customer,
  currentKind,
  defaultKind,
  serverErrors,
  defaultReason,
  returnTo: fixedReturnTo,
}: {
  customer: { code: string; name: string };
  returnTo?: string;
  currentKind: HoldKind | null;
  defaultKind: HoldKind | null;
  serverErrors?: HoldFormErrors;
  defaultReason?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const here = useReturnTo();
  const returnTo = fixedReturnTo ?? here;
  const navigation = useNavigation();
  // the defaults are the schema's input; the resolver's generics do not line up with zod 4's
  const form = useValidatedForm(setFields, { kind: defaultKind ?? undefined, reason: defaultReason ?? "" } as never);
  // this form's errors are flat, one per field name
  const errors = form.formState.errors as Record<string, { message?: string } | undefined>;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("customer") === customer.code;
  return (
    <Form method="post" action={HOLD_CHANGE_ACTION} noValidate onSubmit={form.onSubmit} className="hold-form">
      <fieldset>
        <legend>{t("holds.form.setLegend", { name: customer.name })}</legend>
        <input type="hidden" name="intent" value="set-hold" />
        <input type="hidden" name="customer" value={customer.code} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <SelectField
          label={t("holds.form.kind")}
          id={`${id}-kind`}
          // Rendered selected on the server too: the suggestion shows before the script runs, and without it.
          defaultValue={defaultKind ?? ""}
          error={errors.kind?.message ?? serverErrors?.kind?.[0] ?? serverErrors?.form?.[0]}
          {...form.register("kind")}
        >
          <option value="">{t("holds.form.chooseKind")}</option>
          {HOLD_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`holds.kind.${kind}`)}
            </option>
          ))}
        </SelectField>
        <TextAreaField
          label={t("holds.form.reason")}
          id={`${id}-reason`}
          rows={2}
          help={t("holds.form.reasonHelp")}
          error={errors.reason?.message ?? serverErrors?.reason?.[0] ?? serverErrors?.customer?.[0]}
          maxLength={HOLD_REASON_MAX}
          {...form.register("reason")}
        />
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? t("holds.form.submitting") : currentKind ? t("holds.form.change") : t("holds.form.set")}
        </button>
      </fieldset>
    </Form>
  );
}

export function ReleaseHoldForm({
  customer,
  serverErrors,
  defaultReason,
  returnTo: fixedReturnTo,
}: {
  customer: { code: string; name: string };
  returnTo?: string;
  serverErrors?: HoldFormErrors;
  defaultReason?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const here = useReturnTo();
  const returnTo = fixedReturnTo ?? here;
  const form = useValidatedForm(releaseFields, { reason: defaultReason ?? "" });
  // this form's errors are flat, one per field name
  const errors = form.formState.errors as Record<string, { message?: string } | undefined>;
  return (
    <Form method="post" action={HOLD_CHANGE_ACTION} noValidate onSubmit={form.onSubmit} className="hold-form">
      <fieldset>
        <legend>{t("holds.form.releaseLegend", { name: customer.name })}</legend>
        <input type="hidden" name="intent" value="release-hold" />
        <input type="hidden" name="customer" value={customer.code} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <TextAreaField
          label={t("holds.form.reason")}
          id={`${id}-release-reason`}
          rows={2}
          error={errors.reason?.message ?? serverErrors?.reason?.[0] ?? serverErrors?.form?.[0] ?? serverErrors?.customer?.[0]}
          maxLength={HOLD_REASON_MAX}
          {...form.register("reason")}
        />
        <button type="submit" className="button">
          {t("holds.form.release")}
        </button>
      </fieldset>
    </Form>
  );
}

export function HoldKindBadge({ kind }: { kind: HoldKind | null }) {
  const { t } = useTranslation();
  if (kind === null) return <span className="badge badge--muted">{t("holds.noHold")}</span>;
  return (
    <span className={kind === "stop_shipment" ? "badge badge--bad" : "badge badge--warn"}>{t(`holds.kind.${kind}`)}</span>
  );
}

/**
 * The badge beside a customer's name: a hold in force is what sales and shipping must see first,
 * so it replaces "active" (an inactive customer keeps that badge too).
 */
export function CustomerStatusBadge({ status, holdKind }: { status: "active" | "inactive"; holdKind: HoldKind | null }) {
  const { t } = useTranslation();
  const label = <span className="visually-hidden">{t("customers.status")}{t("common.colon")}</span>;
  return (
    <>
      {status !== "active" || holdKind === null ? (
        <span className={status === "active" ? "badge badge--ok" : "badge badge--muted"}>
          {label}
          {t(`customers.${status}`)}
        </span>
      ) : null}
      {holdKind ? (
        <span className={holdKind === "stop_shipment" ? "badge badge--bad" : "badge badge--warn"}>
          {label}
          {t(`holds.kind.${holdKind}`)}
        </span>
      ) : null}
    </>
  );
}

export function ReasonList({ reasons }: { reasons: ReasonLike[] }) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  if (reasons.length === 0) return <span className="muted">{t("holds.suggestions.noReasons")}</span>;
  return (
    <ul className="hold-reasons">
      {reasons.map((reason) => (
        <li key={reason.key}>{reasonText(t, formatAmount, reason)}</li>
      ))}
    </ul>
  );
}

/** "The hold on X has been updated", after a change came back here. */
export function HoldChangedNotice() {
  const { t } = useTranslation();
  const [search] = useSearchParams();
  const code = search.get("holdChanged");
  if (!code) return null;
  return (
    <p className="alert alert--success" role="status">
      {t("holds.changed", { code })}
    </p>
  );
}

interface PanelHold {
  kind: HoldKind;
  reason: string;
  setAt: string;
  setByName: string | null;
  releasedAt: string | null;
  releasedByName: string | null;
  releaseReason: string | null;
  id: number;
}

export interface HoldPanelProps {
  customer: { code: string; name: string };
  hold: {
    current: PanelHold | null;
    history: PanelHold[];
    suggestion: { kind: HoldKind | null; reasons: ReasonLike[]; advice: HoldAdvice; maxDaysOverdue: number };
    arTotal: number;
    creditLimit: number | null;
    utilisation: number | null;
    canChange: boolean;
  };
}

/** The customer page's section: the hold in force, the suggestion, the forms, utilisation, history. */
export function HoldPanel({ customer, hold }: HoldPanelProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const when = (iso: string) => formatDateTime(iso, locale, timeZone);
  const { current, suggestion } = hold;
  return (
    <section aria-labelledby="hold" className="section hold-panel">
      <div className="section__head">
        <h2 id="hold">{t("holds.panel.title")}</h2>
        <Link to="/credit/holds">{t("holds.panel.holdsPage")}</Link>
      </div>
      <HoldChangedNotice />
      {current ? (
        <div className={current.kind === "stop_shipment" ? "alert alert--error hold-banner hold-banner--stop" : "alert alert--warn hold-banner"}>
          <p className="hold-banner__title">
            <strong>{t(current.kind === "stop_shipment" ? "holds.panel.stopBanner" : "holds.panel.cashBanner")}</strong>
          </p>
          <p>{t("holds.panel.setOn", { date: when(current.setAt), name: current.setByName ?? "—", reason: current.reason })}</p>
        </div>
      ) : (
        <p className="muted">{t("holds.panel.none")}</p>
      )}

      <div className="hold-panel__grid">
        <div>
          <h3>{t("holds.panel.suggestion")}</h3>
          <p>
            {suggestion.kind
              ? t("holds.panel.suggestionIs", { kind: t(`holds.kind.${suggestion.kind}`), advice: t(`holds.advice.${suggestion.advice}`) })
              : suggestion.advice === "release"
                ? `${t("holds.panel.suggestionNone")} (${t("holds.advice.release")})`
                : t("holds.panel.suggestionNone")}
          </p>
          {suggestion.reasons.length > 0 ? <ReasonList reasons={suggestion.reasons} /> : null}
        </div>
        <div>
          <h3>{t("holds.panel.utilisation")}</h3>
          {hold.creditLimit && hold.utilisation !== null ? (
            <p>
              <Amount minor={hold.arTotal} alert={hold.utilisation > 1} /> / <Amount minor={hold.creditLimit} /> (
              <span className={hold.utilisation > 1 ? "amount amount--alert" : undefined}>{formatPercent(hold.utilisation, locale)}</span>)
              {hold.utilisation > 1 ? <span className="badge badge--bad badge--inline">{t("holds.limits.overLimit")}</span> : null}
            </p>
          ) : (
            <p className="muted">{t("holds.panel.noLimit")}</p>
          )}
        </div>
      </div>

      {hold.canChange ? (
        // Open when the rules advise a change, so the head sees the form where it is needed.
        <details className="hold-panel__forms" open={suggestion.advice !== "keep" && suggestion.advice !== "none"}>
          <summary>{t(current ? "holds.panel.changeHold" : "holds.panel.putOnHold")}</summary>
          <SetHoldForm customer={customer} currentKind={current?.kind ?? null} defaultKind={suggestion.kind ?? current?.kind ?? null} />
          {current ? <ReleaseHoldForm customer={customer} /> : null}
        </details>
      ) : null}

      <h3>{t("holds.panel.history")}</h3>
      {hold.history.length === 0 ? (
        <p className="muted">{t("holds.panel.historyEmpty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="ledger-table stack-table">
            <caption>{t("holds.panel.historyCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("holds.columns.hold")}</th>
                <th scope="col">{t("holds.inForce.since")}</th>
                <th scope="col">{t("holds.inForce.reason")}</th>
                <th scope="col">{t("holds.inForce.setBy")}</th>
                <th scope="col">{t("holds.panel.released")}</th>
                <th scope="col">{t("holds.panel.releaseReason")}</th>
              </tr>
            </thead>
            <tbody>
              {hold.history.map((row) => (
                <tr key={row.id}>
                  <td className="cell--title">
                    <HoldKindBadge kind={row.kind} />
                  </td>
                  <td data-label={t("holds.inForce.since")}>{when(row.setAt)}</td>
                  <td className="user-text cell--block" data-label={t("holds.inForce.reason")}>
                    {row.reason}
                  </td>
                  <td data-label={t("holds.inForce.setBy")}>{row.setByName ?? "—"}</td>
                  <td data-label={t("holds.panel.released")}>
                    {row.releasedAt ? `${when(row.releasedAt)} · ${row.releasedByName ?? "—"}` : <strong>{t("holds.panel.stillInForce")}</strong>}
                  </td>
                  <td className="user-text cell--block" data-label={t("holds.panel.releaseReason")}>
                    {row.releaseReason ?? ""}
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
