import { type ActionFunctionArgs, type LoaderFunctionArgs, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
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
import { parseFormData } from "~/server/forms.server";
import {
  type ChangeResult,
  cancelStagedRun,
  chooseStagedSheet,
  dropStagedFile,
  loadImportRun,
  receiveUploads,
  removeUploads,
  replaceStagedFile,
  saveStagedMapping,
  startStagedRun,
} from "~/features/import/web-import.server";

function runIdOf(params: { runId?: string }): number {
  const id = Number(params.runId);
  if (!Number.isInteger(id) || id <= 0) throw new Response("No such import.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "ledger:import");
  const run = await loadImportRun(runIdOf(params));
  if (!run) throw new Response("No such import.", { status: 404 });
  return { run };
}

function refused(message: string, index: number | null = null) {
  return data({ ok: false as const, fieldErrors: {} as Record<string, string[]>, index, message }, { status: 400 });
}

/** After a change to the staged files: the page again (or the list, when nothing is left). */
function changed(runId: number, result: ChangeResult, index: number | null) {
  if (!result.ok) return refused(result.message, index);
  return redirect(result.cancelled ? "/import" : `/import/runs/${runId}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:import");
  const runId = runIdOf(params);
  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    const upload = await receiveUploads(request);
    if (!upload.ok) return refused(upload.error);
    const parsed = parseFormData(upload.formData, replaceFileSchema);
    if (!parsed.ok || upload.files.length !== 1) {
      removeUploads(upload.files);
      return parsed.ok ? refused("importing.badFile") : parsed.response;
    }
    return changed(runId, await replaceStagedFile(runId, parsed.value.index, upload.files[0]), parsed.value.index);
  }
  const formData = await request.formData();
  switch (formData.get("intent")) {
    case "save-mapping": {
      const parsed = parseFormData(formData, saveMappingSchema);
      if (!parsed.ok) return parsed.response;
      const { intent: _intent, index, name, target, dateFormat, ...rest } = parsed.value;
      const columns = Object.fromEntries(
        Object.entries(rest)
          .filter(([key, value]) => key.startsWith("col_") && typeof value === "string" && value !== "")
          .map(([key, value]) => [key.slice(4), value as string]),
      );
      const saved = await saveStagedMapping(runId, { index, name, target, dateFormat, columns, ...pickColumns(rest) }, user.id);
      if (!saved.ok) return data({ ok: false as const, fieldErrors: saved.fieldErrors, index, message: null }, { status: 400 });
      return { ok: true as const, fieldErrors: {}, index, message: "importing.mappingSaved" };
    }
    case "drop": {
      const parsed = parseFormData(formData, dropFileSchema);
      if (!parsed.ok) return parsed.response;
      return changed(runId, await dropStagedFile(runId, parsed.value.index), parsed.value.index);
    }
    case "cancel": {
      const parsed = parseFormData(formData, cancelImportSchema);
      if (!parsed.ok) return parsed.response;
      return changed(runId, await cancelStagedRun(runId), null);
    }
    case "choose-sheet": {
      const parsed = parseFormData(formData, chooseSheetSchema);
      if (!parsed.ok) return parsed.response;
      return changed(runId, await chooseStagedSheet(runId, parsed.value.index, parsed.value.sheet), parsed.value.index);
    }
    default: {
      const parsed = parseFormData(formData, startImportSchema);
      if (!parsed.ok) return parsed.response;
      const started = await startStagedRun(runId, formData.getAll("layout").map(String), user.id);
      if (!started.ok) return refused(started.message);
      return redirect(`/import/runs/${runId}`);
    }
  }
}

function pickColumns(values: Record<string, unknown>) {
  const text = (key: string) => (typeof values[key] === "string" && values[key] ? (values[key] as string) : undefined);
  return {
    paidDateColumn: text("paidDateColumn"),
    paidAmountColumn: text("paidAmountColumn"),
    customerCodeColumn: text("customerCodeColumn"),
    customerNameColumn: text("customerNameColumn"),
    customerRegionColumn: text("customerRegionColumn"),
  };
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
  const errors = (actionData?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  const errorsOf = (index: number) => (actionData && "index" in actionData && actionData.index === index ? errors : undefined);

  return (
    <>
      <p>
        <Link to="/import">← {t("importing.back")}</Link>
      </p>
      <h1>{t("importing.runTitle", { id: run.id })}</h1>
      {actionData?.message ? (
        <p className={actionData.ok ? "alert alert--success" : "alert alert--error"} role="status">
          {t(actionData.message)}
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
