import { describe, expect, it } from "vitest";

import {
  chosenVersion,
  mayComment,
  mayPublish,
  mayReadPublications,
  publicationFileName,
  publishableMonth,
  publishedRowOf,
  statusRowOf,
} from "~/features/status-table/publication";
import { publishSchema } from "~/features/status-table/publication.schema";
import type { StatusRow } from "~/features/status-table/status-table";

describe("who may", () => {
  it("lets the head publish, leadership comment, both read, and neither staff nor the administrator anything", () => {
    const as = (role: "head" | "staff" | "leader" | "admin") => ({ id: 1, role });
    expect(["head", "staff", "leader", "admin"].map((role) => [role, mayReadPublications(as(role as "head")), mayPublish(as(role as "head")), mayComment(as(role as "head"))])).toEqual([
      ["head", true, true, false],
      ["staff", false, false, false],
      ["leader", true, false, true],
      ["admin", false, false, false],
    ]);
  });
});

describe("the month published", () => {
  it("takes a complete month and refuses the month in progress, months not begun and other text", () => {
    const march = publishableMonth("2026-03", "2026-12-07");
    expect(march.ok && [march.month.start, march.month.closingDate]).toEqual(["2026-03-01", "2026-03-31"]);
    expect(publishableMonth("2026-11", "2026-12-01").ok).toBe(true);
    expect(publishableMonth("2026-12", "2026-12-31")).toEqual({ ok: false, reason: "status.published.error.monthInProgress" });
    expect(publishableMonth("2027-01", "2026-12-31")).toEqual({ ok: false, reason: "status.published.error.month" });
    for (const text of ["2026-13", "2026-3", "March", "", "2026-03-01"]) expect(publishableMonth(text, "2026-12-07"), text).toEqual({ ok: false, reason: "status.published.error.month" });
  });
});

describe("the version a page shows", () => {
  it("is the latest unless one published is asked for", () => {
    expect(chosenVersion(null, 3)).toBe(3);
    expect(chosenVersion("", 3)).toBe(3);
    expect(chosenVersion("2", 3)).toBe(2);
    for (const text of ["4", "0", "-1", "1.5", "abc", "01"]) expect(chosenVersion(text, 3), text).toBeNull();
  });
});

describe("a published row", () => {
  it("keeps every figure of the status row it copies", () => {
    const row: StatusRow = {
      code: "C1",
      name: "客户一",
      ownerName: null,
      region: "East",
      creditGrade: "B",
      creditLimit: 1_000_000,
      opening: 1,
      billed: 2,
      collected: 3,
      // 1 + 2 − 3 + 4 = 4: worked out from the four stored figures, not stored itself
      otherMovements: 4,
      closing: 4,
      overdue: 5,
      aging: { current: 6, "1_30": 7, "31_60": 8, "61_90": 9, "91_180": 10, "181_365": 11, over_365: 12 },
      overdueChange: -13,
    };
    expect(statusRowOf(publishedRowOf(row))).toEqual(row);
    expect(publicationFileName("2026-03", 2)).toBe("receivables-status-2026-03-v2.xlsx");
  });
});

describe("the publish form", () => {
  it("requires a note, keeps its Markdown as typed (line ends normalised), and reads the version as a number", () => {
    expect(publishSchema.parse({ month: " 2026-03 ", note: "# Title\r\n\r\n**bold**  \n", version: "2" })).toEqual({ month: "2026-03", note: "# Title\n\n**bold**", version: 2 });
    expect(publishSchema.safeParse({ month: "2026-03", note: " \n ", version: "0" }).error?.issues.map((issue) => issue.message)).toEqual(["status.published.error.noteRequired"]);
    expect(publishSchema.safeParse({ month: "2026-03", note: "x".repeat(20_001), version: "0" }).error?.issues.map((issue) => issue.message)).toContain("status.published.error.noteTooLong");
    expect(publishSchema.safeParse({ month: "2026-03", note: "x", version: "-1" }).success).toBe(false);
  });
});
