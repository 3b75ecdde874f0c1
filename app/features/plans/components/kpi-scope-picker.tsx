import { useFetcher } from "@remix-run/react";
import { type ChangeEvent, useEffect, useId, useRef, useState } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";

import { SelectField, TextField } from "~/ui/field";
import { parseScope } from "~/features/kpi";

/** The scopes the ledger has, as the item form offers them (models/kpi-scope.server.ts). */
export interface ScopeChoices {
  regions: string[];
  grades: string[];
  /** people who own customers: shown by name, posted as `owner:EMAIL` */
  owners: { email: string; name: string }[];
}

interface CustomerOption {
  code: string;
  name: string;
}

/**
 * A KPI link's scope: one list of the scopes that exist (the whole company, each region, each
 * owner by name, each credit grade) and "one customer", found by a search on code or name. It
 * posts `kpiScope` (and `kpiCustomer`); the server checks both again against the ledger. Without
 * JavaScript the customer field is always there and takes a code.
 */
export function KpiScopePicker({
  choices,
  current,
  defaults,
  chosen,
  scope,
  customer,
  scopeError,
  customerError,
}: {
  choices: ScopeChoices;
  /** The scope the item has now: kept on offer even when the ledger no longer has it. */
  current: string;
  /** What the fields hold when the page is drawn (also without JavaScript). */
  defaults: { kpiScope: string; kpiCustomer: string };
  /** The scope chosen now. */
  chosen: string;
  scope: UseFormRegisterReturn<"kpiScope">;
  customer: UseFormRegisterReturn<"kpiCustomer">;
  scopeError?: string;
  customerError?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const offered = new Set([
    "company",
    "customer",
    ...choices.regions.map((region) => `region:${region}`),
    ...choices.grades.map((grade) => `grade:${grade}`),
    ...choices.owners.map((owner) => `owner:${owner.email.toLowerCase()}`),
  ]);
  const kept = current !== "" && !offered.has(current) ? parseScope(current) : null;

  return (
    <>
      <SelectField label={t("planItems.form.kpiScope")} help={t("planItems.form.kpiScopeHelp")} error={scopeError} defaultValue={defaults.kpiScope} {...scope}>
        <option value="company">{t("planItems.scope.company")}</option>
        {kept?.ok ? <option value={current}>{current}</option> : null}
        {choices.regions.length > 0 ? (
          <optgroup label={t("planItems.form.regions")}>
            {choices.regions.map((region) => (
              <option key={region} value={`region:${region}`}>
                {region}
              </option>
            ))}
          </optgroup>
        ) : null}
        {choices.owners.length > 0 ? (
          <optgroup label={t("planItems.form.owners")}>
            {choices.owners.map((owner) => (
              <option key={owner.email} value={`owner:${owner.email.toLowerCase()}`}>
                {owner.name}
              </option>
            ))}
          </optgroup>
        ) : null}
        {choices.grades.length > 0 ? (
          <optgroup label={t("planItems.form.grades")}>
            {choices.grades.map((grade) => (
              <option key={grade} value={`grade:${grade}`}>
                {t("planItems.form.gradeOption", { grade })}
              </option>
            ))}
          </optgroup>
        ) : null}
        <option value="customer">{t("planItems.form.oneCustomer")}</option>
      </SelectField>
      {/* Always in the form (react-hook-form keeps one registration); hidden while another scope is chosen. */}
      <CustomerSearch
        id={`${id}-customer`}
        field={customer}
        defaultValue={defaults.kpiCustomer}
        error={customerError}
        hidden={hydrated && chosen !== "customer"}
      />
    </>
  );
}

function CustomerSearch({
  id,
  field,
  defaultValue,
  error,
  hidden,
}: {
  id: string;
  field: UseFormRegisterReturn<"kpiCustomer">;
  defaultValue: string;
  error?: string;
  hidden: boolean;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<{ customers: CustomerOption[] }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const search = (text: string) => {
    clearTimeout(timer.current);
    if (text.trim() === "") return;
    // A short pause so typing "Harbour" asks once, not seven times.
    timer.current = setTimeout(() => fetcher.load(`/plans/customer-options?q=${encodeURIComponent(text.trim())}`), 200);
  };
  const found = fetcher.data?.customers ?? [];
  return (
    <div className="item-form__customer" hidden={hidden}>
      <TextField
        id={id}
        label={t("planItems.form.kpiCustomer")}
        help={t("planItems.form.kpiCustomerHelp")}
        autoComplete="off"
        list={`${id}-options`}
        error={error}
        defaultValue={defaultValue}
        {...field}
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          void field.onChange(event);
          search(event.target.value);
        }}
      />
      <datalist id={`${id}-options`}>
        {found.map((option) => (
          <option key={option.code} value={option.code}>
            {option.name}
          </option>
        ))}
      </datalist>
      <p className="visually-hidden" role="status">
        {fetcher.state === "idle" && fetcher.data ? t("planItems.form.customersFound", { count: found.length }) : ""}
      </p>
    </div>
  );
}
