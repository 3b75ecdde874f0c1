/**
 * The date the ledger lists are "as of".
 *
 * The lists read `open_items` and `unapplied_credits`, which the import keeps with EVERY
 * document counted; re-settling 10k customers per page view is what they exist to avoid. Every
 * document counted is exactly the position at the end of the latest document's date (KPIS.md
 * section 3). So when no document is dated after today the lists are exactly as of today; when
 * some are (post-dated payments, invoices issued in advance, a demo's fixed QUARTERDECK_TODAY),
 * the lists are exactly as of that latest date instead, overdue included, and the page says so.
 * Figures are never a blend of two dates. A customer's own page is always computed exactly as
 * of today from their documents.
 */
import type { IsoDate } from "~/kernel/ledger/types";

export interface ListAsOf {
  /** the date every figure on the list is as of */
  asOf: IsoDate;
  today: IsoDate;
  /** true when documents dated after today moved the lists' date forward */
  laterThanToday: boolean;
}

export function listAsOf(today: IsoDate, latestDocumentDate: IsoDate | null): ListAsOf {
  const later = latestDocumentDate !== null && latestDocumentDate > today;
  return { asOf: later ? latestDocumentDate : today, today, laterThanToday: later };
}
