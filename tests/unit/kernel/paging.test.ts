import { describe, expect, it } from "vitest";

import { MAX_PAGE_SIZE, PAGE_SIZE, nextSortDirection, pageInfo, pageLinks } from "~/kernel/paging";

describe("pageInfo", () => {
  it.each([
    // requested, total, page, pageCount, offset, firstRow, lastRow
    [1, 0, 1, 1, 0, 0, 0],
    [3, 0, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 1, 1],
    [1, 50, 1, 1, 0, 1, 50],
    [2, 50, 1, 1, 0, 1, 50],
    [2, 51, 2, 2, 50, 51, 51],
    [3, 120, 3, 3, 100, 101, 120],
    [99, 120, 3, 3, 100, 101, 120],
    [0, 120, 1, 3, 0, 1, 50],
    [-4, 120, 1, 3, 0, 1, 50],
    [Number.NaN, 120, 1, 3, 0, 1, 50],
    [2.7, 120, 2, 3, 50, 51, 100],
  ])("page %s of %s rows is page %s of %s", (requested, total, page, pageCount, offset, firstRow, lastRow) => {
    expect(pageInfo(requested, total)).toEqual({
      page,
      pageSize: PAGE_SIZE,
      pageCount,
      total,
      offset,
      firstRow,
      lastRow,
    });
  });

  it("never pages more than the maximum rows", () => {
    expect(pageInfo(1, 10_000, 5_000).pageSize).toBe(MAX_PAGE_SIZE);
    expect(pageInfo(1, 10, 0).pageSize).toBe(1);
  });
});

describe("pageLinks", () => {
  it.each([
    [1, 1, [1]],
    [1, 2, [1, 2]],
    [1, 7, [1, 2, 3, null, 7]],
    [4, 7, [1, 2, 3, 4, 5, 6, 7]],
    [5, 20, [1, 2, 3, 4, 5, 6, 7, null, 20]],
    [10, 20, [1, null, 8, 9, 10, 11, 12, null, 20]],
    [20, 20, [1, null, 18, 19, 20]],
    [4, 20, [1, 2, 3, 4, 5, 6, null, 20]],
  ])("page %s of %s links %j", (page, count, links) => {
    expect(pageLinks(page, count)).toEqual(links);
  });
});

describe("nextSortDirection", () => {
  it("starts another column in its own default direction and reverses the active one", () => {
    expect(nextSortDirection({ sort: "code", direction: "asc" }, "balance", "desc")).toBe("desc");
    expect(nextSortDirection({ sort: "balance", direction: "desc" }, "balance", "desc")).toBe("asc");
    expect(nextSortDirection({ sort: "balance", direction: "asc" }, "balance", "desc")).toBe("desc");
    expect(nextSortDirection({ sort: "code", direction: "asc" }, "code", "asc")).toBe("desc");
  });
});
