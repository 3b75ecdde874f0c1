import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import type { PublicationView, PublicationsList } from "~/features/status-table/publication.server";
import type { StatusTotals } from "~/features/status-table/status-table";
import { loader as statusLoader } from "~/routes/_app.status._index";
import { action as listAction, loader as listLoader } from "~/routes/_app.status.published._index";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.status.published.$month";
import { loader as exportLoader } from "~/routes/_app.status.published.$month.export";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

const MONTH = "2025-03";
const cookies = { head: "", leader: "", staff: "", admin: "" };
const ids = { head: 0, leader: 0 };

async function counts() {
  const db = getDb();
  const n = async (table: "status_publications" | "status_publication_versions" | "status_publication_rows" | "status_publication_comments") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const audits = Number(
    (await db.selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).where("entity", "=", "status_publication").executeTakeFirstOrThrow()).n,
  );
  return {
    publications: await n("status_publications"),
    versions: await n("status_publication_versions"),
    rows: await n("status_publication_rows"),
    comments: await n("status_publication_comments"),
    audits,
    versionNumber: (await db.selectFrom("status_publications").select("version").where("month", "=", MONTH).executeTakeFirst())?.version ?? 0,
  };
}

async function liveTotals(): Promise<StatusTotals> {
  const result = await call(statusLoader, get(`/status?month=${MONTH}`, cookies.head));
  expect(statusOf(result)).toBe(200);
  return payloadOf<{ totals: StatusTotals }>(result).totals;
}

async function view(cookie: string, query = ""): Promise<PublicationView> {
  const result = await call(pageLoader, get(`/status/published/${MONTH}${query}`, cookie), { month: MONTH });
  expect(statusOf(result)).toBe(200);
  return payloadOf<PublicationView>(result);
}

function publish(fields: Record<string, string>, cookie: string, onPage = false) {
  const body = { intent: "publish", ...fields };
  return onPage
    ? call(pageAction, post(`/status/published/${MONTH}`, body, cookie), { month: MONTH })
    : call(listAction, post("/status/published", body, cookie));
}

function comment(fields: Record<string, string>, cookie: string) {
  return call(pageAction, post(`/status/published/${MONTH}`, { intent: "comment", ...fields }, cookie), { month: MONTH });
}

/** A form's refusal, or a 403/404 page (its body is the message key). */
async function refusalOf(result: unknown): Promise<{ message: string | null; fieldErrors: Record<string, string[]> }> {
  if (result instanceof Response) return { message: await result.clone().text(), fieldErrors: {} };
  return payloadOf<{ message: string | null; fieldErrors: Record<string, string[]> }>(result);
}

const NOTE = "# 三月\n\nOverdue **rose**; FX002 promised to pay.\n\n- call FX002\n- review limits";

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const admin = await makeUser("admin");
  ids.head = head.id;
  ids.leader = leader.id;
  cookies.head = await signIn(head.email);
  cookies.leader = await signIn(leader.email);
  cookies.staff = await signIn(staff.email);
  cookies.admin = await signIn(admin.email);
  await importLedgerFixture();
});

