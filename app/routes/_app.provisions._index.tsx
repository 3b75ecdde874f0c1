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
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "provisions");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const db = getDb();
  const search = new URL(request.url).searchParams;
  return { ...(await loadProvisionPage(db, user, search, today())), runs: await loadRunList(db, user, search.get("period")), runsPeriod: runsPeriodParam(search.get("period")) };
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
        <label>
          {t("provisions.page.asOf")} <input type="date" name="asOf" defaultValue={data.asOf} />
        </label>
        <label>
          {t("provisions.page.basis")}{" "}
          <select name="basis" defaultValue={data.basis}>
            <option value="issue">{t("provisions.page.basisIssue")}</option>
            <option value="due">{t("provisions.page.basisDue")}</option>
          </select>
        </label>
        <button type="submit" className="button">{t("provisions.page.show")}</button>
      </Form>
      <ExportLinks asOf={data.asOf} basis={data.basis} />
      {actionData?.ok ? <p className="alert alert--success" role="status">{t("provisions.page.saved")}</p> : null}
      {refused ? <p className="alert alert--error" role="alert">{t(refused.message ?? "errors.checkFields")}</p> : null}
      <Totals ladder={data.ladder} matrix={data.matrix} />
      <SideBySide ladder={data.ladder} matrix={data.matrix} />
      {data.matrix.matrix ? (
        <p className="muted">
          {t("provisions.page.history")}: {data.matrix.matrix.dates.join(", ")}
          {data.matrix.matrix.adjustment
            ? ` · ${t("provisions.page.adjustmentApplied", { percent: `${data.matrix.matrix.adjustment.ppm / 10_000} %`, reason: data.matrix.matrix.adjustment.reason })}`
            : null}
        </p>
      ) : null}
      <h2>{t("provisions.page.specificTitle")}</h2>
      <SpecificTable result={data.ladder} />
      {data.own ? null : <RunList runs={data.runs} period={data.runsPeriod} canDraft={data.canEdit} defaultEnd={data.asOf} errors={refused?.intent === "draft-run" ? refused.fieldErrors : undefined} />}
      {data.own ? null : <EditForms data={data} errors={refused?.fieldErrors} intent={refused?.intent ?? null} />}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
