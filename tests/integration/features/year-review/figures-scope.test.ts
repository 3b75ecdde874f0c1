import ExcelJS from "exceljs";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { createItem, createPlan, getPlan, transition } from "~/features/plans/plans.server";
import { itemFieldsSchema } from "~/features/plans/schema";
import { loader as reviewLoader } from "~/routes/_app.review.$fiscalYear";
import { loader as xlsxLoader } from "~/routes/_app.review.$fiscalYear.xlsx";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";

/**
 * The year review shows each KPI-linked item's baseline and result only to those who may read
 * its scope through `/api/kpis`: staff see the company's figures and their own book, and for a
 * region or another owner's book the item, what it tracks and why its figures are left out.
 */

const TODAY = "2026-02-15";
const DRAFTED = "2025-07-31";
// The Q4 plan is measured from its eve and ends on the year's last day.
const DATES = [DRAFTED, "2025-09-30", "2025-12-31"] as const;
const ids = { region: 0, otherOwner: 0, own: 0, company: 0 };
const cookies = { head: "", staff: "", leader: "" };

interface ReviewKpi {
  scope: string;
  baseline: number | null;
  result: number | null;
  hidden: boolean;
}
interface ReviewPayload {
  review: { work: { kpiItems: Array<{ id: number; title: string; kpi: ReviewKpi }> } };
}

async function overdue(scope: string, asOf: string): Promise<number> {
  return Number((await kpiValues(getDb(), resolveKpiRequest({ asOf, scope }))).values.overdue_total);
}

function carries(payload: unknown, figure: number): boolean {
  return new RegExp(`(?<![\\d.])${figure}(?![\\d.])`).test(JSON.stringify(payloadOf(payload)));
}

async function review(cookie: string) {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
  const result = await call(reviewLoader, get("/review/2025", cookie), { fiscalYear: "2025" });
  expect(statusOf(result)).toBe(200);
  return result;
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  const headActor: Actor = { id: head.id, role: "head" };
  const db = getDb();
  const planId = await createPlan(db, headActor, { fiscalYear: 2025, quarter: 4, source: "empty", language: "en" }, DRAFTED);
  const item = (kpiScope: string) =>
    createItem(
      db,
      headActor,
      planId,
      itemFieldsSchema.parse({ title: `Overdue of ${kpiScope}`, category: "collection", ownerId: String(staff.id), dueDate: "2025-11-30", kpiKey: "overdue_total", kpiScope, kpiTarget: "0" }),
      DRAFTED,
    );
  ids.region = await item("region:North");
  ids.otherOwner = await item("owner:head@demo.quarterdeck");
  ids.own = await item("owner:staff@demo.quarterdeck");
  ids.company = await item("company");
  let plan = await getPlan(db, planId);
  await transition(db, headActor, planId, plan.version, { type: "submit" }, DRAFTED);
  plan = await getPlan(db, planId);
  await transition(db, { id: leader.id, role: "leader" }, planId, plan.version, { type: "approve", comment: "" }, DRAFTED);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const HIDDEN_SCOPES = ["region:North", "owner:head@demo.quarterdeck"] as const;

describe("the year review's KPI-linked items for staff", () => {
  it("leave out a region's and another owner's baseline and result, and keep the items", async () => {
    for (const scope of HIDDEN_SCOPES) for (const date of DATES) expect(await overdue(scope, date), `${scope} ${date}`).toBeGreaterThan(0);
    const asStaff = await review(cookies.staff);
    const kpiItems = payloadOf<ReviewPayload>(asStaff).review.work.kpiItems;
    expect(kpiItems.map((entry) => entry.id).sort((a, b) => a - b)).toEqual(Object.values(ids).sort((a, b) => a - b));
    for (const id of [ids.region, ids.otherOwner]) {
      expect(kpiItems.find((entry) => entry.id === id)?.kpi).toMatchObject({ hidden: true, baseline: null, result: null });
    }
    for (const scope of HIDDEN_SCOPES) for (const date of DATES) expect(carries(asStaff, await overdue(scope, date)), `${scope} ${date}`).toBe(false);
  });

  it("show the staff member's own book and the company's", async () => {
    const kpiItems = payloadOf<ReviewPayload>(await review(cookies.staff)).review.work.kpiItems;
    for (const [id, scope] of [
      [ids.own, "owner:staff@demo.quarterdeck"],
      [ids.company, "company"],
    ] as const) {
      expect(kpiItems.find((entry) => entry.id === id)?.kpi).toMatchObject({ hidden: false, baseline: await overdue(scope, "2025-09-30"), result: await overdue(scope, "2025-12-31") });
    }
  });

  it("show every figure to the head and leadership", async () => {
    for (const cookie of [cookies.head, cookies.leader]) {
      const kpiItems = payloadOf<ReviewPayload>(await review(cookie)).review.work.kpiItems;
      for (const [id, scope] of [
        [ids.region, "region:North"],
        [ids.otherOwner, "owner:head@demo.quarterdeck"],
      ] as const) {
        expect(kpiItems.find((entry) => entry.id === id)?.kpi).toMatchObject({ hidden: false, baseline: await overdue(scope, "2025-09-30"), result: await overdue(scope, "2025-12-31") });
      }
    }
  });

  it("leave the same figures out of the staff member's XLSX export", async () => {
    vi.stubEnv("QUARTERDECK_TODAY", TODAY);
    const numbersIn = async (cookie: string) => {
      const response = await call(xlsxLoader, get("/review/2025/xlsx", cookie), { fiscalYear: "2025" });
      expect(statusOf(response)).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await (response as Response).arrayBuffer());
      const numbers = new Set<number>();
      book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === "number" && numbers.add(cell.value)))));
      return numbers;
    };
    const staffNumbers = await numbersIn(cookies.staff);
    const headNumbers = await numbersIn(cookies.head);
    for (const scope of HIDDEN_SCOPES) {
      for (const date of ["2025-09-30", "2025-12-31"]) {
        const yuan = (await overdue(scope, date)) / 100;
        expect(staffNumbers.has(yuan), `${scope} ${date}`).toBe(false);
        expect(headNumbers.has(yuan), `${scope} ${date}`).toBe(true);
      }
    }
  });
});
