import type { MetaFunction } from "@remix-run/node";
import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { FilePreviewCard } from "~/features/import/components/file-preview";
import { EndedRun, FailedRun, SucceededRun } from "~/features/import/components/run-outcome";
import {
  cancelImportSchema,
  chooseSheetSchema,
  dropFileSchema,
  replaceFileSchema,
  saveMappingSchema,
  startImportSchema,
} from "~/features/import/schema";
import { mappingFormOf } from "~/features/import/mapping-form";
import { parseFormData } from "~/server/forms.server";
import { attempt, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { readUploads } from "~/server/uploads.server";
import {
  type ChangeResult,
  cancelStagedRun,
  chooseStagedSheet,
  dropStagedFile,
  importUploadOptions,
  loadImportRun,
  replaceStagedFile,
  saveStagedMapping,
  startStagedRun,
} from "~/features/import/index.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "importRun");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:import");
  const runId = idParam(params, "runId");
  return { run: await orErrorPage(() => loadImportRun(getDb(), runId)) };
}

/** After a change to the staged files: the page again (or the list, when nothing is left). */
function changed(runId: number, result: ChangeResult) {
  return redirect(result.cancelled ? "/import" : `/import/runs/${runId}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:import");
  const runId = idParam(params, "runId");
  const db = getDb();
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    return attempt(async () => {
      const upload = await readUploads(request, importUploadOptions());
      const parsed = parseFormData(upload.formData, replaceFileSchema);
      if (!parsed.ok) return parsed.response;
      return changed(runId, await replaceStagedFile(db, runId, parsed.value.index, upload.files));
    });
  }
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  switch (intent) {
    case "save-mapping": {
      const parsed = parseFormData(formData, saveMappingSchema);
      if (!parsed.ok) return parsed.response;
      const form = mappingFormOf(parsed.value);
      return attempt(
        async () => {
          await saveStagedMapping(db, user, runId, form);
          return { ok: true as const, message: "importing.mappingSaved", subjectId: form.index };
        },
        formData,
        intent,
      );
    }
    case "drop": {
      const parsed = parseFormData(formData, dropFileSchema);
      if (!parsed.ok) return parsed.response;
      return attempt(async () => changed(runId, await dropStagedFile(db, runId, parsed.value.index)), formData, intent);
    }
    case "cancel": {
      const parsed = parseFormData(formData, cancelImportSchema);
      if (!parsed.ok) return parsed.response;
      return attempt(async () => changed(runId, await cancelStagedRun(db, runId)), formData, intent);
    }
    case "choose-sheet": {
      const parsed = parseFormData(formData, chooseSheetSchema);
      if (!parsed.ok) return parsed.response;
      const { index, sheet } = parsed.value;
      return attempt(async () => changed(runId, await chooseStagedSheet(db, runId, index, sheet)), formData, intent);
    }
    default: {
      const parsed = parseFormData(formData, startImportSchema);
      if (!parsed.ok) return parsed.response;
      const choices = formData.getAll("layout").map(String);
      return attempt(async () => {
        await startStagedRun(db, user, runId, choices);
        return redirect(`/import/runs/${runId}`);
      }, formData, "start");
    }
  }
}

export default function ImportRunPage() {
  const { t } = useTranslation();
  const { run } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const revalidator = useRevalidator();
  const running = run.status === "running";

  // With JavaScript the bar moves by itself; without it, the Refresh link does the same.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 700);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  const percent = Math.floor((run.progress?.fraction ?? 0) * 100);
  const errors: Record<string, string[] | undefined> = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : {};
  const errorsOf = (index: number) => (actionData && "subjectId" in actionData && actionData.subjectId === index ? errors : undefined);

  return (
    <>
      <p>
        <Link to="/import">← {t("importing.back")}</Link>
      </p>
      <h1>{t("importing.runTitle", { id: run.id })}</h1>
      {actionData?.message ? (
        <p className={actionData.ok ? "alert alert--success" : "alert alert--error"} role="status">
          {t(actionData.message, "params" in actionData ? actionData.params : undefined)}
        </p>
      ) : null}
      {errors.form?.[0] ? (
        <p className="alert alert--error" role="alert">
          {t(errors.form[0])}
        </p>
      ) : null}

      {run.status === "pending" ? (
        <>
          <h2>{t("importing.previewTitle")}</h2>
          <Form method="post" id="start-import">
            <input type="hidden" name="intent" value="start" />
          </Form>
          {run.previews.map((file) => (
            // keyed by what the card shows: after a file is removed or replaced, the selects start
            // from the file's own layout and sheet, not from the previous file's at that place
            <FilePreviewCard
              key={[file.index, file.name, file.sheet, file.kind, file.mapping].join("\u0000")}
              file={file}
              mappings={run.mappings}
              errors={errorsOf(file.index)}
            />
          ))}
          {run.canStart ? (
            <button type="submit" form="start-import" className="button button--primary">
              {t("importing.start")}
            </button>
          ) : (
            <p className="alert alert--warn">{t("importing.fixUnreadable")}</p>
          )}
          <Form method="post" className="cancel-import">
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className="button button--ghost">
              {t("importing.cancel")}
            </button>
            <p className="field__help">{t("importing.cancelHelp")}</p>
          </Form>
        </>
      ) : null}

      {running ? (
        <section className="card" aria-live="polite">
          <label htmlFor="import-progress">{t("importing.running", { percent })}</label>
          <progress id="import-progress" className="progress" max={100} value={percent} aria-label={t("importing.progressLabel")}>
            {percent}%
          </progress>
          {run.progress?.file ? <p className="field__help">{t("importing.runningFile", { file: run.progress.file })}</p> : null}
          <p>
            <Link to=".">{t("importing.refresh")}</Link>
          </p>
        </section>
      ) : null}

      {run.status === "failed" ? <FailedRun issues={run.issues} report={run.report} summary={run.summary} /> : null}
      {run.status === "succeeded" && run.summary ? <SucceededRun summary={run.summary} /> : null}
      {run.status === "expired" || run.status === "cancelled" ? <EndedRun status={run.status} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
