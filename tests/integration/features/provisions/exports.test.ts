import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { computeProvision } from "~/features/provisions/index.server";
import { resolveProvisionRequest } from "~/features/provisions";
import { bandBalances, customerBandBalances } from "~/features/provisions/queries/balances.server";
import { applyPpm } from "~/features/provisions/ladder";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.provisions._index";
import { action as runAction } from "~/routes/_app.provisions.runs.$id";
import { loader as exportLoader } from "~/routes/_app.provisions.export";
import { loader as reviewLoader } from "~/routes/_app.review.$fiscalYear";
import { call, get, headersOf, makeUser, payloadOf, post, signIn, signedInAs, statusOf } from "../../../support/app";
import { databaseState } from "../../../support/database-state";
import { NEEQ_AS_OF, importProvisionLedger } from "../../../support/provision-ledger";

const owners = { a: "export.owner.a@example.test", b: "export.owner.b@example.test" };
let head: string;
let leader: string;
let staff: string;

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importProvisionLedger(owners);
  head = (await signedInAs("head")).cookie;
  leader = (await signedInAs("leader")).cookie;
  staff = await signIn(owners.a);
  // DOUBT provided for by name: it leaves the bands and keeps its own provision
  const named = {
    intent: "specific",
    id: "",
    customerCode: "DOUBT",
    effectiveFrom: "2024-01-01",
    kind: "percent",
    value: "60",
    reason: "litigation",
    evidence: "Court filing of March",
    actionIds: "",
    version: "0",
  };
  expect(payloadOf(await call(pageAction, post("/provisions", named, head)))).toEqual({ ok: true });
});

const download = async (query: string, cookie: string) => {
  const response = (await call(exportLoader, get(`/provisions/export?${query}`, cookie))) as Response;
  return { status: response.status, type: response.headers.get("Content-Type") ?? "", text: response.status === 200 ? await response.text() : "" };
};
/** A CSV's lines as cells (the writer quotes only where needed; these cells hold no commas). */
const lines = (csv: string) => csv.replace(/^\uFEFF/, "").trim().split(/\r?\n/).map((line) => line.split(","));
const minor = (cell: string | undefined) => Math.round(Number(cell) * 100);

describe("per-customer band balances, one grouped read", () => {
  it.each([
    [NEEQ_AS_OF, "issue"],
    [NEEQ_AS_OF, "due"],
    ["2024-06-15", "issue"],
    ["2023-12-31", "due"],
  ] as const)("equal each customer's own balances as of %s by %s date", async (asOf, basis) => {
    const db = getDb();
    const query = { asOf, basis, upperDays: [365, 730, 1095, 1460, 1825], kind: "open", excludeIds: [] } as const;
    const grouped = await customerBandBalances(db, { ...query, customerIds: null });
    const customers = await db.selectFrom("customers").select(["id", "code"]).execute();
    expect(customers.length).toBeGreaterThan(3);
    let nonZero = 0;
    for (const customer of customers) {
      const alone = (await bandBalances(db, { ...query, customerIds: [customer.id] })).balances;
      const row = grouped.get(customer.id) ?? alone.map(() => 0);
      expect(row, customer.code).toEqual(alone);
      if (alone.some((amount) => amount !== 0)) nonZero++;
    }
    expect(nonZero).toBeGreaterThan(1);
  });
});

