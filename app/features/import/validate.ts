/**
 * Row validation: one row of text in, one canonical record (ledger-types.ts) or a list of
 * errors out. Never throws on bad input: every problem of the row is reported at once, with the
 * column as the user headed it, in words a finance user understands.
 */
import { addDays } from "~/kernel/dates";
import type {
  AdjustmentRecord,
  AdjustmentType,
  CustomerRecord,
  InvoiceRecord,
  IsoDate,
  PaymentRecord,
} from "~/kernel/ledger/types";
import { parseAmount, type ParsedAmount } from "~/kernel/money";

import type { CanonicalField, FileKind, HeaderMatch } from "./canonical";
import { CompactKeyMap } from "./compact-key-map";
import type { ImportContext } from "./context";
import { parseDateInput, type DateFormat } from "./date-input";
import { message, type ImportMessage } from "./issue-text";

/** One row as the validator sees it, whatever the file layout was. */
export interface RowInput<K extends FileKind> {
  line: number;
  /** The trimmed value; "" when empty or when the file has no such column. */
  text(field: CanonicalField<K>): string;
  /** The column name to show in messages. */
  label(field: CanonicalField<K>): string;
}

export interface RowError {
  column: string | null;
  message: ImportMessage;
}

/** The import's words for an amount parseAmount refused. */
export function amountMessage(parsed: Extract<ParsedAmount, { ok: false }>): ImportMessage {
  const value = parsed.text;
  switch (parsed.problem) {
    case "empty":
      return message("empty");
    case "grouping":
      return message("amountGrouping", { value });
    case "decimals":
      return message("amountDecimals", { value });
    case "tooLarge":
      return message("amountTooLarge", { value });
    default:
      return message("amountInvalid", { value });
  }
}

export type RowOutcome<R> = { ok: true; record: R } | { ok: false; errors: RowError[] };

export interface ValidateOptions {
  /** The installation's base currency, e.g. "CNY". */
  baseCurrency: string;
  /** How day-first/month-first dates are read; year-first dates are always accepted. */
  dateFormat: DateFormat;
  /** True for XLSX sources, where a date column may hold Excel serial numbers. */
  allowExcelSerial: boolean;
  /** About how many rows the file has (a CSV's estimate): the key map's room from the start. */
  expectedRows?: number;
}

export type RecordOf<K extends FileKind> = {
  customers: CustomerRecord;
  invoices: InvoiceRecord;
  payments: PaymentRecord;
  adjustments: AdjustmentRecord;
}[K];

export type RowValidator<K extends FileKind> = (row: RowInput<K>) => RowOutcome<RecordOf<K>>;

/** A valid record and the line it came from, tagged with its kind. */
export type ImportedItem = { [K in FileKind]: { kind: K; line: number; record: RecordOf<K> } }[FileKind];

export const DEFAULT_PAYMENT_TERMS_DAYS = 30;
const MAX_PAYMENT_TERMS_DAYS = 3650;
const MAX_KEY_LENGTH = 64;
const MAX_TEXT_LENGTH = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const ADJUSTMENT_WORDS: Record<string, AdjustmentType> = {
  credit_note: "credit_note",
  红字发票: "credit_note",
  折让: "credit_note",
  "红字发票/折让": "credit_note",
  write_off: "write_off",
  坏账核销: "write_off",
  offset: "offset",
  三方抹账: "offset",
  冲抵: "offset",
  "三方抹账/冲抵": "offset",
};

/** Reads `credit_note`, `Write_Off`, `坏账核销`, `三方抹账/冲抵` ...; undefined if none. */
export function parseAdjustmentType(text: string): AdjustmentType | undefined {
  return ADJUSTMENT_WORDS[
    text
      .trim()
      .toLowerCase()
      .replace(/\s*[/／]\s*/g, "/")
  ];
}

/**
 * The minor units of an amount written as plain digits with up to 2 decimals ("12345.67",
 * "200", "0.5"), as parseAmount reads it; null for anything else (signs, currency symbols,
 * thousands separators, more digits), which parseAmount handles. Most amounts of a large
 * export are plain: this skips its regular expressions and string work (2M rows: ~0.5 s).
 */
