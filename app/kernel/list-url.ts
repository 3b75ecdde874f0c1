/** Builds a list link from its state: empty values are left out, so URLs stay short and shareable. */
export type ListState = Record<string, string | number | null | undefined>;

export function listHref(pathname: string, state: ListState): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${pathname}?${query}` : pathname;
}

export interface SortDefaults<S extends string> {
  sort: S;
  directions: Record<S, "asc" | "desc">;
}

/** The sort as URL parameters, leaving out the list's default sort and the column's own default direction. */
export function sortParams<S extends string>(
  state: { sort: S; dir: "asc" | "desc" },
  defaults: SortDefaults<S>,
): { sort?: S; dir?: "asc" | "desc" } {
  return {
    ...(state.sort === defaults.sort ? {} : { sort: state.sort }),
    ...(state.dir === defaults.directions[state.sort] ? {} : { dir: state.dir }),
  };
}

/** A sorted, paged list's link: default sort and direction and page 1 are left out of the URL. */
export function sortedListHref<S extends string>(
  pathname: string,
  state: ListState & { sort: S; dir: "asc" | "desc"; page?: number },
  defaults: SortDefaults<S>,
): string {
  return listHref(pathname, {
    ...state,
    sort: undefined,
    dir: undefined,
    ...sortParams(state, defaults),
    page: state.page === 1 ? undefined : state.page,
  });
}