describe("the schedule by customer", () => {
  it("lists each customer's balances by band and provision, named customers with their reason; the totals equal the page's ladder", async () => {
    const { status, type, text } = await download(`table=customers&format=csv&asOf=${NEEQ_AS_OF}`, head);
    expect(status).toBe(200);
    expect(type).toMatch(/text\/csv/);
    const rows = lines(text);
    const ladder = await computeProvision(getDb(), resolveProvisionRequest({ asOf: NEEQ_AS_OF, method: "ladder" }));
    const header = rows[0] ?? [];
    expect(header[0]).toBe("Customer");
    expect(header).toContain("0–365");
    const total = rows.find((row) => row[0] === "Total provision");
    const provisionColumn = header.indexOf("Provision");
    expect(minor(total?.[provisionColumn])).toBe(ladder.total);
    expect(minor(total?.[header.indexOf("Balance")])).toBe(ladder.grossReceivables);
    const neeq = rows.find((row) => row[0]?.startsWith("NEEQ "));
    // the published table: 1,818,100.42
    expect(minor(neeq?.[provisionColumn])).toBe(181_810_042);
    const doubt = rows.find((row) => row[0]?.startsWith("DOUBT "));
    expect(doubt?.at(-1)).toBe("Litigation");
    const xlsx = await download(`table=customers&format=xlsx&asOf=${NEEQ_AS_OF}`, head);
    expect(xlsx.type).toMatch(/spreadsheetml/);
  });

  it("gives staff their own customers only", async () => {
    const { status, text } = await download(`table=customers&format=csv&asOf=${NEEQ_AS_OF}`, staff);
    expect(status).toBe(200);
    const codes = lines(text).slice(1).map((row) => row[0]?.split(" ")[0]);
    expect(codes).toContain("NEEQ");
    // DOUBT is the other owner's
    expect(codes).not.toContain("DOUBT");
  });

  it("refuses an unknown table or format with 400", async () => {
    expect((await download(`table=everything&format=csv`, head)).status).toBe(400);
    expect((await download(`table=customers&format=pdf`, head)).status).toBe(400);
    expect((await download(`table=movement&format=csv&kind=decade`, head)).status).toBe(400);
  });
});

describe("the movement table", () => {
  it("lists the runs oldest first with opening, charge, reversal, written off and closing, each adding up; by period kind on request", async () => {
    const draft = async (periodEnd: string, kind: string) => {
      const result = await call(pageAction, post("/provisions", { intent: "draft-run", version: "0", periodEnd, kind }, head));
      expect(statusOf(result)).toBe(302);
      return Number(/\/provisions\/runs\/(\d+)$/.exec(headersOf(result).get("Location") ?? "")?.[1]);
    };
    const approve = async (id: number) =>
      expect(payloadOf(await call(runAction, post(`/provisions/runs/${id}`, { intent: "approve-run", id: String(id), version: "1" }, leader), { id: String(id) }))).toEqual({
        ok: true,
        intent: "approve-run",
      });
    await approve(await draft("2024-12-31", "year"));
    await approve(await draft("2025-06-30", "quarter"));
    await draft("2025-12-31", "year");

    const { status, text } = await download("table=movement&format=csv", head);
    expect(status).toBe(200);
    const rows = lines(text);
    expect(rows[0]).toEqual(["Period end", "Period", "Status", "Opening (previous closing)", "Charge", "Reversal", "Written off (the ledger's write-offs)", "Closing"]);
    const body = rows.slice(1);
    expect(body.map((row) => row.slice(0, 3))).toEqual([
      ["2024-12-31", "Year end", "Approved"],
      ["2025-06-30", "Quarter end", "Approved"],
      ["2025-12-31", "Year end", "Draft"],
    ]);
    for (const row of body) {
      const [opening, charge, reversal, writtenOff, closing] = row.slice(3).map(minor);
      expect(opening! + charge! - reversal! - writtenOff!).toBe(closing);
    }
    // each opening is the closing of the run approved before
    expect(body[1]?.[3]).toBe(body[0]?.[7]);
    expect(body[2]?.[3]).toBe(body[1]?.[7]);
    const years = lines((await download("table=movement&format=csv&kind=year", head)).text).slice(1);
    expect(years.map((row) => row[0])).toEqual(["2024-12-31", "2025-12-31"]);

    // the runs list by period kind
    const listed = payloadOf<{ runs: { periodEnd: string }[]; runsPeriod: string | null }>(await call(pageLoader, get("/provisions?period=quarter", head)));
    expect(listed.runsPeriod).toBe("quarter");
    expect(listed.runs.map((run) => run.periodEnd)).toEqual(["2025-06-30"]);
    const all = payloadOf<{ runs: { periodEnd: string }[] }>(await call(pageLoader, get("/provisions?period=", head)));
    expect(all.runs.map((run) => run.periodEnd)).toEqual(["2025-12-31", "2025-06-30", "2024-12-31"]);

    // the year review's movement: 2025's approved runs only (the year end is still a draft)
    type Review = { provisionMovement: { movement: Record<string, number>; runs: { periodEnd: string }[] } | null };
    const review = payloadOf<Review>(await call(reviewLoader, get("/review/2025", head), { fiscalYear: "2025" }));
    expect(review.provisionMovement?.runs.map((run) => run.periodEnd)).toEqual(["2025-06-30"]);
    const [opening, charge, reversal, writtenOff, closing] = body[1]!.slice(3).map(minor);
    expect(review.provisionMovement?.movement).toEqual({ opening, charge, reversal, writtenOff, closing });
    const staffReview = payloadOf<Review>(await call(reviewLoader, get("/review/2025", staff), { fiscalYear: "2025" }));
    expect(staffReview.provisionMovement).toBeNull();
  });

  it("is refused to staff (runs name every customer), changing nothing", async () => {
    const state = await databaseState();
    expect((await download("table=movement&format=csv", staff)).status).toBe(403);
    expect(await databaseState()).toEqual(state);
  });
});

