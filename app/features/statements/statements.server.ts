import { type Statement, documentDate, statementBalance, statementDocument } from "~/features/statements/statement";
import { statementQuerySchema, type StatementQuery } from "~/features/statements/schema";
import { customerDocuments, findCustomer } from "~/features/ledger/index.server";
import { getSettings } from "~/features/settings/index.server";
import { createI18n } from "~/i18n";
import { AppError } from "~/kernel/app-error";
import { AGING_BUCKETS } from "~/kernel/ledger/aging";
import { customerPosition } from "~/kernel/ledger/customer-position";
import type { IsoDate } from "~/kernel/ledger/types";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import type { PdfDocumentSpec } from "~/kernel/pdf-document";
import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";
import type { SpreadsheetSheet } from "~/server/spreadsheet.server";

/**
 * The statement of account of one customer as of a date (the customer page's download): the
 * query checked first (nothing read for a bad link), the customer looked up in the user's scope
 * (staff: their own customers; another's is forbidden), the position worked out from the
 * customer's own documents dated up to that day. Reads only.
 */
export async function customerStatement(
  db: Db,
  user: CurrentUser,
  code: string,
  search: URLSearchParams,
  today: IsoDate,
): Promise<{ query: StatementQuery; statement: Statement; fileName: string; pdf: () => PdfDocumentSpec; sheets: () => SpreadsheetSheet[] }> {
  const parsed = statementQuerySchema(today).safeParse({
    asOf: search.get("asOf") ?? today,
    format: search.get("format") ?? "pdf",
    lang: search.get("lang") ?? user.locale,
  });
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    const first = parsed.error.issues[0]?.message ?? "errors.checkFields";
    throw new AppError("invalid", first, { fieldErrors });
  }
  const query = parsed.data;
  const scope = ledgerScopeOf(user);
  const lookup = await findCustomer(db, scope, code);
  if (!lookup.found) throw lookup.reason === "outside-scope" ? AppError.forbidden() : AppError.notFound();
  const { customer } = lookup;
  const position = customerPosition(customer.code, await customerDocuments(db, scope, customer.id), customer.creditLimit, query.asOf);
  const statement: Statement = {
    customer: { code: customer.code, name: customer.name, ownerName: customer.ownerName, paymentTermsDays: customer.paymentTermsDays },
    asOf: query.asOf,
    lines: position.openInvoices,
    aging: position.aging,
    arTotal: position.arTotal,
    overdueTotal: position.overdueTotal,
    unappliedCredit: position.unappliedCredit,
  };
  const { baseCurrency, company } = await getSettings(db);
  const i18n = createI18n(query.lang);
  const t = (key: string, params?: Record<string, string | number>) => i18n.t(key, params ?? {});
  const safeCode = customer.code.replace(/[^A-Za-z0-9_-]/g, "_");
  return {
    query,
    statement,
    fileName: `statement-${safeCode}-${query.asOf}-${query.lang}.${query.format}`,
    pdf: () => statementDocument(statement, { t, locale: query.lang, currency: baseCurrency, letterhead: company }),
    sheets: () => statementSheets(statement, t, query.lang),
  };
}

/** The statement as two sheets for the one XLSX writer: the open invoices with a total, then the summary. */
function statementSheets(statement: Statement, t: (key: string, params?: Record<string, string | number>) => string, locale: "en" | "zh-CN"): SpreadsheetSheet[] {
  const text = (value: string | null) => ({ kind: "text" as const, value });
  const amount = (minor: number) => ({ kind: "amount" as const, minor });
  return [
    {
      name: t("statements.sheetItems"),
      freezeHeader: true,
      columns: [
        { header: t("statements.invoiceNo"), width: 16 },
        { header: t("statements.issueDate"), width: 12 },
        { header: t("statements.dueDate"), width: 12 },
        { header: t("statements.amount"), width: 16 },
        { header: t("statements.open"), width: 16 },
        { header: t("statements.daysPastDue"), width: 12 },
        { header: t("statements.bucket"), width: 14 },
      ],
      rows: statement.lines.map((line) => [
        text(line.invoiceNo),
        text(line.issueDate),
        text(line.dueDate),
        amount(line.amount),
        amount(line.openAmount),
        { kind: "number" as const, value: Math.max(0, line.daysPastDue) },
        text(t(`aging.${line.bucket}`)),
      ]),
      totals: () => [[text(t("statements.total")), text(null), text(null), text(null), amount(statement.arTotal), text(null), text(null)]],
    },
    {
      name: t("statements.sheetSummary"),
      columns: [{ header: t("statements.title"), width: 60 }, { header: "", width: 18 }],
      rows: [
        [text(t("statements.customer", { name: statement.customer.name, code: statement.customer.code })), text(null)],
        [text(t("statements.asOfLine", { date: documentDate(statement.asOf, locale) })), text(null)],
        [text(t("statements.arTotal")), amount(statement.arTotal)],
        [text(t("statements.overdue")), amount(statement.overdueTotal)],
        [text(t("statements.unappliedCredit")), amount(-statement.unappliedCredit)],
        ...AGING_BUCKETS.map((bucket) => [text(`${t("statements.aging")}: ${t(`aging.${bucket}`)}`), amount(statement.aging[bucket])]),
      ],
      totals: () => [[text(t("statements.balance")), amount(statementBalance(statement))]],
    },
  ];
}
