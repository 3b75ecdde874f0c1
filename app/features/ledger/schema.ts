/**
 * The URL is the state of the ledger lists: these schemas read a list's search parameters.
 * A value that does not parse is dropped (or falls back to the default) instead of failing the
 * page: a stale bookmark or a hand-edited link still shows a list.
 */
import { z } from "zod";

import { isValidIsoDate } from "~/kernel/dates";
import { INVOICE_STATUSES } from "~/kernel/ledger/invoice-status";
import type { SortDirection } from "~/kernel/paging";

const optionalText = z
  .preprocess(
    (value) => (typeof value === "string" ? value.trim() || undefined : undefined),
    z.string().max(100).optional(),
  )
  .catch(undefined);

const optionalDate = z.preprocess(
  (value) => (typeof value === "string" && isValidIsoDate(value.trim()) ? value.trim() : undefined),
  z.string().optional(),
);

const page = z.coerce.number().int().min(1).max(1_000_000).catch(1);
const direction = z.enum(["asc", "desc"]).optional().catch(undefined);

/** `owner=none` asks for customers without an owner. */
const owner = z
  .union([z.literal("none"), z.coerce.number().int().positive()])
  .optional()
  .catch(undefined);

export const CUSTOMER_SORTS = ["code", "name", "balance", "overdue"] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];
export const CUSTOMER_SORT_DEFAULTS: Record<CustomerSort, SortDirection> = {
  code: "asc",
  name: "asc",
  balance: "desc",
  overdue: "desc",
};

export const customerListParams = z.object({
  q: optionalText,
  owner,
  region: optionalText,
  grade: optionalText,
  status: z.enum(["active", "inactive"]).optional().catch(undefined),
  sort: z.enum(CUSTOMER_SORTS).catch("code"),
  dir: direction,
  page,
});

export const INVOICE_SORTS = ["issue", "due", "amount"] as const;
export type InvoiceSort = (typeof INVOICE_SORTS)[number];
export const INVOICE_SORT_DEFAULTS: Record<InvoiceSort, SortDirection> = {
  issue: "desc",
  due: "desc",
  amount: "desc",
};

export const invoiceListParams = z.object({
  customer: optionalText,
  issuedFrom: optionalDate,
  issuedTo: optionalDate,
  dueFrom: optionalDate,
  dueTo: optionalDate,
  status: z.enum(INVOICE_STATUSES).optional().catch(undefined),
  owner,
  region: optionalText,
  sort: z.enum(INVOICE_SORTS).catch("issue"),
  dir: direction,
  page,
});

export type CustomerListParams = z.output<typeof customerListParams>;
export type InvoiceListParams = z.output<typeof invoiceListParams>;

function searchParamsOf(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams);
}

/** The customer list's state from its URL; the direction defaults to the sort column's own. */
export function readCustomerListParams(url: URL): CustomerListParams & { dir: SortDirection } {
  const parsed = customerListParams.parse(searchParamsOf(url));
  return { ...parsed, dir: parsed.dir ?? CUSTOMER_SORT_DEFAULTS[parsed.sort] };
}

/** The invoice list's state from its URL; the direction defaults to the sort column's own. */
export function readInvoiceListParams(url: URL): InvoiceListParams & { dir: SortDirection } {
  const parsed = invoiceListParams.parse(searchParamsOf(url));
  return { ...parsed, dir: parsed.dir ?? INVOICE_SORT_DEFAULTS[parsed.sort] };
}

const pageParam = z.object({ page });

/** A page number from a URL (e.g. the customer page's payment history); 1 when absent or not a number. */
export function readPageParam(url: URL): number {
  return pageParam.parse(searchParamsOf(url)).page;
}