export function plainMinorUnits(text: string): number | null {
  const length = text.length;
  // at most 13 integer digits: 10^15 minor units stay exact
  if (length === 0 || length > 16) return null;
  let units = 0;
  let i = 0;
  for (; i < length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) break;
    units = units * 10 + digit;
  }
  if (i === 0 || i > 13) return null;
  if (i === length) return units * 100;
  const decimals = length - i - 1;
  if (text.charCodeAt(i) !== 46 || decimals < 1 || decimals > 2) return null;
  let cents = 0;
  for (let j = i + 1; j < length; j += 1) {
    const digit = text.charCodeAt(j) - 48;
    if (digit < 0 || digit > 9) return null;
    cents = cents * 10 + digit;
  }
  return units * 100 + (decimals === 1 ? cents * 10 : cents);
}

/**
 * Collects the errors of one row. Getters return a placeholder ("" or 0) after reporting a
 * problem: the row is rejected anyway, so the placeholder never reaches a record.
 */
class RowChecks<K extends FileKind> {
  readonly errors: RowError[] = [];

  constructor(private readonly row: RowInput<K>, private readonly options: ValidateOptions) {}

  fail(field: CanonicalField<K> | null, problem: ImportMessage): void {
    this.errors.push({ column: field === null ? null : this.row.label(field), message: problem });
  }

  /** Optional text: null when empty. */
  text(field: CanonicalField<K>, maxLength = MAX_TEXT_LENGTH): string | null {
    // Stored as typed: a name "=1+1" stays the text "=1+1" (spreadsheet escaping is the exporter's job).
    const value = this.row.text(field);
    if (value === "") return null;
    if (value.length > maxLength) {
      this.fail(field, message("tooLong", { length: value.length, max: maxLength }));
      return "";
    }
    return value;
  }

  required(field: CanonicalField<K>, maxLength = MAX_TEXT_LENGTH): string {
    const value = this.text(field, maxLength);
    if (value === null) this.fail(field, message("required"));
    return value ?? "";
  }

  /** A natural key: required, short, and unique within this file. */
  key(field: CanonicalField<K>, seen: CompactKeyMap): string {
    const value = this.required(field, MAX_KEY_LENGTH);
    if (value === "") return "";
    const firstLine = seen.getOrSet(value, this.row.line);
    if (firstLine !== undefined) {
      this.fail(field, message("duplicateKey", { value, line: firstLine }));
      return "";
    }
    return value;
  }

  /** A required amount > 0, in minor units. */
  positiveAmount(field: CanonicalField<K>): number {
    const text = this.row.text(field);
    const plain = plainMinorUnits(text);
    if (plain !== null && plain > 0) return plain;
    if (text === "") {
      this.fail(field, message("required"));
      return 0;
    }
    const parsed = parseAmount(text);
    if (!parsed.ok) {
      this.fail(field, amountMessage(parsed));
      return 0;
    }
    if (parsed.minor <= 0) {
      this.fail(field, message("notPositive", { value: text }));
      return 0;
    }
    return parsed.minor;
  }

  requiredDate(field: CanonicalField<K>): IsoDate {
    const date = this.optionalDate(field);
    if (date === null) this.fail(field, message("required"));
    return date ?? "";
  }

  /** null when empty. */
  optionalDate(field: CanonicalField<K>): IsoDate | null {
    const text = this.row.text(field);
    if (text === "") return null;
    const parsed = parseDateInput(text, {
      format: this.options.dateFormat,
      allowExcelSerial: this.options.allowExcelSerial,
    });
    if (!parsed.ok) {
      this.fail(field, parsed.message);
      return "";
    }
    return parsed.date;
  }

  currency(field: CanonicalField<K>): void {
    const text = this.row.text(field);
    if (text !== "" && text.toUpperCase() !== this.options.baseCurrency.toUpperCase()) {
      this.fail(field, message("currencyMismatch", { currency: text, base: this.options.baseCurrency }));
    }
  }

