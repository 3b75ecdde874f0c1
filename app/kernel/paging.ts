/** Page arithmetic and sort toggling for the ledger lists; the URL holds the state. */

export const PAGE_SIZE = 50;
/** However a list is asked for, no page renders more rows than this. */
export const MAX_PAGE_SIZE = 500;

export type SortDirection = "asc" | "desc";

export interface PageInfo {
  /** 1-based, clamped to the pages that exist (page 1 of an empty list) */
  page: number;
  pageSize: number;
  pageCount: number;
  total: number;
  offset: number;
  /** 1-based numbers of the first and last row shown; 0 and 0 for an empty list */
  firstRow: number;
  lastRow: number;
}

export function pageInfo(requestedPage: number, total: number, pageSize = PAGE_SIZE): PageInfo {
  const size = Math.min(Math.max(1, Math.floor(pageSize)), MAX_PAGE_SIZE);
  const pageCount = Math.max(1, Math.ceil(total / size));
  const wanted = Number.isFinite(requestedPage) ? Math.floor(requestedPage) : 1;
  const page = Math.min(Math.max(1, wanted), pageCount);
  const offset = (page - 1) * size;
  return {
    page,
    pageSize: size,
    pageCount,
    total,
    offset,
    firstRow: total === 0 ? 0 : offset + 1,
    lastRow: Math.min(total, offset + size),
  };
}

/**
 * The page numbers to link: the first, the last, and `radius` either side of the current one;
 * `null` marks a gap ("…"). A gap of exactly one page shows that page instead.
 */
export function pageLinks(page: number, pageCount: number, radius = 2): (number | null)[] {
  const shown = new Set<number>([1, pageCount]);
  for (let p = page - radius; p <= page + radius; p += 1) if (p >= 1 && p <= pageCount) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  const links: (number | null)[] = [];
  for (const [i, p] of sorted.entries()) {
    const previous = sorted[i - 1];
    if (previous !== undefined && p - previous === 2) links.push(p - 1);
    else if (previous !== undefined && p - previous > 2) links.push(null);
    links.push(p);
  }
  return links;
}

/** Clicking the active column's header reverses it; another column starts in its own default direction. */
export function nextSortDirection<S extends string>(
  active: { sort: S; direction: SortDirection },
  column: S,
  defaultDirection: SortDirection,
): SortDirection {
  if (active.sort !== column) return defaultDirection;
  return active.direction === "asc" ? "desc" : "asc";
}
