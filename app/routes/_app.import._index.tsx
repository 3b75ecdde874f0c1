import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { getDb } from "~/server/db.server";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { attempt } from "~/server/responses.server";
import { readUploads } from "~/server/uploads.server";
import { UPLOAD_LIMIT_PARAMS } from "~/features/import/schema";
import { importUploadOptions, listRecentImports, stageUpload } from "~/features/import/index.server";
import type { Locale } from "~/i18n";
import type { ImportStatus } from "../../db/schema";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "import");

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:import");
  return { runs: await listRecentImports(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:import");
  return attempt(async () => {
    const upload = await readUploads(request, importUploadOptions());
    const runId = await stageUpload(getDb(), user, upload.files);
    return redirect(`/import/runs/${runId}`);
  });
}

export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const { runs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const fileError = actionData?.fieldErrors?.files?.[0];
  // i18n is initialised with the supported locales only (app/i18n)
  const locale = i18n.language as Locale;
  const timeZone = useTimeZone();

  return (
    <>
      <h1>{t("importing.title")}</h1>
      <p className="lead">{t("importing.intro")}</p>
      <section className="card" aria-labelledby="upload-title">
        <h2 id="upload-title">{t("importing.upload")}</h2>
        <Form method="post" encType="multipart/form-data">
          <div className="field">
            <label htmlFor="files">{t("importing.files")}</label>
            <input
              id="files"
              name="files"
              type="file"
              multiple
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={fileError ? "files-help files-error" : "files-help"}
              aria-invalid={fileError ? true : undefined}
            />
            <p className="field__help" id="files-help">
              {t("importing.filesHelp", UPLOAD_LIMIT_PARAMS)}
            </p>
            {fileError ? (
              <p className="field__error" id="files-error">
                {t(fileError, UPLOAD_LIMIT_PARAMS)}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? t("importing.uploading") : t("importing.upload")}
          </button>
        </Form>
      </section>

      <div className="table-wrap">
        <table>
          <caption>{t("importing.recent")}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("importing.started")}</th>
              <th scope="col">{t("importing.by")}</th>
              <th scope="col">{t("importing.filesColumn")}</th>
              <th scope="col">{t("importing.status")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.length === 0 ? (
              <tr>
                <td colSpan={5}>{t("importing.noRuns")}</td>
              </tr>
            ) : (
              runs.map((run) => (
                <tr key={run.id}>
                  <td>
                    <Link to={`/import/runs/${run.id}`}>{run.id}</Link>
                  </td>
                  <td>{formatDateTime(run.startedAt, locale, timeZone)}</td>
                  <td>{run.source === "cli" ? t("importing.sourceCli") : run.userName}</td>
                  <td>{run.files.join(", ")}</td>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

function StatusBadge({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  const tone = {
    pending: "badge--muted",
    running: "badge--warn",
    succeeded: "badge--ok",
    failed: "badge--bad",
    expired: "badge--muted",
    cancelled: "badge--muted",
  }[status];
  return <span className={`badge ${tone}`}>{t(`importing.statuses.${status}`)}</span>;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
