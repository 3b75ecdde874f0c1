/**
 * Column mappings: importing an export in someone else's layout without editing the file.
 * A mapping is plain serialisable data (saved under its name) saying which source column holds
 * which canonical field. Mapped rows go through the same validators as the canonical files, so
 * the rest of the pipeline does not care which path a record took.
 */
import type { InvoiceRecord } from "~/kernel/ledger/types";
import { minorToMajorString, parseAmount } from "~/kernel/money";

import {
  columnSpecs,
  FILE_KINDS,
  isCanonicalField,
  normalizeHeader,
  type CanonicalField,
  type FileKind,
  type HeaderIssue,
} from "./canonical";
import type { ImportContext } from "./context";
import { DATE_FORMATS, parseDateInput, type DateFormat } from "./date-input";
import { message, type ImportMessage } from "./issue-text";
import type { TableRow } from "./read-table";
import {
  createRowValidator,
  customerValidator,
  DEFAULT_PAYMENT_TERMS_DAYS,
  paymentValidator,
  amountMessage,
  type ImportedItem,
  type RowError,
  type RowInput,
  type ValidateOptions,
} from "./validate";

/** Creates the customers a flat export mentions but the ledger does not know yet. */
export interface CustomerDerivation {
  codeColumn: string;
  /** When absent (or the cell is empty) the name is the code. */
  nameColumn?: string;
  regionColumn?: string;
  /** Terms for the created customers; default 30. */
  paymentTermsDays?: number;
}

/** Exports that record the settlement on the invoice row: it becomes a payment of that invoice. */
export interface SettlementColumns {
  /** An empty cell means "not settled": no payment. */
  paidDateColumn: string;
  /** When absent (or the cell is empty) the invoice was paid in full. */
  paidAmountColumn?: string;
}

export interface ColumnMapping<K extends FileKind = FileKind> {
  name: string;
  target: K;
  /** How dates are written; year-first dates are read in any case. */
  dateFormat: DateFormat;
  /** canonical field → source column header */
  columns: Partial<Record<CanonicalField<K>, string>>;
  /** canonical field → the value for every row (e.g. `type: "write_off"`), when no column is mapped */
  constants?: Partial<Record<CanonicalField<K>, string>>;
  /** invoices only */
  settlement?: SettlementColumns;
  /** invoices, payments and adjustments */
  customers?: CustomerDerivation;
}

/** Settlement payments get a key derived from the invoice, so re-importing changes nothing. */
export function settlementPaymentNo(invoiceNo: string): string {
  return `${invoiceNo}-PAID`;
}

/**
 * The IBM "Accounts Receivable" sample (shared/data): one row per invoice, every invoice
 * settled in full on SettledDate, customers known only by their ID, dates M/D/YYYY.
 */
export const IBM_ACCOUNTS_RECEIVABLE: ColumnMapping<"invoices"> = {
  name: "IBM accounts receivable export",
  target: "invoices",
  dateFormat: "M/D/YYYY",
  columns: {
    invoice_no: "invoiceNumber",
    customer_code: "customerID",
    issue_date: "InvoiceDate",
    due_date: "DueDate",
    amount: "InvoiceAmount",
  },
  settlement: { paidDateColumn: "SettledDate" },
  customers: { codeColumn: "customerID", regionColumn: "countryCode" },
};

export const BUILT_IN_MAPPINGS: readonly ColumnMapping[] = [IBM_ACCOUNTS_RECEIVABLE];

/** Every source column a mapping reads. */
export function mappedColumns(mapping: ColumnMapping): string[] {
  // a mapping's columns map field names to column names
  const columns = Object.values(mapping.columns as Record<string, string | undefined>);
  const { settlement, customers } = mapping;
  columns.push(settlement?.paidDateColumn, settlement?.paidAmountColumn);
  columns.push(customers?.codeColumn, customers?.nameColumn, customers?.regionColumn);
  return [...new Set(columns.filter((column): column is string => typeof column === "string" && column.trim() !== ""))];
}

