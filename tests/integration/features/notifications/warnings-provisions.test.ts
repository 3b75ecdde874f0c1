import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { sweepWarnings } from "~/features/warnings/index.server";
import { action as pageAction } from "~/routes/_app.provisions._index";
import { action as runAction } from "~/routes/_app.provisions.runs.$id";
import { action as settingsAction } from "~/routes/_app.settings";
import { loader as inboxLoader } from "~/routes/_app.notifications";
import { call, get, headersOf, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb } from "../../../support/ledger";
import { importProvisionLedger } from "../../../support/provision-ledger";

const TODAY = process.env.QUARTERDECK_TODAY ?? "";
const cookies = { head: "", leader: "", ana: "", bo: "" };
const emails = { head: "", leader: "", ana: "", bo: "" };

type Inbox = Awaited<ReturnType<typeof inboxLoader>>;
const inbox = async (cookie: string) => payloadOf<Inbox>(await call(inboxLoader, get("/notifications", cookie))).entries;
const outboxTo = (email: string, kind: string) =>
  getDb()
    .selectFrom("notification_outbox as o")
    .innerJoin("notification_events as e", "e.id", "o.event_id")
    .select(["o.subject", "o.body", "e.kind"])
    .where("o.recipient", "=", email)
    .where("e.kind", "=", kind)
    .execute();

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  const ana = await makeUser("staff", { email: "ana.warn@example.test" });
  const bo = await makeUser("staff", { email: "bo.warn@example.test" });
  await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", bo.id).execute();
  Object.assign(emails, { head: head.email, leader: leader.email, ana: ana.email, bo: bo.email });
  for (const key of ["head", "leader", "ana", "bo"] as const) cookies[key] = await signIn(emails[key]);
  const day = (n: number) => addDays(TODAY, n);
  // Ana's customer is 50 % over its limit, Bo's is over its limit, the third is fine.
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
        `N-ANA,Ana Over Co.,East,${ana.email},B,1000.00,30`,
        `N-BO,Bo Over Co.,North,${bo.email},B,500.00,30`,
        `N-FINE,Fine Co.,North,${bo.email},B,100000.00,30`,
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        `N-1,N-ANA,${day(-10)},${day(20)},1500.00`,
        `N-2,N-BO,${day(-5)},${day(25)},900.00`,
        `N-3,N-FINE,${day(-5)},${day(25)},900.00`,
      ]),
    },
  ]);
});

beforeEach(() => {
  vi.stubEnv("SMTP_URL", "smtp://127.0.0.1:1");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("early warnings", () => {
  it("tell each owner of a new warning on their own customers only, once, in their language, by e-mail through the outbox", async () => {
    const db = getDb();
    await db.deleteFrom("warnings").execute();
    await sweepWarnings(db, TODAY);
    const overLimit = await db.selectFrom("warnings").select(["id", "subject_key"]).where("rule_kind", "=", "over_limit").orderBy("id").execute();
    expect(overLimit.length).toBe(2);

    const anaEntries = (await inbox(cookies.ana)).filter((entry) => entry.kind === "warning_raised");
    expect(anaEntries).toHaveLength(1);
    expect(anaEntries[0]).toMatchObject({ params: { subject: "N-ANA Ana Over Co.", rule: "over_limit" } });
    expect(anaEntries[0]?.link).toMatch(/^\/warnings\/\d+$/);
    const boEntries = (await inbox(cookies.bo)).filter((entry) => entry.kind === "warning_raised");
    expect(boEntries.map((entry) => entry.params.subject)).toEqual(["N-BO Bo Over Co."]);
    // warnings with an owner go to that owner, not to the heads
    expect((await inbox(cookies.head)).some((entry) => entry.kind === "warning_raised")).toBe(false);

    const [english] = await outboxTo(emails.ana, "warning_raised");
    expect(english?.subject).toContain("New early warning");
    expect(english?.subject).toContain("Over the credit limit");
    const [chinese] = await outboxTo(emails.bo, "warning_raised");
    expect(chinese?.subject).toContain("出现新的预警");

    // a sweep that finds the same warnings again tells nobody again
    await sweepWarnings(db, TODAY);
    expect((await inbox(cookies.ana)).filter((entry) => entry.kind === "warning_raised")).toHaveLength(1);
    expect(await outboxTo(emails.ana, "warning_raised")).toHaveLength(1);
  });

  it("follow the owner's choice: none keeps a new warning out of the inbox and the mail", async () => {
    const db = getDb();
    expect(payloadOf(await call(settingsAction, post("/settings", { intent: "notifications", "notify-warning_raised": "none" }, cookies.ana)))).toMatchObject({ ok: true });
    await db.deleteFrom("warnings").execute();
    const before = (await inbox(cookies.ana)).length;
    await sweepWarnings(db, TODAY);
    expect(await inbox(cookies.ana)).toHaveLength(before);
    expect((await inbox(cookies.bo)).filter((entry) => entry.kind === "warning_raised")).toHaveLength(2);
    await call(settingsAction, post("/settings", { intent: "notifications" }, cookies.ana));
  });
});

describe("provision runs", () => {
  it("drafted: leadership is told it awaits approval; approved: the head who drafted it is told", async () => {
    await importProvisionLedger({ a: emails.ana, b: emails.bo });
    const drafted = await call(pageAction, post("/provisions", { intent: "draft-run", version: "0", periodEnd: "2024-12-31", kind: "year" }, cookies.head));
    expect(statusOf(drafted)).toBe(302);
    const id = Number(/\/provisions\/runs\/(\d+)$/.exec(headersOf(drafted).get("Location") ?? "")?.[1]);
    const run = await getDb().selectFrom("provision_runs").select(["ladder_total", "version"]).where("id", "=", id).executeTakeFirstOrThrow();

    const leaderEntry = (await inbox(cookies.leader)).find((entry) => entry.kind === "provision_run_drafted");
    expect(leaderEntry).toMatchObject({ link: `/provisions/runs/${id}`, params: { date: "2024-12-31", amount: Number(run.ladder_total) } });
    expect((await outboxTo(emails.leader, "provision_run_drafted"))[0]?.subject).toContain("awaits your approval");
    expect((await inbox(cookies.head)).some((entry) => entry.kind === "provision_run_drafted")).toBe(false);
    expect((await inbox(cookies.ana)).some((entry) => entry.kind.startsWith("provision_run"))).toBe(false);

    const approved = await call(runAction, post(`/provisions/runs/${id}`, { intent: "approve-run", id: String(id), version: String(run.version) }, cookies.leader), { id: String(id) });
    expect(statusOf(approved)).toBeLessThan(400);
    const headEntry = (await inbox(cookies.head)).find((entry) => entry.kind === "provision_run_approved");
    expect(headEntry).toMatchObject({ link: `/provisions/runs/${id}`, params: { date: "2024-12-31" } });
    expect((await inbox(cookies.leader)).some((entry) => entry.kind === "provision_run_approved")).toBe(false);
  });

  it("a refused approval (stale version) tells nobody", async () => {
    const run = await getDb().selectFrom("provision_runs").select(["id", "version"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    const before = await getDb().selectFrom("notification_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const refused = await call(runAction, post(`/provisions/runs/${run.id}`, { intent: "approve-run", id: String(run.id), version: "0" }, cookies.leader), { id: String(run.id) });
    expect(statusOf(refused)).toBe(409);
    const after = await getDb().selectFrom("notification_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
