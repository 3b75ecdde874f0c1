import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, readFormData } from "~/server/responses.server";
import { AppError } from "~/kernel/app-error";
import {
  approveProvisionAdjustment,
  defaultRunDraft,
  draftProvisionRun,
  loadRunList,
  runsPeriodParam,
  endSpecificProvision,
  loadProvisionPage,
  proposeAdjustment,
  saveRateTable,
  saveSpecific,
} from "~/features/provisions/index.server";
import { ExportLinks, RunList } from "~/features/provisions/components/runs";
import { EditForms, SideBySide, SpecificTable, Totals } from "~/features/provisions/components/provisions-page";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "provisions");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const db = getDb();
  const search = new URL(request.url).searchParams;
  const asOfToday = today();
  return {
    ...(await loadProvisionPage(db, user, search, asOfToday)),
    runs: await loadRunList(db, user, search.get("period")),
    runsPeriod: runsPeriodParam(search.get("period")),
    // a period end the draft accepts, not the page's date (rarely a month's last day)
    runDraft: defaultRunDraft(asOfToday),
  };
}

/** Each form names its intent; the use case checks the role, the form and the version again. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const raw = { ...Object.fromEntries(formData), actionIds: String(formData.get("actionIds") ?? "").split(",").map((id) => id.trim()).filter(Boolean) };
  const db = getDb();
  const run = async () => {
    switch (intent) {
      case "rate-table":
        await saveRateTable(db, user, raw);
        break;
      case "specific":
        await saveSpecific(db, user, raw);
        break;
      case "end-specific":
        await endSpecificProvision(db, user, raw);
        break;
      case "propose-adjustment":
        await proposeAdjustment(db, user, raw);
        break;
      case "approve-adjustment":
        await approveProvisionAdjustment(db, user, raw);
        break;
      case "draft-run":
        return redirect(`/provisions/runs/${await draftProvisionRun(db, user, raw)}`);
      default:
        throw AppError.invalid({ form: ["provisions.form.stale"] });
    }
    return { ok: true as const };
  };
  return attempt(run, formData, intent);
}

export default function ProvisionsPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  // the action answers { ok } or attempt()'s Refusal; Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as { ok: true } | Refusal | undefined;
  const refused = actionData && !actionData.ok ? actionData : undefined;
  return (
    <>
      <h1>{t("provisions.page.title")}</h1>
      <p className="lead">{t("provisions.page.intro")}</p>
      {data.own ? <p className="alert alert--info">{t("provisions.page.scopeOwn")}</p> : null}
      <Form method="get" className="filters">
        <div className="filters__fields">
          <TextField id="provisions-asOf" label={t("provisions.page.asOf")} type="date" name="asOf" defaultValue={data.asOf} />
          <SelectField id="provisions-basis" label={t("provisions.page.basis")} name="basis" defaultValue={data.basis}>
            <option value="issue">{t("provisions.page.basisIssue")}</option>
            <option value="due">{t("provisions.page.basisDue")}</option>
          </SelectField>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button">{t("provisions.page.show")}</button>
        </div>
      </Form>
      <ExportLinks asOf={data.asOf} basis={data.basis} />
      {actionData?.ok ? <p className="alert alert--success" role="status">{t("provisions.page.saved")}</p> : null}
      {refused ? <p className="alert alert--error" role="alert">{t(refused.message ?? "errors.checkFields")}</p> : null}
      <Totals ladder={data.ladder} matrix={data.matrix} />
      <SideBySide ladder={data.ladder} matrix={data.matrix} />
      {data.matrix.matrix ? (
        <p className="muted">
          {t("provisions.page.labelled", { label: t("provisions.page.history") })} {data.matrix.matrix.dates.join(", ")}
          {data.matrix.matrix.adjustment
            ? ` · ${t("provisions.page.adjustmentApplied", { percent: `${data.matrix.matrix.adjustment.ppm / 10_000} %`, reason: data.matrix.matrix.adjustment.reason })}`
            : null}
        </p>
      ) : null}
      <section aria-labelledby="specific-title" className="section">
        <h2 id="specific-title">{t("provisions.page.specificTitle")}</h2>
        <SpecificTable result={data.ladder} />
      </section>
      {data.own ? null : <RunList runs={data.runs} period={data.runsPeriod} canDraft={data.canEdit} draft={data.runDraft} errors={refused?.intent === "draft-run" ? refused.fieldErrors : undefined} />}
      {data.own ? null : <EditForms data={data} errors={refused?.fieldErrors} intent={refused?.intent ?? null} />}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
