import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { type PageInfo, pageLinks } from "~/kernel/paging";
import { formatNumber } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";

/**
 * Page links as a labelled navigation landmark. `hrefFor` keeps the list's filters and sort;
 * without JavaScript these are ordinary links.
 */
export function Pagination({
  info,
  hrefFor,
  label,
}: {
  info: PageInfo;
  hrefFor: (page: number) => string;
  /** names the landmark, e.g. "Customer pages" */
  label: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const number = (n: number) => formatNumber(n, locale);
  return (
    <div className="pagination">
      <p className="pagination__summary" aria-live="polite">
        {info.total === 0
          ? t("ledger.noRows")
          : t("ledger.rowsShown", {
              first: number(info.firstRow),
              last: number(info.lastRow),
              total: number(info.total),
            })}
      </p>
      {info.pageCount > 1 ? (
        <nav aria-label={label}>
          <ul className="pagination__list">
            <li>
              {info.page > 1 ? (
                <Link to={hrefFor(info.page - 1)} rel="prev" className="pagination__step">
                  <span aria-hidden="true">‹ </span>
                  {t("ledger.previous")}
                </Link>
              ) : (
                <span className="pagination__step pagination__step--disabled" aria-disabled="true">
                  <span aria-hidden="true">‹ </span>
                  {t("ledger.previous")}
                </span>
              )}
            </li>
            {pageLinks(info.page, info.pageCount).map((page, index) =>
              page === null ? (
                <li key={`gap-${index}`} className="pagination__gap" aria-hidden="true">
                  …
                </li>
              ) : (
                <li key={page}>
                  <Link
                    to={hrefFor(page)}
                    aria-current={page === info.page ? "page" : undefined}
                    aria-label={t("ledger.pageN", { page: number(page) })}
                    className="pagination__page"
                  >
                    {number(page)}
                  </Link>
                </li>
              ),
            )}
            <li>
              {info.page < info.pageCount ? (
                <Link to={hrefFor(info.page + 1)} rel="next" className="pagination__step">
                  {t("ledger.next")}
                  <span aria-hidden="true"> ›</span>
                </Link>
              ) : (
                <span className="pagination__step pagination__step--disabled" aria-disabled="true">
                  {t("ledger.next")}
                  <span aria-hidden="true"> ›</span>
                </span>
              )}
            </li>
          </ul>
        </nav>
      ) : null}
    </div>
  );
}
