import { Form, Link, useSubmit } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SelectField } from "~/ui/field";

/**
 * A list's filter form: a plain GET form, so the URL holds the filters and it works without
 * JavaScript. With JavaScript, empty fields are left out of the URL. Submitting starts again
 * at page 1 (the page is not a field); the sort is kept in hidden fields.
 */
export function ListFilters({
  action,
  label,
  keep,
  clearHref,
  children,
}: {
  action: string;
  /** names the search landmark */
  label: string;
  /** state carried over unchanged, e.g. the sort */
  keep: Record<string, string | undefined>;
  clearHref: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const submit = useSubmit();
  return (
    <Form
      method="get"
      action={action}
      role="search"
      aria-label={label}
      className="filters"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const cleaned = new FormData();
        for (const [key, value] of form) if (value !== "") cleaned.append(key, value);
        submit(cleaned, { method: "get", action });
      }}
    >
      <div className="filters__fields">{children}</div>
      {Object.entries(keep).map(([name, value]) =>
        value ? <input key={name} type="hidden" name={name} value={value} /> : null,
      )}
      <div className="filters__actions">
        <button type="submit" className="button button--primary">
          {t("ledger.apply")}
        </button>
        <Link to={clearHref} className="button button--ghost">
          {t("ledger.clear")}
        </Link>
      </div>
    </Form>
  );
}

/** The owner filter shared by the customer and invoice lists (hidden from staff, who own them all). */
export function OwnerFilter({
  owners,
  unassigned,
  value,
}: {
  owners: { id: number; name: string }[];
  unassigned: boolean;
  value: string;
}) {
  const { t } = useTranslation();
  return (
    <SelectField label={t("customers.owner")} name="owner" defaultValue={value}>
      <option value="">{t("customers.anyOwner")}</option>
      {owners.map((owner) => (
        <option key={owner.id} value={owner.id}>
          {owner.name}
        </option>
      ))}
      {unassigned ? <option value="none">{t("customers.noOwner")}</option> : null}
    </SelectField>
  );
}

/** The region filter shared by the customer and invoice lists. */
export function RegionFilter({ regions, value }: { regions: string[]; value: string }) {
  const { t } = useTranslation();
  return (
    <SelectField label={t("customers.region")} name="region" defaultValue={value}>
      <option value="">{t("customers.anyRegion")}</option>
      {regions.map((region) => (
        <option key={region}>{region}</option>
      ))}
    </SelectField>
  );
}
