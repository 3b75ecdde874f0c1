import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { SEVERITIES } from "~/features/warnings";
import { WarningsTable } from "~/features/warnings/components/warnings-table";
import { loadWarningsPage, readWarningFilter } from "~/features/warnings/index.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "warnings");

const STATES = ["active", "open", "acknowledged", "resolved", "all"] as const;

/** Every reader of the ledger; staff see their own customers' and book's warnings only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const filter = readWarningFilter(new URL(request.url).searchParams);
  const page = await loadWarningsPage(getDb(), user, filter);
  return { ...page, filter: { severity: filter.severity ?? "", state: filter.state ?? "all", owner: filter.ownerId === null ? "" : String(filter.ownerId) } };
}

export default function WarningsPage() {
  const { t } = useTranslation();
  const { rows, owners, ownerFilter, filter } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("warnings.title")}</h1>
      <p className="lead">{t("warnings.intro")}</p>
      <p>
        <Link to="/warnings/rules">{t("warnings.rulesLink")}</Link>
      </p>
      <Form method="get" className="filters" aria-label={t("warnings.filters")}>
        <div className="filters__fields">
          <SelectField label={t("warnings.severity.label")} name="severity" defaultValue={filter.severity}>
            <option value="">{t("warnings.anySeverity")}</option>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {t(`warnings.severity.${severity}`)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("warnings.state.label")} name="state" defaultValue={filter.state}>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {t(`warnings.state.${state}`)}
              </option>
            ))}
          </SelectField>
          {ownerFilter ? (
            <SelectField label={t("warnings.filterOwner")} name="owner" defaultValue={filter.owner}>
              <option value="">{t("warnings.anyOwner")}</option>
              {owners.map((owner) => (
                <option key={owner.id} value={owner.id}>
                  {owner.name}
                </option>
              ))}
            </SelectField>
          ) : null}
        </div>
        <div className="filters__actions">
          <button type="submit" className="button">
            {t("warnings.apply")}
          </button>
        </div>
      </Form>
      {rows.length === 0 ? <p className="card">{t("warnings.none")}</p> : <WarningsTable rows={rows} caption={t("warnings.caption")} />}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