describe("publishing the monthly status table", () => {
  it("publishes, freezes the figures, lets leadership read and comment, takes a correction, and exports each version", async () => {
    const before = await liveTotals();
    const published = await publish({ month: MONTH, note: NOTE, version: "0" }, cookies.head);
    expect(statusOf(published)).toBe(302);
    expect((published as Response).headers.get("Location")).toBe(`/status/published/${MONTH}`);

    // leadership reads it: the list, then the table with the head's note and the figures of the day
    const list = payloadOf<PublicationsList>(await call(listLoader, get("/status/published", cookies.leader)));
    expect(list.publications.map((row) => [row.month, row.version, row.comments])).toEqual([[MONTH, 1, 0]]);
    expect(list.may.publish).toBe(false);
    const first = await view(cookies.leader);
    expect(first.version.note).toBe(NOTE);
    expect(first.totals).toEqual(before);
    expect(first.rows.length).toBe(before.customers);
    expect(first.may).toEqual({ publish: false, comment: true });

    // an import that changes March changes /status, not what was published
    await importIntoTestDb([
      { kind: "invoices", source: csvSource("march.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "MARCH-LATE-1,FX001,2025-03-05,2025-04-04,777.00"]) },
    ]);
    const after = await liveTotals();
    expect(after.billed).toBe(before.billed + 77_700);
    expect((await view(cookies.leader)).totals).toEqual(before);

    // leadership comments on version 1; the head hears of it
    expect(statusOf(await comment({ body: "Why did overdue rise in the East?", version: "1" }, cookies.leader))).toBe(302);
    const commented = await view(cookies.head);
    expect(commented.comments.map((row) => [row.body, row.version])).toEqual([["Why did overdue rise in the East?", 1]]);
    const told = await getDb()
      .selectFrom("notifications as n")
      .innerJoin("notification_events as e", "e.id", "n.event_id")
      .select(["n.user_id", "e.kind"])
      .where("e.kind", "in", ["status_published", "status_commented"])
      .orderBy("e.id")
      .execute();
    expect(told).toEqual([
      { user_id: ids.leader, kind: "status_published" },
      { user_id: ids.head, kind: "status_commented" },
    ]);

    // the head publishes a correction on version 1: version 2 has today's figures; version 1 stays
    expect(statusOf(await publish({ note: `${NOTE}\n\nCorrected: the late invoice.`, version: "1" }, cookies.head, true))).toBe(302);
    const second = await view(cookies.leader);
    expect(second.version.version).toBe(2);
    expect(second.totals).toEqual(after);
    expect(second.versions.map((row) => row.version)).toEqual([1, 2]);
    const old = await view(cookies.leader, "?version=1");
    expect(old.totals).toEqual(before);
    expect(old.version.note).toBe(NOTE);
    expect(old.may.comment).toBe(false);

    const audits = await getDb().selectFrom("audit_log").select(["action", "user_id"]).where("entity", "=", "status_publication").orderBy("id").execute();
    expect(audits).toEqual([
      { action: "published", user_id: ids.head },
      { action: "commented", user_id: ids.leader },
      { action: "corrected", user_id: ids.head },
    ]);

    // the XLSX of version 1: its rows as published, the totals last
    const download = await call(exportLoader, get(`/status/published/${MONTH}/export?version=1`, cookies.leader), { month: MONTH });
    expect(statusOf(download)).toBe(200);
    const response = download as Response;
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="receivables-status-${MONTH}-v1.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(1 + before.customers + 1);
    // column 8 is "billed" (code, name, owner, region, grade, limit, opening, billed)
    expect(sheet.getRow(sheet.rowCount).getCell(8).value).toBe(before.billed / 100);
  });

  it("refuses forged and bad posts with a clear answer and changes nothing", async () => {
    // a publication to correct and comment on, made here so this test stands alone
    if ((await counts()).versionNumber === 0) expect(statusOf(await publish({ month: MONTH, note: NOTE, version: "0" }, cookies.head))).toBe(302);
    const start = await counts();
    const current = String(start.versionNumber);
    const cases: [string, () => Promise<unknown>, number, string | null, string?][] = [
      ["staff publishing", () => publish({ month: "2025-02", note: NOTE, version: "0" }, cookies.staff), 403, "status.published.error.forbidden"],
      ["leader publishing", () => publish({ month: "2025-02", note: NOTE, version: "0" }, cookies.leader), 403, "status.published.error.forbidden"],
      ["leader correcting", () => publish({ note: NOTE, version: current }, cookies.leader, true), 403, "status.published.error.forbidden"],
      ["admin publishing", () => publish({ month: "2025-02", note: NOTE, version: "0" }, cookies.admin), 403, "status.published.error.forbidden"],
      ["a missing note", () => publish({ month: "2025-02", note: "  \n ", version: "0" }, cookies.head), 400, null, "note"],
      ["no note field", () => publish({ month: "2025-02", version: "0" }, cookies.head), 400, null, "note"],
      ["a month not written YYYY-MM", () => publish({ month: "March", note: NOTE, version: "0" }, cookies.head), 400, null, "month"],
      ["a month not begun", () => publish({ month: "2999-01", note: NOTE, version: "0" }, cookies.head), 400, null, "month"],
      ["no version", () => publish({ month: "2025-02", note: NOTE }, cookies.head), 400, null, "version"],
      ["a first publication of a month already published", () => publish({ month: MONTH, note: NOTE, version: "0" }, cookies.head), 409, "status.published.error.alreadyPublished"],
      ["a correction of an outdated version", () => publish({ note: NOTE, version: String(start.versionNumber - 1 || 7) }, cookies.head, true), 409, "status.published.error.conflict"],
      ["a correction of a version not yet published", () => publish({ note: NOTE, version: String(start.versionNumber + 1) }, cookies.head, true), 409, "status.published.error.conflict"],
      ["a correction of a month never published", () => call(pageAction, post("/status/published/2025-01", { intent: "publish", note: NOTE, version: "1" }, cookies.head), { month: "2025-01" }), 409, "status.published.error.conflict"],
      ["the head commenting", () => comment({ body: "Noted.", version: current }, cookies.head), 403, "status.published.error.commentForbidden"],
      ["staff commenting", () => comment({ body: "Noted.", version: current }, cookies.staff), 403, "status.published.error.commentForbidden"],
      ["an empty comment", () => comment({ body: "   ", version: current }, cookies.leader), 400, null, "body"],
      ["a comment on an outdated version", () => comment({ body: "Noted.", version: String(start.versionNumber + 1) }, cookies.leader), 409, "status.published.error.versionNotLatest"],
      ["a comment on a month never published", () => call(pageAction, post("/status/published/2025-01", { intent: "comment", body: "x", version: "1" }, cookies.leader), { month: "2025-01" }), 404, null],
      ["an unknown intent", () => call(pageAction, post(`/status/published/${MONTH}`, { intent: "delete", version: current }, cookies.head), { month: MONTH }), 400, null, "intent"],
    ];
    for (const [name, run, status, message, field] of cases) {
      const result = await run();
      expect(statusOf(result), name).toBe(status);
      if (message) expect((await refusalOf(result)).message, name).toBe(message);
      if (field) expect(Object.keys((await refusalOf(result)).fieldErrors), name).toContain(field);
      expect(await counts(), name).toEqual(start);
    }
  });

  it("shows published tables to the head and leadership only, and answers 404 for a month or version never published", async () => {
    if ((await counts()).versionNumber === 0) expect(statusOf(await publish({ month: MONTH, note: NOTE, version: "0" }, cookies.head))).toBe(302);
    for (const cookie of [cookies.staff, cookies.admin]) {
      expect(statusOf(await call(listLoader, get("/status/published", cookie)))).toBe(403);
      expect(statusOf(await call(pageLoader, get(`/status/published/${MONTH}`, cookie), { month: MONTH }))).toBe(403);
      expect(statusOf(await call(exportLoader, get(`/status/published/${MONTH}/export`, cookie), { month: MONTH }))).toBe(403);
    }
    expect(statusOf(await call(pageLoader, get("/status/published/2025-01", cookies.leader), { month: "2025-01" }))).toBe(404);
    expect(statusOf(await call(pageLoader, get(`/status/published/${MONTH}?version=99`, cookies.leader), { month: MONTH }))).toBe(404);
    expect(statusOf(await call(pageLoader, get(`/status/published/${MONTH}?version=abc`, cookies.leader), { month: MONTH }))).toBe(404);
  });
});
