import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import type { ScoreboardView } from "~/features/scoreboard/scoreboard";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { loader as exportLoader } from "~/routes/_app.scoreboard.export";
import { loader as pageLoader } from "~/routes/_app.scoreboard._index";
import { call, get, payloadOf, statusOf } from "../../../support/app";
import { HOSTILE_EMAIL, HOSTILE_NAME, type PageData, Q2, board, cookies, scoreboardLedger } from "../../../support/scoreboard";

type Board = ScoreboardView;

beforeAll(scoreboardLedger);

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
    expect(lines[0]).toBe("Rank,Owner,Email,Customers,Collected,Overdue at start,Overdue at end,Overdue change,Overdue change %,Items due,Done on time,Points,Rank by points,Scoring warning");
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
