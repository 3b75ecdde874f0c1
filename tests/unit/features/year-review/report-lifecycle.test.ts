import { describe, expect, it } from "vitest";

import { reportMay, reportTransition } from "~/features/year-review/report-lifecycle";

const head = { id: 1, role: "head" as const };
const leader = { id: 2, role: "leader" as const };
const staff = { id: 3, role: "staff" as const };

describe("reportTransition", () => {
  it("lets the head save and submit a new, draft or returned report", () => {
    expect(reportTransition(null, "save", head)).toEqual({ ok: true, to: "draft" });
    expect(reportTransition("returned", "save", head)).toEqual({ ok: true, to: "returned" });
    expect(reportTransition("draft", "submit", head)).toEqual({ ok: true, to: "submitted" });
    expect(reportTransition("returned", "submit", head)).toEqual({ ok: true, to: "submitted" });
  });

  it("freezes a submitted or accepted report for the head", () => {
    expect(reportTransition("submitted", "save", head)).toMatchObject({ ok: false, status: 409 });
    expect(reportTransition("accepted", "submit", head)).toMatchObject({ ok: false, reason: "review.report.error.notEditable" });
  });

  it("lets leadership return (with a comment) or accept only a submitted report", () => {
    expect(reportTransition("submitted", "return", leader, 1)).toEqual({ ok: true, to: "returned" });
    expect(reportTransition("submitted", "return", leader, 0)).toMatchObject({ ok: false, status: 400 });
    expect(reportTransition("submitted", "accept", leader)).toEqual({ ok: true, to: "accepted" });
    expect(reportTransition("draft", "accept", leader)).toMatchObject({ ok: false, status: 409 });
    expect(reportTransition("accepted", "return", leader, 1)).toMatchObject({ ok: false, status: 409 });
  });

  it("refuses the wrong role whatever the state", () => {
    expect(reportTransition(null, "save", leader)).toMatchObject({ ok: false, status: 403 });
    expect(reportTransition("submitted", "accept", head)).toMatchObject({ ok: false, status: 403 });
    expect(reportTransition(null, "save", staff)).toMatchObject({ ok: false, status: 403 });
    expect(reportTransition("submitted", "return", staff, 1)).toMatchObject({ ok: false, status: 403 });
  });

  it("tells the page which controls to show", () => {
    expect(reportMay(null, head)).toEqual({ edit: true, decide: false });
    expect(reportMay("submitted", head)).toEqual({ edit: false, decide: false });
    expect(reportMay("submitted", leader)).toEqual({ edit: false, decide: true });
    expect(reportMay("accepted", leader)).toEqual({ edit: false, decide: false });
  });
});
