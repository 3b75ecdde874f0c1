import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { SortDirection } from "~/kernel/paging";

/**
 * A column header that sorts the list: a link (works without JavaScript), with `aria-sort`
 * on the active column so screen readers announce the order.
 */
export function SortHeader({
  label,
  href,
  active,
  direction,
  numeric = false,
  className,
}: {
  label: string;
  /** the list sorted by this column (reversed when it is already the active one) */
  href: string;
  active: boolean;
  direction: SortDirection;
  numeric?: boolean;
  /** extra classes of the header cell, e.g. cell--secondary on a stacked table */
  className?: string;
}) {
  const { t } = useTranslation();
  const ariaSort = active ? (direction === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" className={[numeric ? "num" : null, className].filter(Boolean).join(" ") || undefined} aria-sort={ariaSort}>
      <Link to={href} className={active ? "sort-link sort-link--active" : "sort-link"}>
        {label}
        <span className="visually-hidden">
          {" "}
          (
          {active
            ? t(direction === "asc" ? "ledger.sortedAscending" : "ledger.sortedDescending")
            : t("ledger.sortable")}
          )
        </span>
        <span aria-hidden="true" className="sort-link__arrow">
          {active ? (direction === "asc" ? "▲" : "▼") : "⇅"}
        </span>
      </Link>
    </th>
  );
}
