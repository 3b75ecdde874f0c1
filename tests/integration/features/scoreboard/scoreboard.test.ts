import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import type { ScoreboardView } from "~/features/scoreboard/scoreboard";
import type { Actor } from "~/features/plans/lifecycle";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { createUser } from "~/features/users/index.server";
import { createItem, createPlan, getPlan, setItemStatus, transition } from "~/features/plans/plans.server";
import { loader as exportLoader } from "~/routes/_app.scoreboard.export";
import { loader as pageLoader } from "~/routes/_app.scoreboard._index";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

/** What the page loader gives, unwrapped from the 400's `data()`. */
interface PageData {
  form: { start: string; end: string };
  fieldErrors: Record<string, string[]>;
  board: ScoreboardView | null;
}
type Board = ScoreboardView;

const Q2 = { start: "2025-04-01", end: "2025-06-30" };
const HOSTILE_NAME = '=HYPERLINK("http://x","y")';
const HOSTILE_EMAIL = "hostile@example.test";
const cookies = { head: "", staff: "", leader: "", admin: "" };
const actors: Record<"head" | "staff" | "leader", Actor> = { head: { id: 0, role: "head" }, staff: { id: 0, role: "staff" }, leader: { id: 0, role: "leader" } };

function itemFields(ownerId: number, dueDate: string, title: string) {
  return itemFieldsSchema.parse({ title, category: "collection", ownerId: String(ownerId), dueDate });
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  actors.head.id = head.id;
  actors.staff.id = staff.id;
  actors.leader.id = leader.id;
  await createUser(getDb(), { email: HOSTILE_EMAIL, name: HOSTILE_NAME, role: "staff", passwordHash: null }, null);
  await importLedgerFixture();
  // One customer of an owner whose name would be a formula, one more without an owner; both pay in Q2.
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("extra-customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit",
        `EVIL-1,"=HYPERLINK(""http://x"",""z"")",East,${HOSTILE_EMAIL},C,1000`,
        "LOOSE-1,Loose Ends Ltd,North,,C,1000",
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("extra-invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        "EVIL-INV-1,EVIL-1,2025-02-01,2025-03-01,800.00",
        "LOOSE-INV-1,LOOSE-1,2025-02-10,2025-03-10,2500.00",
        "LOOSE-INV-2,LOOSE-1,2025-05-01,2025-05-31,400.00",
      ]),
    },
    {
      kind: "payments",
      source: csvSource("extra-payments.csv", [
        "payment_no,customer_code,date,amount,invoice_no",
        "EVIL-PAY-1,EVIL-1,2025-04-15,300.00,EVIL-INV-1",
        "LOOSE-PAY-1,LOOSE-1,2025-06-01,1234.56,",
      ]),
    },
  ]);

  // Q2 2025 plan, approved: staff's items done early, late, not done, cancelled; the head's on the due date.
  const db = getDb();
  const planId = await createPlan(db, actors.head, { fiscalYear: 2025, quarter: 2, source: "empty", language: "en" }, "2025-04-01");
  const early = await createItem(db, actors.head, planId, itemFields(staff.id, "2025-05-15", "Early"), "2025-04-01");
  const late = await createItem(db, actors.head, planId, itemFields(staff.id, "2025-05-31", "Late"), "2025-04-01");
  await createItem(db, actors.head, planId, itemFields(staff.id, "2025-06-30", "Not done"), "2025-04-01");
  const cancelled = await createItem(db, actors.head, planId, itemFields(staff.id, "2025-06-01", "Cancelled"), "2025-04-01");
  const onTheDay = await createItem(db, actors.head, planId, itemFields(head.id, "2025-06-15", "On the day"), "2025-04-01");
  await createItem(db, actors.head, planId, itemFields(head.id, "2025-07-10", "After the period"), "2025-04-01");
  let plan = await getPlan(db, planId);
  plan = await transition(db, actors.head, planId, plan.version, { type: "submit" }, "2025-04-02");
  await transition(db, actors.leader, planId, plan.version, { type: "approve" }, "2025-04-02");
  const tick = async (actor: Actor, itemId: number, status: "done" | "cancelled", day: string) => {
    const item = (await getPlan(db, planId)).items.find((candidate) => candidate.id === itemId)!;
    await setItemStatus(db, actor, itemId, item.version, { status, reason: "", note: "" }, day);
  };
  await tick(actors.staff, early, "done", "2025-05-10");
  await tick(actors.staff, late, "done", "2025-06-05");
  await tick(actors.head, cancelled, "cancelled", "2025-05-01");
  await tick(actors.head, onTheDay, "done", "2025-06-15");
  // A draft plan's item due in Q2 is a proposal, not agreed work: not counted.
  const draftId = await createPlan(db, actors.head, { fiscalYear: 2025, quarter: 1, source: "empty", language: "en" }, "2025-01-02");
  await createItem(db, actors.head, draftId, itemFields(staff.id, "2025-04-10", "Draft"), "2025-01-02");

  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