/** The first built-in mapping whose columns are all in this header, if any. */
export function suggestMapping(header: readonly string[]): ColumnMapping | undefined {
  const present = new Set(header.map(normalizeHeader));
  return BUILT_IN_MAPPINGS.find((mapping) =>
    mappedColumns(mapping).every((column) => present.has(normalizeHeader(column))),
  );
}

/** A mapping checked against one file's header, with its columns resolved to positions. */
export interface BoundMapping {
  mapping: ColumnMapping;
  /** canonical field → position in the row */
  indexOf: Map<string, number>;
  /** position → the header text as written in the file */
  labels: string[];
  settlement?: { dateIndex: number; amountIndex?: number };
  customers?: { codeIndex: number; nameIndex?: number; regionIndex?: number; paymentTermsDays: number };
  /** Header texts the mapping does not read (reported once as a warning). */
  unused: string[];
}

export type BindResult = { ok: true; bound: BoundMapping } | { ok: false; errors: HeaderIssue[] };

/** Checks a (possibly user-saved) mapping against a header; problems are header-level errors. */
export function bindMapping(mapping: ColumnMapping, header: readonly string[]): BindResult {
  const errors: HeaderIssue[] = [];
  const fail = (column: string, problem: ImportMessage) => errors.push({ column, message: problem });
  const name = mapping.name;
  const labels = header.map((text) => text.replace(/^\uFEFF/, "").trim());
  const positions = new Map<string, number[]>();
  labels.forEach((label, index) => {
    if (label === "") return;
    const key = normalizeHeader(label);
    positions.set(key, [...(positions.get(key) ?? []), index]);
  });
  const find = (column: string, role: ImportMessage): number | undefined => {
    const found = positions.get(normalizeHeader(column)) ?? [];
    if (found.length === 0) fail(column, message("mappingColumnMissing", { column, role }));
    if (found.length > 1) fail(column, message("mappingColumnRepeated", { column, role, times: found.length }));
    return found.length === 1 ? found[0] : undefined;
  };

  const target = mapping.target;
  if (!FILE_KINDS.includes(target)) {
    return {
      ok: false,
      errors: [{ column: "mapping", message: message("mappingUnknownTarget", { mapping: name, target: String(target) }) }],
    };
  }
  if (!DATE_FORMATS.includes(mapping.dateFormat)) {
    fail("mapping", message("mappingUnknownDateFormat", { mapping: name, format: String(mapping.dateFormat) }));
  }
  const indexOf = new Map<string, number>();
  // a mapping's columns and constants map field names to text
  const columns = mapping.columns as Record<string, string | undefined>;
  // a mapping's constants map field names to text
  const constants = (mapping.constants ?? {}) as Record<string, string | undefined>;
  for (const [field, column] of Object.entries(columns)) {
    if (column === undefined || column.trim() === "") continue;
    if (!isCanonicalField(target, field)) {
      fail(column, message("mappingNotAColumn", { mapping: name, column, field, target: message(`kind.${target}`) }));
      continue;
    }
    const index = find(column, message("role.mappedTo", { field }));
    if (index !== undefined) indexOf.set(field, index);
  }
  for (const field of Object.keys(constants)) {
    if (!isCanonicalField(target, field))
      fail("mapping", message("mappingConstantNotAColumn", { mapping: name, field, target: message(`kind.${target}`) }));
  }
  for (const { field, required } of columnSpecs(target)) {
    if (!required || columns[field]?.trim() || constants[field]?.trim()) continue;
    fail(field, message("mappingNoRequired", { mapping: name, field }));
  }

  let settlement: BoundMapping["settlement"];
  if (mapping.settlement) {
    if (target !== "invoices")
      fail("mapping", message("mappingSettlementInvoicesOnly", { mapping: name }));
    const dateIndex = find(mapping.settlement.paidDateColumn, message("role.paidDate"));
    const { paidAmountColumn } = mapping.settlement;
    const amountIndex = paidAmountColumn ? find(paidAmountColumn, message("role.paidAmount")) : undefined;
    if (dateIndex !== undefined) settlement = { dateIndex, amountIndex };
  }

  let customers: BoundMapping["customers"];
  if (mapping.customers) {
    const { codeColumn, nameColumn, regionColumn, paymentTermsDays = DEFAULT_PAYMENT_TERMS_DAYS } = mapping.customers;
    if (target === "customers")
      fail("mapping", message("mappingCustomersFromCustomers", { mapping: name }));
    if (!Number.isInteger(paymentTermsDays) || paymentTermsDays < 0 || paymentTermsDays > 3650) {
      fail("mapping", message("mappingBadTerms", { mapping: name }));
    }
    const codeIndex = find(codeColumn, message("role.customerCode"));
    const nameIndex = nameColumn ? find(nameColumn, message("role.customerName")) : undefined;
    const regionIndex = regionColumn ? find(regionColumn, message("role.customerRegion")) : undefined;
    if (codeIndex !== undefined) customers = { codeIndex, nameIndex, regionIndex, paymentTermsDays };
  }

  if (errors.length > 0) return { ok: false, errors };
  const used = new Set(mappedColumns(mapping).map(normalizeHeader));
  const unused = labels.filter((label) => label !== "" && !used.has(normalizeHeader(label)));
  return { ok: true, bound: { mapping, indexOf, labels, settlement, customers, unused } };
}

