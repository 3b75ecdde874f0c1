import { type ActionFunctionArgs, type LoaderFunctionArgs, data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/auth.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { MappingEditor } from "~/components/import/mapping-editor";
import { saveMappingSchema, startImportSchema } from "~/schemas/import";
import { parseFormData } from "~/utils/forms.server";
import { loadImportRun, saveStagedMapping, startStagedRun } from "~/web-import.server";

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

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:import");
  const runId = runIdOf(params);
  const formData = await request.formData();
  if (formData.get("intent") === "save-mapping") {
    const parsed = parseFormData(formData, saveMappingSchema);
    if (!parsed.ok) return parsed.response;
    const { intent: _intent, index, name, target, dateFormat, ...rest } = parsed.value;
    const columns = Object.fromEntries(
      Object.entries(rest)
        .filter(([key, value]) => key.startsWith("col_") && typeof value === "string" && value !== "")
        .map(([key, value]) => [key.slice(4), value as string]),
    );
    const saved = await saveStagedMapping(
      runId,
      { index, name, target, dateFormat, columns, ...pickColumns(rest) },
      user.id,
    );
    if (!saved.ok) return data({ ok: false as const, fieldErrors: saved.fieldErrors, index, message: null }, { status: 400 });
    return { ok: true as const, fieldErrors: {}, index, message: "importing.mappingSaved" };
  }
  const parsed = parseFormData(formData, startImportSchema);
  if (!parsed.ok) return parsed.response;
  const started = await startStagedRun(runId, formData.getAll("layout").map(String), user.id);
  if (!started.ok) return data({ ok: false as const, fieldErrors: {}, index: null, message: started.message }, { status: 400 });
  return redirect(`/import/runs/${runId}`);
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
            <section className="card" key={file.index} aria-labelledby={`file-${file.index}`}>
              <h3 id={`file-${file.index}`}>{file.name}</h3>
              {file.problem ? (
                <p className="alert alert--error">
                  {file.problem === "gone" ? t("importing.gone") : t("importing.problem", { message: file.problem })}
                </p>
              ) : (
                <>
                  <p className="field__help">
                    {file.format === "xlsx"
                      ? file.sheets.length > 1
                        ? t("importing.detectedXlsxOf", { sheet: file.sheet, count: file.sheets.length, sheets: file.sheets.join(", ") })
                        : t("importing.detectedXlsx", { sheet: file.sheet })
                      : t("importing.detectedCsv", { encoding: t(`importing.encodings.${file.encoding ?? "utf-8"}`) })}
                  </p>
                  <div className="field">
                    <label htmlFor={`layout-${file.index}`}>{t("importing.layout", { name: file.name })}</label>
                    <select
                      id={`layout-${file.index}`}
                      name="layout"
                      form="start-import"
                      defaultValue={file.mapping ? `mapping:${file.mapping}` : `kind:${file.kind}`}
                    >
                      {(["customers", "invoices", "payments", "adjustments"] as const).map((kind) => (
                        <option key={kind} value={`kind:${kind}`}>
                          {t("importing.kindOption", { kind: t(`importing.kinds.${kind}`) })}
                        </option>
                      ))}
                      {run.mappings.map((m) => (
                        <option key={m.name} value={`mapping:${m.name}`}>
                          {t("importing.mappingOption", { name: m.name })}
                        </option>
                      ))}
                    </select>
                  </div>
                  {file.missingColumns.length > 0 ? (
                    <p className="alert alert--warn">{t("importing.missingColumns", { columns: file.missingColumns.join(", ") })}</p>
                  ) : null}
                  {file.unknownColumns.length > 0 ? (
                    <p className="field__help">{t("importing.unknownColumns", { columns: file.unknownColumns.join(", ") })}</p>
                  ) : null}
                  {/* scrolls both ways: focusable so keyboard users can scroll it too */}
                  <div
                    className="table-wrap preview-table"
                    tabIndex={0}
                    role="region"
                    aria-label={t("importing.firstRows", { name: file.name })}
                  >
                    <table>
                      <caption>{t("importing.firstRows", { name: file.name })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t("importing.line")}</th>
                          {file.header.map((column, i) => (
                            <th scope="col" key={`${column}-${i}`}>
                              {column}
                            </th>
                          ))}
                        </tr>
                      </thead>
                      <tbody>
                        {file.rows.map((row) => (
                          <tr key={row.line}>
                            <td>{row.line}</td>
                            {file.header.map((_, i) => (
                              <td key={i}>{row.values[i] ?? ""}</td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                  {file.truncated ? <p className="field__help">{t("importing.moreRows")}</p> : null}
                  {file.missingColumns.length > 0 ? (
                    <MappingEditor
                      index={file.index}
                      fileName={file.name}
                      header={file.header}
                      kind={file.kind}
                      errors={actionData && "index" in actionData && actionData.index === file.index ? errors : undefined}
                    />
                  ) : null}
                </>
              )}
            </section>
          ))}
          <button type="submit" form="start-import" className="button button--primary">
            {t("importing.start")}
          </button>
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

      {run.status === "failed" ? (
        <section className="card" aria-labelledby="report-title">
          <p className="alert alert--error" role="alert">
            {t("importing.failed")}
          </p>
          <h2 id="report-title">{t("importing.report")}</h2>
          <pre className="report">{run.report}</pre>
          <Link to="/import" className="button">
            {t("importing.again")}
          </Link>
        </section>
      ) : null}

      {run.status === "succeeded" && run.summary ? (
        <section aria-labelledby="summary-title">
          <p className="alert alert--success" role="status">
            {t("importing.succeeded")}
          </p>
          <div className="table-wrap">
            <table>
              <caption id="summary-title">{t("importing.summaryTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("importing.file")}</th>
                  <th scope="col">{t("importing.records")}</th>
                  <th scope="col" className="num">{t("importing.rows")}</th>
                  <th scope="col" className="num">{t("importing.added")}</th>
                  <th scope="col" className="num">{t("importing.updated")}</th>
                  <th scope="col" className="num">{t("importing.unchanged")}</th>
                </tr>
              </thead>
              <tbody>
                {run.summary.flatMap((file) =>
                  Object.entries(file.counts).map(([kind, counts], i) => (
                    <tr key={`${file.file}-${kind}`}>
                      <td>
                        {i === 0 ? file.file : ""}
                        {i === 0 && file.sheet ? <span className="field__help"> ({t("importing.sheetRead", { sheet: file.sheet })})</span> : null}
                      </td>
                      <td>{t(`importing.kinds.${kind}`)}</td>
                      <td className="num">{i === 0 ? file.rows : ""}</td>
                      <td className="num">{counts?.added}</td>
                      <td className="num">{counts?.updated}</td>
                      <td className="num">{counts?.unchanged}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          {run.summary.some((f) => f.warnings.length > 0) ? (
            <section className="card">
              <h2>{t("importing.warnings")}</h2>
              <ul>
                {run.summary.flatMap((f) => f.warnings.map((w) => <li key={`${f.file}-${w}`}>{`${f.file}: ${w}`}</li>))}
              </ul>
            </section>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