async function board(query: string, cookie = cookies.head): Promise<Board> {
  const result = await call(pageLoader, get(`/scoreboard?${query}`, cookie));
  expect(statusOf(result)).toBe(200);
  const loaded = payloadOf<PageData>(result);
  expect(loaded.board).not.toBeNull();
  return loaded.board!;
}

async function kpis(asOf: string, scope: string, periodStart?: string) {
  return (await kpiValues(getDb(), resolveKpiRequest({ asOf, scope, periodStart }))).values;
}

describe("the owner scoreboard", () => {
  it("gives each owner the KPI service's collected and overdue at both ends of the period", async () => {
    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    expect(q2.rows.map((row) => row.email).sort()).toEqual(["head@demo.quarterdeck", HOSTILE_EMAIL, "staff@demo.quarterdeck"].sort());
    for (const row of q2.rows) {
      const end = await kpis(Q2.end, `owner:${row.email}`, Q2.start);
      const start = await kpis(addDays(Q2.start, -1), `owner:${row.email}`);
      expect(row.figures).toEqual({ collected: end.collected, overdueAtStart: start.overdue_total, overdueAtEnd: end.overdue_total });
      expect(row.overdueChange.amount).toBe(end.overdue_total - start.overdue_total);
    }
    const staff = q2.rows.find((row) => row.email === "staff@demo.quarterdeck")!;
    expect(staff.figures.collected).toBe(1_200_000); // FX-PAY-1001, -1002 and -3001: 4,000 + 7,000 + 1,000
    expect(staff.customers).toBe(2);
  });

  it("adds a line for the customers without an owner, so the totals are the company's KPIs to the cent", async () => {
    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const company = await kpis(Q2.end, "company", Q2.start);
    const companyAtStart = await kpis(addDays(Q2.start, -1), "company");
    expect(q2.totals.figures).toEqual({ collected: company.collected, overdueAtStart: companyAtStart.overdue_total, overdueAtEnd: company.overdue_total });
    const sum = (pick: (f: Board["totals"]["figures"]) => number) => q2.rows.reduce((s, row) => s + pick(row.figures), 0) + pick(q2.unowned!.figures);
    expect(sum((f) => f.collected)).toBe(company.collected);
    expect(sum((f) => f.overdueAtStart)).toBe(companyAtStart.overdue_total);
    expect(sum((f) => f.overdueAtEnd)).toBe(company.overdue_total);
    // and the unowned line is what the unowned customers' own KPIs say (FX006 and LOOSE-1)
    const unowned = await Promise.all(["FX006", "LOOSE-1"].map((code) => kpis(Q2.end, `customer:${code}`, Q2.start)));
    const unownedAtStart = await Promise.all(["FX006", "LOOSE-1"].map((code) => kpis(addDays(Q2.start, -1), `customer:${code}`)));
    expect(q2.unowned!.figures).toEqual({
      collected: unowned.reduce((s, v) => s + v.collected, 0),
      overdueAtStart: unownedAtStart.reduce((s, v) => s + v.overdue_total, 0),
      overdueAtEnd: unowned.reduce((s, v) => s + v.overdue_total, 0),
    });
    expect(q2.unowned!.figures.collected).toBe(123_456);
  });

  it("counts agreed plan items due in the period and those done on or before their due date", async () => {
    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const items = Object.fromEntries(q2.rows.map((row) => [row.email, row.items]));
    // staff: early (on time), late, not done; cancelled and the draft plan's item left out
    expect(items["staff@demo.quarterdeck"]).toEqual({ due: 3, onTime: 1 });
    // head: done on the due date; the item due in July is outside the period
    expect(items["head@demo.quarterdeck"]).toEqual({ due: 1, onTime: 1 });
    expect(q2.totals.items).toEqual({ due: 4, onTime: 2 });
    const july = await board("start=2025-07-01&end=2025-07-31");
    expect(july.rows.find((row) => row.email === "head@demo.quarterdeck")!.items).toEqual({ due: 1, onTime: 0 });
  });

  it("ranks by the overdue change as a share of the start, then collected, then items on time", async () => {
    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const ranked = q2.rows.filter((row) => row.rank !== null);
    expect(ranked.length).toBeGreaterThan(1);
    expect(ranked[0]?.rank).toBe(1);
    // competition ranking: each rank is the one before (a tie) or its position
    for (let i = 1; i < ranked.length; i += 1) expect([ranked[i - 1]?.rank, i + 1]).toContain(ranked[i]?.rank);
    const key = (row: Board["rows"][number]) =>
      row.overdueChange.ratio ?? (row.overdueChange.amount > 0 ? Number.POSITIVE_INFINITY : 0);
    const keys = ranked.map(key);
    expect(keys).toEqual([...keys].sort((x, y) => (x === y ? 0 : x - y)));
    expect(q2.rankedCount).toBe(ranked.length);
  });

  it("opens on this fiscal quarter to date and takes the quick picks", async () => {
    const loaded = payloadOf<PageData>(await call(pageLoader, get("/scoreboard", cookies.head)));
    expect(loaded.board!.period.end >= loaded.board!.period.start).toBe(true);
    const lastYear = payloadOf<PageData>(await call(pageLoader, get("/scoreboard?preset=lastYear", cookies.head)));
    expect(lastYear.board!.period.end.slice(5)).toBe("12-31");
    expect(lastYear.form).toEqual(lastYear.board!.period);
  });

  it.each([
    ["start=2025-02-30&end=2025-03-31", { start: ["scoreboard.errors.badStart"] }],
    ["start=2025-04-01&end=2025-03-31", { end: ["scoreboard.errors.startAfterEnd"] }],
    ["start=2025-04-01", { end: ["scoreboard.errors.badEnd"] }],
    ["start=yesterday&end=2025-13-01", { start: ["scoreboard.errors.badStart"], end: ["scoreboard.errors.badEnd"] }],
    ["preset=someday", { preset: ["scoreboard.errors.badPreset"] }],
  ])("answers a bad period (%s) with 400 and the reason on the page", async (query, errors) => {
    const result = await call(pageLoader, get(`/scoreboard?${query}`, cookies.head));
    expect(statusOf(result)).toBe(400);
    const loaded = payloadOf<PageData>(result);
    expect(loaded.board).toBeNull();
    expect(loaded.fieldErrors).toEqual(errors);
    const exported = await call(exportLoader, get(`/scoreboard/export?format=csv&${query}`, cookies.head));
    expect(statusOf(exported)).toBe(400);
  });

  it("shows leadership everyone, staff their own row with their rank, and refuses the administrator", async () => {
    const head = await board(`start=${Q2.start}&end=${Q2.end}`);
    const leader = await board(`start=${Q2.start}&end=${Q2.end}`, cookies.leader);
    expect(leader.rows).toEqual(head.rows);
    const staff = await board(`start=${Q2.start}&end=${Q2.end}`, cookies.staff);
    expect(staff.rows.map((row) => row.email)).toEqual(["staff@demo.quarterdeck"]);
    expect(staff.rows[0]).toEqual(head.rows.find((row) => row.email === "staff@demo.quarterdeck"));
    expect(staff.rankedCount).toBe(head.rankedCount);
    expect(staff.unowned).toBeNull();
    expect(staff.totals).toEqual(head.totals);
    for (const loader of [pageLoader, exportLoader]) {
      expect(statusOf(await call(loader, get(`/scoreboard?start=${Q2.start}&end=${Q2.end}&format=csv`, cookies.admin)))).toBe(403);
      const anonymous = await call(loader, get(`/scoreboard?format=csv`));
      expect(statusOf(anonymous)).toBe(302);
    }
  });
});