/** Mapped columns first, then the mapping's constants. */
class MappedRowInput<K extends FileKind> implements RowInput<K> {
  line = 0;
  values: readonly string[] = [];
  private readonly constants: Record<string, string | undefined>;

  constructor(private readonly bound: BoundMapping) {
    // a mapping's constants map field names to text
    this.constants = (bound.mapping.constants ?? {}) as Record<string, string | undefined>;
  }

  load(row: TableRow): this {
    this.line = row.line;
    this.values = row.values;
    return this;
  }

  text(field: CanonicalField<K>): string {
    const index = this.bound.indexOf.get(field);
    if (index !== undefined) return (this.values[index] ?? "").trim();
    return (this.constants[field] ?? "").trim();
  }

  label(field: CanonicalField<K>): string {
    const index = this.bound.indexOf.get(field);
    // the index was found in this very header, so the label is there; the field name otherwise
    return index !== undefined ? (this.bound.labels[index] ?? field) : `${field} (set by mapping "${this.bound.mapping.name}")`;
  }
}

/** A row assembled from single values, e.g. the payment a settled invoice row implies. */
class AssembledRowInput<K extends FileKind> implements RowInput<K> {
  constructor(
    readonly line: number,
    private readonly fields: Partial<Record<CanonicalField<K>, { text: string; label: string }>>,
  ) {}

  text(field: CanonicalField<K>): string {
    return this.fields[field]?.text.trim() ?? "";
  }

  label(field: CanonicalField<K>): string {
    return this.fields[field]?.label ?? field;
  }
}

/** What one source row produced: all of its records, or only errors (never a part of a row). */
export interface RowResult {
  items: ImportedItem[];
  errors: RowError[];
}

export type RowHandler = (row: TableRow) => RowResult;