  /** The customer must exist in the ledger or earlier in this import. */
  knownCustomer(field: CanonicalField<K>, code: string, context: ImportContext): void {
    if (code !== "" && context.customerTermsDays(code) === undefined) {
      this.fail(field, message("unknownCustomer", { code }));
    }
  }

  /** An optional invoice reference, which must belong to the row's customer. */
  invoiceOfCustomer(field: CanonicalField<K>, customerCode: string, context: ImportContext): string | null {
    const invoiceNo = this.text(field, MAX_KEY_LENGTH);
    if (invoiceNo === null || invoiceNo === "") return invoiceNo;
    const owner = context.invoiceCustomer(invoiceNo);
    if (owner === undefined) {
      this.fail(field, message("unknownInvoice", { invoice: invoiceNo }));
    } else if (customerCode !== "" && owner !== customerCode) {
      this.fail(field, message("invoiceOfOtherCustomer", { invoice: invoiceNo, owner, customer: customerCode }));
    }
    return invoiceNo;
  }

  outcome<R>(record: () => R): RowOutcome<R> {
    return this.errors.length > 0 ? { ok: false, errors: this.errors } : { ok: true, record: record() };
  }
}

export function customerValidator(context: ImportContext, options: ValidateOptions): RowValidator<"customers"> {
  const seen = new CompactKeyMap(options.expectedRows);
  return (row) => {
    const check = new RowChecks(row, options);
    const code = check.key("code", seen);
    const name = check.required("name");
    const region = check.text("region");
    const creditGrade = check.text("credit_grade");
    const ownerEmail = email(check);
    const creditLimit = creditLimitOf(check);
    const paymentTermsDays = termsOf(check);
    check.currency("currency");
    // Registered even when another cell is wrong, so the invoices that follow do not all
    // fail with "unknown customer" on top of the one real error.
    if (code !== "") context.defineCustomer(code, paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS);
    return check.outcome(() => ({
      code,
      name,
      region,
      ownerEmail,
      creditGrade,
      creditLimit,
      paymentTermsDays: paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS,
    }));
  };
}

function email(check: RowChecks<"customers">): string | null {
  const value = check.text("owner_email", 254);
  if (value === null || value === "") return value;
  if (!EMAIL.test(value)) {
    check.fail("owner_email", message("notEmail", { value }));
    return "";
  }
  return value.toLowerCase();
}

function creditLimitOf(check: RowChecks<"customers">): number | null {
  const text = check.text("credit_limit");
  if (text === null || text === "") return null;
  const parsed = parseAmount(text);
  if (!parsed.ok) {
    check.fail("credit_limit", amountMessage(parsed));
    return null;
  }
  if (parsed.minor < 0) check.fail("credit_limit", message("negative", { value: text }));
  return parsed.minor;
}

/** undefined = invalid (reported), so the caller can fall back to the default for lookups. */
function termsOf(check: RowChecks<"customers">): number | undefined {
  const text = check.text("payment_terms_days");
  if (text === null) return DEFAULT_PAYMENT_TERMS_DAYS;
  const days = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(days <= MAX_PAYMENT_TERMS_DAYS)) {
    check.fail("payment_terms_days", message("badTerms", { max: MAX_PAYMENT_TERMS_DAYS, value: text }));
    return undefined;
  }
  return days;
}