describe("the scoreboard export", () => {
  it("CSV: UTF-8 with a BOM, amounts as plain numbers, formula-like names neutralised, totals last", async () => {
    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const response = (await call(exportLoader, get(`/scoreboard/export?format=csv&start=${Q2.start}&end=${Q2.end}`, cookies.head))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="owner-scoreboard-2025-04-01-to-2025-06-30.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trimEnd().split("\r\n");
    expect(lines[0]).toBe("Rank,Owner,Email,Customers,Collected,Overdue at start,Overdue at end,Overdue change,Overdue change %,Items due,Done on time");
    expect(lines).toHaveLength(1 + q2.rows.length + 2);
    expect(lines.some((line) => line.includes(`"'=HYPERLINK(""http://x"",""y"")"`))).toBe(true);
    expect(lines.some((line) => /(^|,)=/.test(line))).toBe(false);
    const staffLine = lines.find((line) => line.includes("staff@demo.quarterdeck"))!.split(",");
    expect(staffLine[4]).toBe("12000.00");
    expect(lines[lines.length - 2]?.startsWith(",Customers without an owner,,,1234.56,")).toBe(true);
    const totals = (lines[lines.length - 1] ?? "").split(",");
    expect(totals[1]).toBe("Whole company");
    expect(Math.round(Number(totals[4]) * 100)).toBe(q2.totals.figures.collected);
  });

  it("XLSX: numeric cells with number formats, the owner's formula-like name as text", async () => {
    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const response = (await call(exportLoader, get(`/scoreboard/export?format=xlsx&start=${Q2.start}&end=${Q2.end}`, cookies.head))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toContain("owner-scoreboard-2025-04-01-to-2025-06-30.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error("the workbook has no sheet");
    expect(sheet.name).toBe("2025-04-01 to 2025-06-30");
    expect(sheet.getRow(1).getCell(5).value).toBe("Collected");
    const rows = q2.rows.length + 2;
    for (let r = 2; r <= rows + 1; r += 1) {
      const cell = sheet.getRow(r).getCell(5);
      expect(typeof cell.value).toBe("number");
      expect(cell.numFmt).toBe("#,##0.00;-#,##0.00");
    }
    const owners = Array.from({ length: q2.rows.length }, (_, i) => sheet.getRow(i + 2).getCell(2).value);
    expect(owners).toContain(`'${HOSTILE_NAME}`);
    const staffRow = q2.rows.findIndex((row) => row.email === "staff@demo.quarterdeck") + 2;
    expect(sheet.getRow(staffRow).getCell(5).value).toBe(12000);
    const ratio = sheet.getRow(staffRow).getCell(9);
    expect(ratio.numFmt).toBe("0.00%");
    const totalsRow = sheet.getRow(rows + 1);
    expect(totalsRow.getCell(2).value).toBe("Whole company");
    expect(Math.round((totalsRow.getCell(5).value as number) * 100)).toBe(q2.totals.figures.collected);
  });

  it("staff export only their own row and the company's totals", async () => {
    const response = (await call(exportLoader, get(`/scoreboard/export?format=csv&start=${Q2.start}&end=${Q2.end}`, cookies.staff))) as Response;
    const lines = (await response.text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("staff@demo.quarterdeck");
    expect(lines[2]).toContain("Whole company");
    expect(statusOf(await call(exportLoader, get(`/scoreboard/export?format=pdf&start=${Q2.start}&end=${Q2.end}`, cookies.staff)))).toBe(400);
  });
});

describe("owners an import added (inactive placeholders)", () => {
  it("lists a placeholder whose customers moved in the period unranked, and leaves off one with nothing", async () => {
    // Two customers whose owner emails no user has: the import adds each owner as an inactive user.
    await importIntoTestDb([
      {
        kind: "customers",
        source: csvSource("placeholder-customers.csv", [
          "code,name,region,owner_email,credit_grade,credit_limit",
          "GHOST-1,Ghost Trading,East,ghost.owner@erp.example,A,100000",
          "QUIET-1,Quiet Trading,East,quiet.owner@erp.example,A,100000",
        ]),
      },
      {
        kind: "invoices",
        source: csvSource("placeholder-invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", "GHOST-INV-1,GHOST-1,2025-03-01,2025-03-15,9000.00"]),
      },
      {
        kind: "payments",
        source: csvSource("placeholder-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "GHOST-PAY-1,GHOST-1,2025-05-20,9000.00,GHOST-INV-1"]),
      },
    ]);
    const placeholders = await getDb().selectFrom("users").select(["email", "active"]).where("email", "like", "%@erp.example").orderBy("email").execute();
    expect(placeholders).toEqual([
      { email: "ghost.owner@erp.example", active: 0 },
      { email: "quiet.owner@erp.example", active: 0 },
    ]);

    const q2 = await board(`start=${Q2.start}&end=${Q2.end}`);
    const ghost = q2.rows.find((row) => row.email === "ghost.owner@erp.example");
    // Its overdue fell to nothing and it collected the most: it would rank first if ranked.
    expect(ghost).toMatchObject({ active: false, rank: null, customers: 1, figures: { collected: 900_000, overdueAtStart: 900_000, overdueAtEnd: 0 } });
    expect(q2.rows.some((row) => row.email === "quiet.owner@erp.example")).toBe(false);
    expect(q2.rows.filter((row) => row.rank !== null).every((row) => row.active)).toBe(true);
    expect(q2.rankedCount).toBe(q2.rows.filter((row) => row.rank !== null).length);
    // the money still adds up: owners plus unowned customers are the company
    const sum = q2.rows.reduce((s, row) => s + row.figures.collected, 0) + q2.unowned!.figures.collected;
    expect(sum).toBe(q2.totals.figures.collected);
  });
});