/** Validates source rows through a bound mapping; `options.dateFormat` comes from the mapping. */
export function mappedRowHandler(
  bound: BoundMapping,
  context: ImportContext,
  options: Omit<ValidateOptions, "dateFormat">,
): RowHandler {
  const { mapping } = bound;
  const validateOptions: ValidateOptions = { ...options, dateFormat: mapping.dateFormat };
  const input = new MappedRowInput<FileKind>(bound);
  const validateRow = createRowValidator(mapping.target, context, validateOptions);
  const validateCustomer = customerValidator(context, validateOptions);
  const validatePayment = paymentValidator(context, validateOptions);
  const cell = (index: number | undefined) => (index === undefined ? "" : (input.values[index] ?? "").trim());
  const labelAt = (index: number | undefined, fallback: string) =>
    index === undefined ? fallback : (bound.labels[index] ?? fallback);

  // A created customer waits here when its first row is rejected, so that it still comes out
  // with the next good row of that customer (the context already knows it by then).
  const waiting = new Map<string, ImportedItem>();

  return (row) => {
    input.load(row);
    const items: ImportedItem[] = [];
    const errors: RowError[] = [];

    const derive = bound.customers;
    const code = derive ? cell(derive.codeIndex) : "";
    let customerItem: ImportedItem | undefined;
    // Only customers the ledger does not know: re-importing must not overwrite names or terms
    // that were maintained in the app since.
    if (derive && code !== "" && context.customerTermsDays(code) === undefined) {
      const codeLabel = bound.labels[derive.codeIndex] ?? "code";
      const outcome = validateCustomer(
        new AssembledRowInput<"customers">(row.line, {
          code: { text: code, label: codeLabel },
          name: { text: cell(derive.nameIndex) || code, label: labelAt(derive.nameIndex, codeLabel) },
          region: { text: cell(derive.regionIndex), label: labelAt(derive.regionIndex, "region") },
          payment_terms_days: { text: String(derive.paymentTermsDays), label: "payment_terms_days" },
        }),
      );
      if (outcome.ok) customerItem = { kind: "customers", line: row.line, record: outcome.record };
      else errors.push(...outcome.errors);
    } else if (derive && code !== "") {
      customerItem = waiting.get(code);
    }

    const outcome = validateRow(input);
    // the record was validated for the mapping's target kind
    if (outcome.ok) items.push({ kind: mapping.target, line: row.line, record: outcome.record } as ImportedItem);
    else errors.push(...outcome.errors);

    const settlement = bound.settlement;
    const paidDate = settlement ? cell(settlement.dateIndex) : "";
    if (settlement && paidDate !== "") {
      const dateLabel = bound.labels[settlement.dateIndex] ?? "paid_date";
      const amountText = cell(settlement.amountIndex);
      if (outcome.ok) {
        // an invoices mapping validates invoice records
        const invoice = outcome.record as InvoiceRecord;
        const payment = validatePayment(
          new AssembledRowInput<"payments">(row.line, {
            payment_no: { text: settlementPaymentNo(invoice.invoiceNo), label: input.label("invoice_no") },
            customer_code: { text: invoice.customerCode, label: input.label("customer_code") },
            date: { text: paidDate, label: dateLabel },
            amount:
              amountText !== ""
                // the amount is read from a column on this branch, so its index is set
                ? { text: amountText, label: bound.labels[settlement.amountIndex as number] ?? "paid_amount" }
                : { text: minorToMajorString(invoice.amount), label: input.label("amount") },
            invoice_no: { text: invoice.invoiceNo, label: input.label("invoice_no") },
          }),
        );
        if (payment.ok) items.push({ kind: "payments", line: row.line, record: payment.record });
        else errors.push(...payment.errors);
      } else {
        // The invoice is already rejected; still point out a bad paid date or amount now.
        const date = parseDateInput(paidDate, {
          format: mapping.dateFormat,
          allowExcelSerial: options.allowExcelSerial,
        });
        if (!date.ok) errors.push({ column: dateLabel, message: date.message });
        const amount = amountText === "" ? undefined : parseAmount(amountText);
        if (amount && !amount.ok)
          // the amount is read from a column here, so its index is set
          errors.push({ column: bound.labels[settlement.amountIndex as number] ?? "paid_amount", message: amountMessage(amount) });
      }
    }

    if (errors.length > 0) {
      if (customerItem) waiting.set(code, customerItem);
      return { items: [], errors };
    }
    if (customerItem) {
      waiting.delete(code);
      items.unshift(customerItem);
    }
    return { items, errors };
  };
}