export function invoiceValidator(context: ImportContext, options: ValidateOptions): RowValidator<"invoices"> {
  const seen = new CompactKeyMap(options.expectedRows);
  // Due dates by payment terms and issue date: a file has a few hundred distinct issue dates.
  const dueDates = new Map<number, Map<IsoDate, IsoDate>>();
  const dueDate = (issueDate: IsoDate, terms: number): IsoDate => {
    let byIssue = dueDates.get(terms);
    if (!byIssue) dueDates.set(terms, (byIssue = new Map()));
    let due = byIssue.get(issueDate);
    if (due === undefined) byIssue.set(issueDate, (due = addDays(issueDate, terms)));
    return due;
  };
  return (row) => {
    const check = new RowChecks(row, options);
    const invoiceNo = check.key("invoice_no", seen);
    const customerCode = check.required("customer_code", MAX_KEY_LENGTH);
    check.knownCustomer("customer_code", customerCode, context);
    const issueDate = check.requiredDate("issue_date");
    const givenDueDate = check.optionalDate("due_date");
    const amount = check.positiveAmount("amount");
    check.currency("currency");
    let due = givenDueDate ?? "";
    if (givenDueDate === null && issueDate !== "") {
      const terms = customerCode === "" ? undefined : context.customerTermsDays(customerCode);
      if (terms !== undefined) due = dueDate(issueDate, terms);
    } else if (givenDueDate !== null && givenDueDate !== "" && issueDate !== "" && givenDueDate < issueDate) {
      check.fail("due_date", message("dueBeforeIssue", { due: givenDueDate, issue: issueDate }));
    }
    // Registered even when another cell is wrong, for the same reason as customers.
    if (invoiceNo !== "" && customerCode !== "") context.defineInvoice(invoiceNo, customerCode);
    return check.outcome(() => ({ invoiceNo, customerCode, issueDate, dueDate: due, amount }));
  };
}

export function paymentValidator(context: ImportContext, options: ValidateOptions): RowValidator<"payments"> {
  const seen = new CompactKeyMap(options.expectedRows);
  return (row) => {
    const check = new RowChecks(row, options);
    const paymentNo = check.key("payment_no", seen);
    const customerCode = check.required("customer_code", MAX_KEY_LENGTH);
    check.knownCustomer("customer_code", customerCode, context);
    const date = check.requiredDate("date");
    const amount = check.positiveAmount("amount");
    const invoiceNo = check.invoiceOfCustomer("invoice_no", customerCode, context);
    check.currency("currency");
    return check.outcome(() => ({ paymentNo, customerCode, date, amount, invoiceNo }));
  };
}

export function adjustmentValidator(context: ImportContext, options: ValidateOptions): RowValidator<"adjustments"> {
  const seen = new CompactKeyMap(options.expectedRows);
  return (row) => {
    const check = new RowChecks(row, options);
    const adjustmentNo = check.key("adjustment_no", seen);
    const customerCode = check.required("customer_code", MAX_KEY_LENGTH);
    check.knownCustomer("customer_code", customerCode, context);
    const date = check.requiredDate("date");
    const amount = check.positiveAmount("amount");
    const typeText = check.required("type");
    const type = typeText === "" ? undefined : parseAdjustmentType(typeText);
    if (typeText !== "" && type === undefined) {
      check.fail("type", message("notAdjustmentType", { value: typeText }));
    }
    const invoiceNo = check.invoiceOfCustomer("invoice_no", customerCode, context);
    check.currency("currency");
    return check.outcome(() => ({
      adjustmentNo,
      customerCode,
      date,
      amount,
      type: type ?? "credit_note",
      invoiceNo,
    }));
  };
}

/** The validator for one file of `kind`; it remembers the file's keys to catch duplicates. */
export function createRowValidator<K extends FileKind>(
  kind: K,
  context: ImportContext,
  options: ValidateOptions,
): RowValidator<K> {
  const factories: { [Kind in FileKind]: (c: ImportContext, o: ValidateOptions) => RowValidator<Kind> } = {
    customers: customerValidator,
    invoices: invoiceValidator,
    payments: paymentValidator,
    adjustments: adjustmentValidator,
  };
  // factories[kind] makes the validator of kind K; the index loses the link
  return factories[kind](context, options) as RowValidator<K>;
}

/** A RowInput over table rows in the canonical layout; reused row after row (no allocation). */
export class HeaderRowInput<K extends FileKind> implements RowInput<K> {
  line = 0;
  private values: readonly string[] = [];

  constructor(private readonly match: HeaderMatch<K>) {}

  load(line: number, values: readonly string[]): this {
    this.line = line;
    this.values = values;
    return this;
  }

  text(field: CanonicalField<K>): string {
    const index = this.match.indexOf[field];
    return index === undefined ? "" : (this.values[index] ?? "").trim();
  }

  label(field: CanonicalField<K>): string {
    return this.match.labelOf[field] ?? field;
  }
}
