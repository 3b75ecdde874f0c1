import { Form } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { CANONICAL_COLUMNS, FILE_KINDS, type FileKind } from "~/features/import/canonical";
import { DATE_FORMATS } from "~/features/import/date-input";

interface Props {
  index: number;
  fileName: string;
  header: string[];
  kind: FileKind;
  errors?: Record<string, string[] | undefined>;
}

/** Says once which source column holds which canonical field; saved by name for next time. */
export function MappingEditor({ index, fileName, header, kind, errors = {} }: Props) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<FileKind>(kind);
  const id = (name: string) => `map-${index}-${name}`;
  const columnSelect = (name: string, label: string, required = false) => {
    const error = errors[name]?.[0];
    return (
      <div className="field" key={name}>
        <label htmlFor={id(name)}>
          {label}
          {required ? " *" : ""}
        </label>
        <select
          id={id(name)}
          name={name}
          defaultValue=""
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id(name)}-error` : undefined}
        >
          <option value="">{t("importing.notMapped")}</option>
          {header.map((column) => (
            <option key={column} value={column}>
              {column}
            </option>
          ))}
        </select>
        {error ? (
          <p className="field__error" id={`${id(name)}-error`}>
            {t(error, { field: label })}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <details className="mapping-editor" open>
      <summary>{t("importing.mappingTitle", { name: fileName })}</summary>
      <p className="field__help">{t("importing.mappingHelp")}</p>
      <Form method="post" className="form-grid">
        <input type="hidden" name="intent" value="save-mapping" />
        <input type="hidden" name="index" value={index} />
        <div className="field">
          <label htmlFor={id("name")}>{t("importing.mappingName")}</label>
          <input
            id={id("name")}
            name="name"
            required
            maxLength={100}
            defaultValue={fileName.replace(/\.(csv|xlsx)$/i, "")}
          />
        </div>
        <div className="field">
          <label htmlFor={id("target")}>{t("importing.mappingTarget")}</label>
          {/* The select offers only the file kinds. */}
          <select id={id("target")} name="target" value={target} onChange={(e) => setTarget(e.target.value as FileKind)}>
            {FILE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`importing.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={id("dateFormat")}>{t("importing.dateFormat")}</label>
          <select id={id("dateFormat")} name="dateFormat" defaultValue="YYYY-MM-DD">
            {DATE_FORMATS.map((format) => (
              <option key={format} value={format}>
                {format}
              </option>
            ))}
          </select>
        </div>
        {CANONICAL_COLUMNS[target].map((spec) => columnSelect(`col_${spec.field}`, spec.field, spec.required))}
        {target === "invoices" ? (
          <>
            {columnSelect("paidDateColumn", t("importing.settlementDate"))}
            {columnSelect("paidAmountColumn", t("importing.settlementAmount"))}
          </>
        ) : null}
        {target !== "customers" ? (
          <>
            {columnSelect("customerCodeColumn", t("importing.customerCode"))}
            {columnSelect("customerNameColumn", t("importing.customerName"))}
            {columnSelect("customerRegionColumn", t("importing.customerRegion"))}
          </>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button">
            {t("importing.saveMapping")}
          </button>
        </div>
      </Form>
    </details>
  );
}