describe("the schedules agree with the page to the cent", () => {
  it("by customer, the rows add up to the total row, which is the page's and the by-band export's total; rates are written as the page shows them", async () => {
    const asOf = "2026-07-31";
    // rates whose per-customer rounding drifts from the bands' (the walk-through's 11,435,260.23 against .21)
    const rates = [4.9999, 9.9997, 19.9993, 49.9989, 79.9987, 100];
    const table = { intent: "rate-table", effectiveFrom: "2026-07-01", basis: "issue", bands: "365,730,1095,1460,1825", rates: rates.join(","), note: "odd", version: "0" };
    expect(payloadOf(await call(pageAction, post("/provisions", table, head)))).toEqual({ ok: true });
    const page = payloadOf<{ ladder: { total: number; grossReceivables: number; specific: { customerId: number; provision: number }[] } }>(
      await call(pageLoader, get(`/provisions?asOf=${asOf}`, head)),
    );

    // rounding each customer on its own would not give the page's total: the case is a real one
    const ppm = rates.map((rate) => Math.round(rate * 10_000));
    const byCustomer = await customerBandBalances(getDb(), {
      asOf,
      basis: "issue",
      upperDays: [365, 730, 1095, 1460, 1825],
      kind: "open",
      customerIds: null,
      excludeIds: page.ladder.specific.map((entry) => entry.customerId),
    });
    const naive = [...byCustomer.values()].reduce((sum, balances) => sum + balances.reduce((part, balance, band) => part + applyPpm(balance, ppm[band] ?? 0), 0), 0);
    const specific = page.ladder.specific.reduce((sum, entry) => sum + entry.provision, 0);
    expect(naive + specific).not.toBe(page.ladder.total);

    const customers = lines((await download(`table=customers&format=csv&asOf=${asOf}`, head)).text);
    const header = customers[0] ?? [];
    const provision = header.indexOf("Provision");
    const body = customers.slice(1, -1);
    const total = customers.at(-1) ?? [];
    expect(total[0]).toBe("Total provision");
    expect(body.reduce((sum, row) => sum + minor(row[provision]), 0)).toBe(minor(total[provision]));
    expect(minor(total[provision])).toBe(page.ladder.total);
    expect(minor(total[header.indexOf("Balance")])).toBe(page.ladder.grossReceivables);

    const bands = lines((await download(`table=bands&format=csv&asOf=${asOf}`, head)).text);
    const bandTotal = defined(bands.find((row) => row[0] === "Total provision"));
    expect(minor(bandTotal[3])).toBe(page.ladder.total);
    // rates and loss rates as fractions of 4 decimals (the page's percentages to 2), never 0.04579180475835994
    const rateCells = bands.slice(1).flatMap((row) => [row[2], row[4]]).filter((cell): cell is string => cell !== undefined && cell !== "");
    expect(rateCells.length).toBeGreaterThan(6);
    for (const cell of rateCells) expect(cell).toMatch(/^-?\d+(\.\d{1,4})?$/);
    expect(bands[1]?.[2]).toBe("0.05");
  });
});

function defined<T>(value: T | undefined): T {
  expect(value).toBeDefined();
  return value as T;
}
