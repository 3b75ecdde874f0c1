import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addMonths, monthEnd, monthStart } from "~/kernel/dates";
import { computeProvision } from "~/features/provisions/index.server";
import { resolveProvisionRequest } from "~/features/provisions";
import { movementAddsUp } from "~/features/provisions/movement";
import { action as pageAction, loader as pageLoader } from "~/routes/_app.provisions._index";
import { action, loader } from "~/routes/_app.provisions.runs.$id";
import { call, get, headersOf, makeUser, payloadOf, post, signIn, signedInAs, statusOf } from "../../../support/app";
import { databaseState } from "../../../support/database-state";
import { importProvisionLedger } from "../../../support/provision-ledger";

const owners = { a: "runs.owner.a@example.test", b: "runs.owner.b@example.test" };
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
});

const draft = (fields: Record<string, string>, cookie: string) => call(pageAction, post("/provisions", { intent: "draft-run", version: "0", ...fields }, cookie));
const approve = (id: number, fields: Record<string, string>, cookie: string) =>
  call(action, post(`/provisions/runs/${id}`, { intent: "approve-run", id: String(id), ...fields }, cookie), { id: String(id) });
const runPage = (id: number, cookie: string) => call(loader, get(`/provisions/runs/${id}`, cookie), { id: String(id) });
const runAt = (periodEnd: string) => getDb().selectFrom("provision_runs").selectAll().where("period_end", "=", periodEnd).executeTakeFirstOrThrow();
const audits = async () => getDb().selectFrom("audit_log").select(["action", "entity_id"]).where("entity", "=", "provision_run").orderBy("id").execute();
const idOf = (result: unknown) => Number(/\/provisions\/runs\/(\d+)$/.exec(headersOf(result).get("Location") ?? "")?.[1]);

type RunPage = {
  run: { status: string; version: number; ladderTotal: number; matrixTotal: number; difference: number };
  movement: { opening: number; charge: number; reversal: number; writtenOff: number; closing: number };
  check: { applies: boolean; flags: { code: string }[] };
  figures: { customers: { code: string; provision: number }[]; specific: unknown[] };
};

