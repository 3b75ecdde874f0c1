/**
 * The four canonical import files of KPIS.md section 2: column names, their Chinese aliases
 * and which are required. Headers match case-insensitively after trimming (and without a BOM).
 */

import { message, type ImportMessage } from "./issue-text";

export type FileKind = "customers" | "invoices" | "payments" | "adjustments";

/** The order a multi-file import runs in: later files may refer to earlier ones. */
export const FILE_KINDS: readonly FileKind[] = ["customers", "invoices", "payments", "adjustments"];

export interface ColumnSpec {
  field: string;
  aliases: readonly string[];
  required: boolean;
}

// `currency` is accepted in every file (section 1: "A currency column, if present, must equal
// the base currency"), so a USD payment file is refused instead of silently read as CNY.
export const CANONICAL_COLUMNS = {
  customers: [
    { field: "code", aliases: ["客户编码"], required: true },
    { field: "name", aliases: ["客户名称"], required: true },
    { field: "region", aliases: ["区域"], required: false },
    { field: "owner_email", aliases: ["负责人邮箱"], required: false },
    { field: "credit_grade", aliases: ["信用等级"], required: false },
    { field: "credit_limit", aliases: ["信用额度"], required: false },
    { field: "payment_terms_days", aliases: ["账期天数"], required: false },
    { field: "currency", aliases: ["币种"], required: false },
  ],
  invoices: [
    { field: "invoice_no", aliases: ["发票号"], required: true },
    { field: "customer_code", aliases: ["客户编码"], required: true },
    { field: "issue_date", aliases: ["开票日期"], required: true },
    { field: "due_date", aliases: ["到期日"], required: false },
    { field: "amount", aliases: ["金额"], required: true },
    { field: "currency", aliases: ["币种"], required: false },
  ],
  payments: [
    { field: "payment_no", aliases: ["收款单号"], required: true },
    { field: "customer_code", aliases: ["客户编码"], required: true },
    { field: "date", aliases: ["收款日期"], required: true },
    { field: "amount", aliases: ["金额"], required: true },
    { field: "invoice_no", aliases: ["发票号"], required: false },
    { field: "currency", aliases: ["币种"], required: false },
  ],
  adjustments: [
    { field: "adjustment_no", aliases: ["调整单号"], required: true },
    { field: "customer_code", aliases: ["客户编码"], required: true },
    { field: "date", aliases: ["调整日期", "日期"], required: true },
    { field: "amount", aliases: ["金额"], required: true },
    { field: "type", aliases: ["调整类型", "类型"], required: true },
    { field: "invoice_no", aliases: ["发票号"], required: false },
    { field: "currency", aliases: ["币种"], required: false },
  ],
} as const satisfies Record<FileKind, readonly ColumnSpec[]>;

export type CanonicalField<K extends FileKind> = (typeof CANONICAL_COLUMNS)[K][number]["field"];

export function columnSpecs(kind: FileKind): readonly ColumnSpec[] {
  return CANONICAL_COLUMNS[kind];
}

export function isCanonicalField<K extends FileKind>(kind: K, field: string): field is CanonicalField<K> {
  return columnSpecs(kind).some((spec) => spec.field === field);
}

/** How a header cell is compared: trimmed, lower-case, no BOM. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();
}

/** A problem with the header row; `column` is the header text concerned. */
export interface HeaderIssue {
  column: string;
  message: ImportMessage;
}

export interface HeaderMatch<K extends FileKind> {
  /** Where each canonical field is in the row (absent = column not in the file). */
  indexOf: Partial<Record<CanonicalField<K>, number>>;
  /** The header text as written in the file, for messages. */
  labelOf: Partial<Record<CanonicalField<K>, string>>;
  errors: HeaderIssue[];
  /** Header texts that match no column (to be reported once as a warning). */
  unknown: string[];
}

export function matchHeader<K extends FileKind>(kind: K, header: readonly string[]): HeaderMatch<K> {
  const byName = new Map<string, CanonicalField<K>>();
  for (const spec of columnSpecs(kind)) {
    for (const name of [spec.field, ...spec.aliases])
      // the specs are this kind's, so their fields are its canonical fields
      byName.set(normalizeHeader(name), spec.field as CanonicalField<K>);
  }
  const match: HeaderMatch<K> = { indexOf: {}, labelOf: {}, errors: [], unknown: [] };
  header.forEach((text, index) => {
    const label = text.replace(/^\uFEFF/, "").trim();
    if (label === "") return; // Excel leaves empty header cells after the last column
    const field = byName.get(normalizeHeader(text));
    if (field === undefined) {
      match.unknown.push(label);
    } else if (match.indexOf[field] !== undefined) {
      match.errors.push({
        column: label,
        message: message("duplicateColumn", { column: label, first: match.labelOf[field] ?? "" }),
      });
    } else {
      match.indexOf[field] = index;
      match.labelOf[field] = label;
    }
  });
  for (const spec of columnSpecs(kind)) {
    // the specs are this kind's, so their fields are its canonical fields
    if (spec.required && match.indexOf[spec.field as CanonicalField<K>] === undefined) {
      match.errors.push({
        column: spec.field,
        message:
          spec.aliases.length > 0
            ? message("missingColumnAlias", { column: spec.field, aliases: spec.aliases.join(" / ") })
            : message("missingColumn", { column: spec.field }),
      });
    }
  }
  return match;
}
