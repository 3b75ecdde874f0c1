import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { MappingEditor } from "~/features/import/components/mapping-editor";
import { renderMessage } from "~/features/import/issue-text";
import type { FilePreview } from "~/features/import/web-import.server";

interface Props {
  file: FilePreview;
  mappings: { name: string; target: string }[];
  errors?: Record<string, string[] | undefined>;
}

/**
 * One staged file on the preview: how it was read (format, encoding or sheet), its layout, its
 * first rows; a file that cannot be read says why. Every file can be replaced or taken out.
 */
export function FilePreviewCard({ file, mappings, errors }: Props) {
  const { t } = useTranslation();
  return (
    <section className="card" aria-labelledby={`file-${file.index}`}>
      <h3 id={`file-${file.index}`}>{file.name}</h3>
      {file.problem ? (
        <p className="alert alert--error" role="alert">
          {file.problem === "gone" ? t("importing.gone") : t("importing.problem", { message: renderMessage(file.problem, t) })}
        </p>
      ) : (
        <ReadableFile file={file} mappings={mappings} errors={errors} />
      )}
      <FileActions file={file} />
    </section>
  );
}

function ReadableFile({ file, mappings, errors }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <p className="field__help">
        {file.format === "xlsx"
          ? file.sheets.length > 1
            ? t("importing.detectedXlsxOf", { sheet: file.sheet, count: file.sheets.length, sheets: file.sheets.join(t("importing.listSeparator")) })
            : t("importing.detectedXlsx", { sheet: file.sheet })
          : t("importing.detectedCsv", { encoding: t(`importing.encodings.${file.encoding ?? "utf-8"}`) })}
      </p>
      {file.sheets.length > 1 ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="choose-sheet" />
          <input type="hidden" name="index" value={file.index} />
          <div className="field">
            <label htmlFor={`sheet-${file.index}`}>{t("importing.sheetLabel", { name: file.name })}</label>
            <select id={`sheet-${file.index}`} name="sheet" defaultValue={file.sheet ?? undefined}>
              {file.sheets.map((sheet) => (
                <option key={sheet} value={sheet}>
                  {sheet}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t("importing.showSheet")}
          </button>
        </Form>
      ) : null}
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
          {mappings.map((m) => (
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
      <div className="table-wrap preview-table" tabIndex={0} role="region" aria-label={t("importing.firstRows", { name: file.name })}>
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
        <MappingEditor index={file.index} fileName={file.name} header={file.header} kind={file.kind} errors={errors} />
      ) : null}
    </>
  );
}

function FileActions({ file }: { file: FilePreview }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const replacing =
    navigation.state === "submitting" &&
    navigation.formData?.get("intent") === "replace" &&
    navigation.formData?.get("index") === String(file.index);
  return (
    <div className="file-actions">
      <Form method="post" encType="multipart/form-data" className="inline-form">
        <input type="hidden" name="intent" value="replace" />
        <input type="hidden" name="index" value={file.index} />
        <div className="field">
          <label htmlFor={`replace-${file.index}`}>{t("importing.replaceLabel", { name: file.name })}</label>
          <input
            id={`replace-${file.index}`}
            name="files"
            type="file"
            required
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          />
        </div>
        <button type="submit" className="button" disabled={replacing}>
          {replacing ? t("importing.replacing") : t("importing.replace")}
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="drop" />
        <input type="hidden" name="index" value={file.index} />
        <button type="submit" className="button button--ghost">
          {t("importing.drop", { name: file.name })}
        </button>
      </Form>
    </div>
  );
}