describe("provision runs", () => {
  it("refuses drafts by staff and leaders, and dates that end no period, changing nothing", async () => {
    const state = await databaseState();
    expect(statusOf(await draft({ periodEnd: "2024-12-31", kind: "year" }, staff))).toBe(403);
    expect(statusOf(await draft({ periodEnd: "2024-12-31", kind: "year" }, leader))).toBe(403);
    const notEnd = await draft({ periodEnd: "2024-12-30", kind: "month" }, head);
    expect(statusOf(notEnd)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(notEnd).fieldErrors.periodEnd).toEqual(["provisions.runs.notPeriodEnd"]);
    expect(statusOf(await draft({ periodEnd: "2024-11-30", kind: "quarter" }, head))).toBe(400);
    expect(statusOf(await draft({ periodEnd: "2024-11-30", kind: "decade" }, head))).toBe(400);
    expect(await databaseState()).toEqual(state);
  });

  it("refuses a period that has not begun (a typo like 2999), and lets the period in progress be drafted", async () => {
    const state = await databaseState();
    const far = await draft({ periodEnd: "2999-12-31", kind: "year" }, head);
    expect(statusOf(far)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(far).fieldErrors.periodEnd).toEqual(["provisions.runs.future"]);
    // the month after the one in progress
    const nextMonthEnd = monthEnd(addMonths(monthStart(today()), 1));
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(await draft({ periodEnd: nextMonthEnd, kind: "month" }, head)).fieldErrors.periodEnd).toEqual(["provisions.runs.future"]);
    expect(await databaseState()).toEqual(state);
  });

  it("the head drafts a year end: the ladder and matrix totals, by band and by customer, stored; a leader approves it, audited; then it is frozen", async () => {
    const db = getDb();
    const drafted = await draft({ periodEnd: "2024-12-31", kind: "year" }, head);
    expect(statusOf(drafted)).toBe(302);
    const id = idOf(drafted);
    const expected = await computeProvision(db, resolveProvisionRequest({ asOf: "2024-12-31", method: "ladder" }));
    const matrix = await computeProvision(db, resolveProvisionRequest({ asOf: "2024-12-31", method: "matrix" }));
    const page = payloadOf<RunPage>(await runPage(id, leader));
    expect(page.run).toMatchObject({ status: "draft", version: 1, ladderTotal: expected.total, matrixTotal: matrix.total, difference: matrix.total - expected.total });
    // by customer adds up to the grouped part
    const grouped = expected.bands.reduce((sum, band) => sum + band.provision, 0);
    expect(page.figures.customers.reduce((sum, customer) => sum + customer.provision, 0)).toBeGreaterThan(0);
    // to the cent: each customer has its share of the bands' rounded provisions
    expect(page.figures.customers.reduce((sum, customer) => sum + customer.provision, 0)).toBe(grouped);
    // first run: opening 0, write-offs of 2024
    const writeOffs = await db.selectFrom("adjustments").select("amount").where("type", "=", "write_off").where("date", ">=", "2024-01-01").where("date", "<=", "2024-12-31").execute();
    expect(page.movement).toMatchObject({ opening: 0, writtenOff: writeOffs.reduce((sum, row) => sum + Number(row.amount), 0), closing: expected.total });
    expect(movementAddsUp(page.movement)).toBe(true);
    expect(page.check.applies).toBe(false);

    expect(statusOf(await approve(id, { version: "1" }, head))).toBe(403);
    expect(statusOf(await approve(id, { version: "1" }, staff))).toBe(403);
    expect((await runAt("2024-12-31")).status).toBe("draft");
    expect(payloadOf(await approve(id, { version: "1" }, leader))).toEqual({ ok: true, intent: "approve-run" });
    const stored = await runAt("2024-12-31");
    expect(stored).toMatchObject({ status: "approved", version: 2 });
    // no approved year end before it: the check did not apply, and the approved page says so
    expect(payloadOf<RunPage>(await runPage(id, leader)).check).toMatchObject({ applies: false, flags: [] });
    expect(await audits()).toEqual([
      { action: "draft", entity_id: String(id) },
      { action: "approve", entity_id: String(id) },
    ]);

    // frozen: a new draft of the period is refused, approving again too, and nothing moves
    const state = await databaseState();
    expect(statusOf(await draft({ periodEnd: "2024-12-31", kind: "year" }, head))).toBe(409);
    expect(statusOf(await draft({ periodEnd: "2024-12-31", kind: "year", version: "2" }, head))).toBe(409);
    expect(statusOf(await approve(id, { version: "2" }, leader))).toBe(409);
    expect(await databaseState()).toEqual(state);
    // a later change to the rate table does not change the approved run's figures
    await db.insertInto("provision_rate_tables").values({ effective_from: "2024-01-01", basis: "issue", upper_days: "365", rates_ppm: "900000,1000000", note: "", updated_at: "2026-01-01T00:00:00Z" }).execute();
    expect(payloadOf<RunPage>(await runPage(id, head)).run.ladderTotal).toBe(expected.total);
    await db.deleteFrom("provision_rate_tables").execute();
  });

  it("a later run's movement starts from the approved closing; a stale approval is refused (409) and changes nothing", async () => {
    const db = getDb();
    const id = idOf(await draft({ periodEnd: "2025-12-31", kind: "year" }, head));
    const previous = await runAt("2024-12-31");
    // the head recomputes the draft while the leader still has version 1 open
    expect(statusOf(await call(action, post(`/provisions/runs/${id}`, { intent: "draft-run", periodEnd: "2025-12-31", kind: "year", version: "1" }, head), { id: String(id) }))).toBe(200);
    const state = await databaseState();
    expect(statusOf(await approve(id, { version: "1", seen: "on" }, leader))).toBe(409);
    expect(await databaseState()).toEqual(state);

    const page = payloadOf<RunPage>(await runPage(id, leader));
    const writeOffs = await db.selectFrom("adjustments").select("amount").where("type", "=", "write_off").where("date", ">", "2024-12-31").where("date", "<=", "2025-12-31").execute();
    expect(page.movement.opening).toBe(Number(previous.ladder_total));
    expect(page.movement.writtenOff).toBe(writeOffs.reduce((sum, row) => sum + Number(row.amount), 0));
    expect(movementAddsUp(page.movement)).toBe(true);
    expect(page.check).toMatchObject({ applies: true, flags: [] });

    // Last year end's approved run held nothing for NEEQ in yearly bands (as if its invoices had been
    // entered late): this year its 1–2-year balance cannot have come from there.
    const figures = JSON.parse(previous.figures) as { customers: { code: string; yearly: number[] }[] };
    for (const customer of figures.customers) if (customer.code === "NEEQ") customer.yearly = customer.yearly.map(() => 0);
    await db.updateTable("provision_runs").set({ figures: JSON.stringify(figures) }).where("id", "=", previous.id).execute();
    const flagged = payloadOf<RunPage>(await runPage(id, leader));
    expect(flagged.check.flags.map((flag) => flag.code)).toEqual(["NEEQ"]);

    const version = String(flagged.run.version);
    const before = await databaseState();
    const unseen = await approve(id, { version }, leader);
    expect(statusOf(unseen)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(unseen).fieldErrors.seen).toEqual(["provisions.runs.seeFlags"]);
    expect(statusOf(await approve(id, { version, seen: "yes" }, leader))).toBe(400);
    expect(await databaseState()).toEqual(before);
    expect(payloadOf(await approve(id, { version, seen: "on" }, leader))).toEqual({ ok: true, intent: "approve-run" });
    const approved = await runAt("2025-12-31");
    expect(approved).toMatchObject({ status: "approved", flags_seen: 1 });
    expect((JSON.parse(approved.flags) as { code: string }[]).map((flag) => flag.code)).toEqual(["NEEQ"]);
    // an earlier period cannot be drafted once a later one is approved
    expect(statusOf(await draft({ periodEnd: "2025-06-30", kind: "quarter" }, head))).toBe(400);
  });

  it("a draft whose previous approved run changed must be recomputed before approval (409), and says so", async () => {
    const quarter = idOf(await draft({ periodEnd: "2026-03-31", kind: "quarter" }, head));
    const month = idOf(await draft({ periodEnd: "2026-01-31", kind: "month" }, head));
    expect(payloadOf(await approve(month, { version: "1" }, leader))).toEqual({ ok: true, intent: "approve-run" });
    const page = payloadOf<{ needsRedraft: boolean; canApprove: boolean }>(await runPage(quarter, leader));
    expect(page).toMatchObject({ needsRedraft: true, canApprove: false });
    const state = await databaseState();
    const refused = await approve(quarter, { version: "1" }, leader);
    expect(statusOf(refused)).toBe(409);
    expect(payloadOf<{ message: string }>(refused).message).toBe("provisions.runs.redraft");
    expect(await databaseState()).toEqual(state);
    expect(statusOf(await call(action, post(`/provisions/runs/${quarter}`, { intent: "draft-run", periodEnd: "2026-03-31", kind: "quarter", version: "1" }, head), { id: String(quarter) }))).toBe(200);
    const redrafted = payloadOf<RunPage & { needsRedraft: boolean }>(await runPage(quarter, leader));
    expect(redrafted.needsRedraft).toBe(false);
    expect(redrafted.movement.opening).toBe(Number((await runAt("2026-01-31")).ladder_total));
  });

  it("staff see no runs, and pages only read", async () => {
    const run = await runAt("2025-12-31");
    expect(statusOf(await runPage(run.id, staff))).toBe(403);
    const state = await databaseState();
    expect(statusOf(await runPage(run.id, leader))).toBe(200);
    expect(statusOf(await runPage(run.id, head))).toBe(200);
    expect(payloadOf<{ runs: unknown[] }>(await call(pageLoader, get("/provisions", head))).runs).toHaveLength(4);
    expect(payloadOf<{ runs: unknown[] }>(await call(pageLoader, get("/provisions", staff))).runs).toEqual([]);
    expect(statusOf(await runPage(999_999, head))).toBe(404);
    expect(await databaseState()).toEqual(state);
  });
});

describe("the draft form's defaults", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("start at the last month end on or before today, and the draft accepts them as given", async () => {
    // the day of the walk-through: the page's date (8 December) ends no month
    vi.stubEnv("QUARTERDECK_TODAY", "2026-12-08");
    const page = payloadOf<{ asOf: string; runDraft: { periodEnd: string; kind: string } }>(await call(pageLoader, get("/provisions", head)));
    expect(page.asOf).toBe("2026-12-08");
    expect(page.runDraft).toEqual({ periodEnd: "2026-11-30", kind: "month" });
    const drafted = await draft(page.runDraft, head);
    expect(statusOf(drafted)).toBe(302);
    expect((await runAt("2026-11-30")).period_kind).toBe("month");

    // on a month's last day, that day
    vi.stubEnv("QUARTERDECK_TODAY", "2026-11-30");
    expect(payloadOf<{ runDraft: unknown }>(await call(pageLoader, get("/provisions", head))).runDraft).toEqual({ periodEnd: "2026-11-30", kind: "month" });
  });
});
